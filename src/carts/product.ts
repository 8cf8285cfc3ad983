// A product as commerce events describe it (pure): Segment's e-commerce fields (product_id, image_url…) or their
// camelCase spellings (productId, imageUrl…), with the numbers a shop may send as text.

/** The product fields a cart line or a template keeps. Absent or unreadable: null. */
export interface ProductFields {
  productId: string | null;
  sku: string | null;
  name: string | null;
  variant: string | null;
  category: string | null;
  price: number | null;
  imageUrl: string | null;
  url: string | null;
}

/** The same fields as the database columns and templates name them. */
export interface SnakeProduct {
  product_id: string | null;
  sku: string | null;
  name: string | null;
  variant: string | null;
  category: string | null;
  /** The unit price. */
  price: number | null;
  image_url: string | null;
  /** The product's page. */
  url: string | null;
}

export const snakeProduct = (p: ProductFields): SnakeProduct => ({
  product_id: p.productId,
  sku: p.sku,
  name: p.name,
  variant: p.variant,
  category: p.category,
  price: p.price,
  image_url: p.imageUrl,
  url: p.url,
});

export const fromSnake = (p: SnakeProduct): ProductFields => ({
  productId: p.product_id,
  sku: p.sku,
  name: p.name,
  variant: p.variant,
  category: p.category,
  price: p.price,
  imageUrl: p.image_url,
  url: p.url,
});

type Props = Record<string, unknown>;

/** Prices above this are not kept (orders and revenue are numeric(18, 2); see commerce.ts). */
const MAX_PRICE = 1e12;

/** A text property (numbers become text: product_id 42); null when absent or empty. */
export function textOf(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
}

/** A non-negative number (or its text form, "29.95"); null when absent or not one. */
export function amountOf(v: unknown): number | null {
  if (v === undefined || v === null || v === '' || typeof v === 'boolean') return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= MAX_PRICE ? n : null;
}

/** The product an event's properties (or one entry of its products[]) describe. */
export function productFields(p: Props): ProductFields {
  return {
    productId: textOf(p.product_id ?? p.productId ?? p.id),
    sku: textOf(p.sku),
    name: textOf(p.name),
    variant: textOf(p.variant),
    category: textOf(p.category),
    price: amountOf(p.price),
    imageUrl: textOf(p.image_url ?? p.imageUrl),
    url: textOf(p.url),
  };
}

/**
 * Which cart line a product is: its product id, else its SKU, else its name, with the variant when one is given
 * ("tee|XL"); null when the product names none of them (such a line cannot be told apart, so it is not kept).
 */
export function lineKey(f: ProductFields): string | null {
  const id = f.productId ?? f.sku ?? f.name;
  if (id === null) return null;
  return f.variant === null ? id : `${id}|${f.variant}`;
}
