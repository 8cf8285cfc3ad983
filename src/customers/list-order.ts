// Customer list order (pure): the columns a marketer may sort the customer list by, each as one SQL sort key with
// customers that have no value last in either direction, and the keyset cursor that continues such a list.
// The scores' orders come from the score descriptor (src/scores/descriptor.ts: rfm, clv, churnRisk).
import { SCORE_SORTS, type ScoreSort } from '../scores/index.ts';

export type CustomerSort = 'newest' | 'lastOrder' | 'orders' | 'revenue' | ScoreSort;
export type SortDirection = 'asc' | 'desc';

interface SortKey {
  /** SQL over the customers row `c`, as float8; null where the customer has no such value. */
  expression: string;
  /** The direction a marketer expects first: the most recent, the most, the best, the most at risk. */
  natural: SortDirection;
}

/**
 * One record per sort: adding a sortable column is one line here, or a `sort` on its score's descriptor (and its
 * header in the dashboard).
 */
const SORT_KEYS: Record<CustomerSort, SortKey> = {
  newest: { expression: 'c.id', natural: 'desc' },
  lastOrder: { expression: 'extract(epoch FROM c.last_order_at)::float8', natural: 'desc' },
  orders: { expression: 'c.orders_count::float8', natural: 'desc' },
  revenue: { expression: 'c.revenue_total::float8', natural: 'desc' },
  ...(Object.fromEntries(SCORE_SORTS.map(({ name, ...key }) => [name, key])) as Record<ScoreSort, SortKey>),
};

export const CUSTOMER_SORTS = Object.keys(SORT_KEYS) as [CustomerSort, ...CustomerSort[]];

export interface ListOrder {
  sort: CustomerSort;
  /** The sort key with nulls replaced by a value that sorts last in the chosen direction. */
  key: string;
  direction: SortDirection;
  /** `ORDER BY` clause: the key, then the customer id as tie-breaker in the same direction. */
  orderBy: string;
  /** Keyset condition after the cursor's (key, id); `param` adds a query parameter and answers its placeholder. */
  after: (cursor: [string, string], param: (value: string) => string) => string;
}

export function listOrder(sort: CustomerSort, direction?: SortDirection): ListOrder {
  const spec = SORT_KEYS[sort];
  const dir = direction ?? spec.natural;
  if (sort === 'newest') {
    // the id alone: the primary key's order, so the default list reads one index range, not every customer
    const op = dir === 'desc' ? '<' : '>';
    return {
      sort,
      key: 'c.id',
      direction: dir,
      orderBy: `c.id ${dir.toUpperCase()}`,
      after: ([, id], param) => `c.id ${op} ${param(id)}::bigint`,
    };
  }
  const last = dir === 'desc' ? "'-Infinity'::float8" : "'Infinity'::float8";
  const key = `COALESCE(${spec.expression}, ${last})`;
  const op = dir === 'desc' ? '<' : '>';
  return {
    sort,
    key,
    direction: dir,
    orderBy: `${key} ${dir.toUpperCase()}, c.id ${dir.toUpperCase()}`,
    after: ([k, id], param) => `(${key}, c.id) ${op} (${param(k)}::float8, ${param(id)}::bigint)`,
  };
}

/** The first part of a list cursor: which order it continues (a cursor of another order is refused, not misread). */
export const listCursorTag = (order: Pick<ListOrder, 'sort' | 'direction'>) => `${order.sort}:${order.direction}`;

/**
 * A list cursor is [order tag, key as text (float8, may be ±Infinity; the id for newest), customer id]; the key and id,
 * or null when the cursor was not handed out by this order of the list.
 */
export function listCursor(parts: unknown[], order: Pick<ListOrder, 'sort' | 'direction'>): [string, string] | null {
  const [tag, key, id] = parts;
  const ok =
    parts.length === 3 &&
    tag === listCursorTag(order) &&
    typeof key === 'string' &&
    /^(-?Infinity|-?\d+(\.\d+)?(e[+-]?\d+)?)$/i.test(key) &&
    typeof id === 'string' &&
    /^\d{1,18}$/.test(id);
  return ok ? [key, id] : null;
}

/** Words of a name search as a prefix query for to_tsquery('simple', …): letters and digits only, every word required. */
export function nameQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const kept = words.slice(0, 8).map((w) => `${w}:*`);
  return kept.length > 0 ? kept.join(' & ') : null;
}
