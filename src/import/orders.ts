// Orders builder: rows → Order Completed / Order Refunded messages; lines of one order are gathered into one message.
import { orderMessageId, refundMessageId } from './ids.ts';
import { ColumnMap } from './mapping.ts';
import { blank, cents, idText, parseDate, parseNumber } from './values.ts';
import type { Builder, LineRejection, Output, SourceRow, Unit } from './types.ts';

export interface Product {
  product_id?: string;
  sku?: string;
  name?: string;
  category?: string;
  price?: number;
  quantity: number;
}

/** What one source line says about an order. */
export interface OrderPart {
  orderId: string;
  line: number;
  refund?: boolean;
  userId?: string | null;
  anonymousId?: string | null;
  at?: Date | null;
  currency?: string | null;
  /** An order-level total given on the line (the first one given wins). */
  total?: number | null;
  product?: Product | null;
  context?: Record<string, unknown>;
  error?: { field: string; reason: string };
}

/** Source column of each order field, to name fields in rejections. */
export type OrderColumns = Record<
  'orderId' | 'userId' | 'anonymousId' | 'date' | 'total' | 'price' | 'quantity' | 'currency',
  string
>;

interface Draft {
  orderId: string;
  refund: boolean;
  userId: string | null;
  anonymousId: string | null;
  at: Date | null;
  currency: string | null;
  total: number | null;
  context?: Record<string, unknown>;
  products: Product[];
  productLines: number[];
  lines: number[];
  errors: LineRejection[];
}

function draftOf(p: OrderPart): Draft {
  const d: Draft = {
    orderId: p.orderId,
    refund: !!p.refund,
    userId: null,
    anonymousId: null,
    at: null,
    currency: null,
    total: null,
    context: p.context,
    products: [],
    productLines: [],
    lines: [],
    errors: [],
  };
  addPart(d, p);
  return d;
}

function addPart(d: Draft, p: OrderPart): void {
  d.lines.push(p.line);
  if (p.error) d.errors.push({ line: p.line, ...p.error });
  d.userId ??= p.userId ?? null;
  d.anonymousId ??= p.anonymousId ?? null;
  d.at ??= p.at ?? null;
  d.currency ??= p.currency ?? null;
  d.total ??= p.total ?? null;
  if (p.product) {
    d.products.push(p.product);
    d.productLines.push(p.line);
  }
}

/** The message of a complete order, or a rejection of each of its lines. */
export function finishOrder(d: Draft, cols: OrderColumns): Output[] {
  const rejectAll = (bad: LineRejection): LineRejection[] =>
    d.lines.map((line) =>
      line === bad.line
        ? bad
        : {
            line,
            field: bad.field,
            reason: `order ${d.orderId} not imported because of line ${bad.line}: ${bad.reason}`,
          },
    );
  if (d.errors.length > 0) {
    const own = new Map(d.errors.map((e) => [e.line, e]));
    const others = rejectAll(d.errors[0]!);
    return others.map((r) => own.get(r.line) ?? r);
  }
  if (!d.at) return rejectAll({ line: d.lines[0]!, field: cols.date, reason: 'an order needs a date' });
  const sum = cents(d.products.reduce((s, p) => s + (p.price ?? 0) * p.quantity, 0));
  const total = d.total ?? sum;
  if (total < 0 && !d.refund) {
    return rejectAll({
      line: d.lines[0]!,
      field: d.total === null ? cols.price : cols.total,
      reason: `the order total is negative (${total}); returns go in as refunds`,
    });
  }
  const properties: Record<string, unknown> = {
    orderId: d.orderId,
    total: d.refund ? Math.abs(total) : total,
    products: d.products,
  };
  if (d.currency) properties.currency = d.currency;
  const message: Record<string, unknown> = {
    type: 'track',
    event: d.refund ? 'Order Refunded' : 'Order Completed',
    messageId: d.refund ? refundMessageId(d.orderId) : orderMessageId(d.orderId),
    timestamp: d.at.toISOString(),
    properties,
  };
  if (d.userId) message.userId = d.userId;
  if (d.anonymousId) message.anonymousId = d.anonymousId;
  if (d.context) message.context = d.context;
  const fields: Record<string, string> = {
    userId: cols.userId,
    anonymousId: cols.anonymousId,
    timestamp: cols.date,
    'properties.orderId': cols.orderId,
    'properties.total': d.total === null ? cols.price : cols.total,
    'properties.currency': cols.currency,
    'properties.products': cols.price,
  };
  const anonymous = d.userId || d.anonymousId ? 0 : d.lines.length;
  const unit: Unit = { lines: d.lines, message, anonymous, fields, productLines: d.productLines };
  return [unit];
}

/**
 * Gathers the lines of each order. Lines of one order normally follow each other; a few other orders may come in
 * between (`window` orders are kept open). A line of an order closed long ago is rejected rather than silently lost.
 */
export class OrderWindow {
  private readonly open = new Map<string, Draft>();
  private readonly closed = new Map<string, number>(); // recently closed order id → its first line
  constructor(
    private readonly cols: OrderColumns,
    private readonly window = 8,
    private readonly remember = 10_000,
  ) {}

  add(p: OrderPart): Output[] {
    const key = `${p.refund ? 'R' : 'O'}${p.orderId}`;
    const draft = this.open.get(key);
    if (draft) {
      addPart(draft, p);
      return [];
    }
    const closedAt = this.closed.get(key);
    if (closedAt !== undefined) {
      return [
        {
          line: p.line,
          field: this.cols.orderId,
          reason: `order ${p.orderId} (line ${closedAt}) was already complete: the lines of an order must be next to each other`,
        },
      ];
    }
    const out: Output[] = [];
    if (this.open.size >= this.window) out.push(...this.closeOldest());
    this.open.set(key, draftOf(p));
    return out;
  }

  private closeOldest(): Output[] {
    const [key, draft] = this.open.entries().next().value as [string, Draft];
    this.open.delete(key);
    this.closed.set(key, draft.lines[0]!);
    if (this.closed.size > this.remember) this.closed.delete(this.closed.keys().next().value as string);
    return finishOrder(draft, this.cols);
  }

  end(): Output[] {
    const out: Output[] = [];
    while (this.open.size > 0) out.push(...this.closeOldest());
    return out;
  }

  /** Orders are opened in line order, so the oldest open order holds the earliest line not yet emitted. */
  heldFrom(): number | null {
    const first = this.open.values().next();
    return first.done ? null : first.value.lines[0]!;
  }
}

/** Generic orders: one row per order, or one row per product with the order id repeated. */
export function ordersBuilder(
  mapping: Record<string, string> | undefined,
  zone: string,
  defaultCurrency?: string,
): Builder {
  const columns = new ColumnMap('orders', mapping);
  let window: OrderWindow | null = null;
  let checked = false;
  return {
    requireIdentity: false,
    heldFrom: () => window?.heldFrom() ?? null,
    end: () => window?.end() ?? [],
    push(row: SourceRow): Output[] {
      const keys = Object.keys(row.values);
      if (!checked && (checked = true)) columns.checkHeader(keys);
      const map = columns.resolve(keys);
      const col = (t: string) => map.get(t) ?? t;
      const get = (t: string) => (map.get(t) ? row.values[map.get(t)!] : undefined);
      window ??= new OrderWindow({
        orderId: col('orderId'),
        userId: col('userId'),
        anonymousId: col('anonymousId'),
        date: col('date'),
        total: col('total'),
        price: col('price'),
        quantity: col('quantity'),
        currency: col('currency'),
      });
      const orderId = idText(get('orderId'));
      if (!orderId)
        return [
          {
            line: row.line,
            field: col('orderId'),
            reason: 'an order needs an order id (map the column with --map orderId=COLUMN)',
          },
        ];
      const part: OrderPart = {
        orderId,
        line: row.line,
        userId: idText(get('userId')),
        anonymousId: idText(get('anonymousId')),
      };
      const fail = (field: string, reason: string) => (part.error ??= { field, reason });
      const date = get('date');
      if (!blank(date)) {
        const d = parseDate(date, zone);
        if (d.ok) part.at = d.value;
        else fail(col('date'), d.reason);
      }
      const currency = get('currency');
      part.currency = blank(currency) ? (defaultCurrency ?? null) : String(currency).trim().toUpperCase();
      const total = get('total');
      if (!blank(total)) {
        const n = parseNumber(total);
        if (n.ok) part.total = n.value;
        else fail(col('total'), n.reason);
      }
      const product: Product = { quantity: 1 };
      let hasProduct = false;
      for (const f of ['product_id', 'sku', 'name', 'category'] as const) {
        const v = get(f);
        if (!blank(v)) {
          product[f] = String(v).trim();
          hasProduct = true;
        }
      }
      for (const f of ['price', 'quantity'] as const) {
        const v = get(f);
        if (blank(v)) continue;
        const n = parseNumber(v);
        if (!n.ok) fail(col(f), n.reason);
        else {
          product[f] = n.value;
          hasProduct = true;
        }
      }
      if (hasProduct) part.product = product;
      return window.add(part);
    },
  };
}
