// When a product usually runs out (pure): the products an order event names, and from the gaps between one
// customer's consecutive purchases of each product (their median, per product), how many days to wait before a
// replenishment reminder: the product that runs out first decides; too few repeat purchases say nothing.

/** The product ids an order event names (Segment's `products[]`: product_id, productId or id; else its own product_id). */
export function productsOf(properties: Record<string, unknown> | undefined): string[] {
  const ids = new Set<string>();
  const add = (v: unknown) => {
    if ((typeof v === 'string' && v.trim()) || typeof v === 'number') ids.add(String(v).trim());
  };
  const list = properties?.products;
  if (Array.isArray(list)) {
    for (const p of list)
      if (p && typeof p === 'object') {
        const o = p as Record<string, unknown>;
        add(o.product_id ?? o.productId ?? o.id);
      }
  } else add(properties?.product_id ?? properties?.productId);
  return [...ids];
}

/** A product's repeat purchases: the median days between one customer's consecutive buys of it, and how many gaps. */
export interface ProductInterval {
  product: string;
  medianDays: number;
  gaps: number;
}

/** Days to wait: the shortest median of the products with at least `minRepeats` gaps, or null (use the fallback). */
export function replenishDays(intervals: ProductInterval[], minRepeats: number): number | null {
  const trusted = intervals.filter((i) => i.gaps >= minRepeats && i.medianDays > 0);
  return trusted.length ? Math.min(...trusted.map((i) => i.medianDays)) : null;
}
