// Commerce facts (pure): what an Order Completed / Refunded / Cancelled event means for orders and revenue.
import { cartIdOf } from '../carts/index.ts';

export interface OrderLine {
  productId: string | null;
  sku: string | null;
  name: string | null;
  category: string | null;
  price: number | null;
  quantity: number;
}

export type CommerceFact =
  | {
      kind: 'order';
      orderId: string;
      total: number;
      currency: string | null;
      lines: OrderLine[];
      cartId: string | null;
    }
  | { kind: 'refund'; orderId: string; amount: number | null }
  | { kind: 'cancel'; orderId: string };

export type FactResult = { fact: CommerceFact } | { field: string; reason: string } | null;

type Props = Record<string, unknown>;

/** Amounts, prices and quantities above this are refused: orders and revenue are kept as numeric(18, 2). */
export const MAX_AMOUNT = 1e12;

function num(v: unknown): number | null | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) && Math.abs(n) <= MAX_AMOUNT ? n : null; // null = present but not a number we keep
}

const NOT_AN_AMOUNT = `must be a number of at most ${MAX_AMOUNT.toLocaleString('en-US')}`;

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function orderIdOf(p: Props): string | null {
  return str(p.orderId ?? p.order_id);
}

function parseLines(products: unknown): OrderLine[] | { field: string; reason: string } {
  if (products === undefined || products === null) return [];
  if (!Array.isArray(products)) return { field: 'properties.products', reason: 'must be an array of products' };
  const lines: OrderLine[] = [];
  for (const [i, raw] of products.entries()) {
    if (!raw || typeof raw !== 'object') return { field: `properties.products.${i}`, reason: 'must be an object' };
    const p = raw as Props;
    const price = num(p.price);
    const quantity = num(p.quantity);
    if (price === null) return { field: `properties.products.${i}.price`, reason: NOT_AN_AMOUNT };
    if (quantity === null) return { field: `properties.products.${i}.quantity`, reason: NOT_AN_AMOUNT };
    if (quantity !== undefined && quantity < 0)
      return {
        field: `properties.products.${i}.quantity`,
        reason: 'must not be negative: send returns as Order Refunded',
      };
    if (price !== undefined && price < 0)
      return { field: `properties.products.${i}.price`, reason: 'must not be negative' };
    lines.push({
      productId: str(p.product_id ?? p.productId ?? p.id),
      sku: str(p.sku),
      name: str(p.name),
      category: str(p.category),
      price: price ?? null,
      quantity: quantity ?? 1,
    });
  }
  return lines;
}

/** Σ price × quantity of the lines, in cents. */
const linesTotal = (lines: OrderLine[]) =>
  Math.round(lines.reduce((s, l) => s + (l.price ?? 0) * l.quantity, 0) * 100) / 100;

/** Reads the commerce meaning of a track event; null when the event is not about orders. */
export function commerceFact(event: string, p: Props): FactResult {
  if (event !== 'Order Completed' && event !== 'Order Refunded' && event !== 'Order Cancelled') return null;
  const orderId = orderIdOf(p);
  if (!orderId)
    return {
      field: 'properties.orderId',
      reason: `${event} needs properties.orderId (or order_id) so the order is counted once`,
    };
  if (event === 'Order Cancelled') return { fact: { kind: 'cancel', orderId } };
  if (event === 'Order Refunded') {
    const amount = num(p.total ?? p.revenue ?? p.value);
    if (amount === null)
      return { field: 'properties.total', reason: `${NOT_AN_AMOUNT} (the refunded amount; omit it for a full refund)` };
    if (amount !== undefined) return { fact: { kind: 'refund', orderId, amount: Math.abs(amount) } };
    // No amount: the products listed, each with its price, are what is refunded; otherwise it is a full refund.
    const lines = parseLines(p.products);
    if (!Array.isArray(lines)) return lines;
    const priced = lines.length > 0 && lines.every((l) => l.price !== null);
    const refunded = priced ? linesTotal(lines) : null;
    if (refunded !== null && refunded > MAX_AMOUNT)
      return {
        field: 'properties.products',
        reason: `the products refunded come to more than ${MAX_AMOUNT.toLocaleString('en-US')}`,
      };
    return { fact: { kind: 'refund', orderId, amount: refunded } };
  }
  const lines = parseLines(p.products);
  if (!Array.isArray(lines)) return lines;
  const given = num(p.total ?? p.revenue ?? p.value);
  if (given === null) return { field: 'properties.total', reason: NOT_AN_AMOUNT };
  if (given !== undefined && given < 0)
    return { field: 'properties.total', reason: 'must not be negative: send returns as Order Refunded' };
  const total = given === undefined ? linesTotal(lines) : Math.round(given * 100) / 100;
  if (total > MAX_AMOUNT)
    return {
      field: 'properties.products',
      reason: `the products come to more than ${MAX_AMOUNT.toLocaleString('en-US')}: send the order's total`,
    };
  return { fact: { kind: 'order', orderId, total, currency: str(p.currency), lines, cartId: cartIdOf(p) } };
}
