// Event matching (pure): property paths, equality filters and the entity key that ties a run to one cart or order.
import { SEGMENT_EVENT_PREFIX } from '../customers/index.ts';
import { propertyAt } from '../lib/index.ts';

/** Written by the segment runner: ingest refuses the segment events' names from any key, and their message id prefix too. */
export const bySegmentRunner = (messageId: string) => messageId.startsWith(SEGMENT_EVENT_PREFIX);

/** A path in the other spelling style: cart_id → cartId, orderId → order_id (each part of a dotted path). */
export function otherSpelling(path: string): string {
  return path
    .split('.')
    .map((part) =>
      part.includes('_')
        ? part.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
        : part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
    )
    .join('.');
}

/**
 * The run key from a property, read as the key is written, else in the other spelling (a key "cartId" reads cart_id,
 * as Segment's e-commerce spec names it, and "cart_id" reads cartId): '' when the trigger has no key; null when the
 * event lacks it, so it cannot enter.
 */
export function entityKey(properties: unknown, keyPath: string | undefined): string | null {
  if (!keyPath) return '';
  let v = propertyAt(properties, keyPath);
  if (v === undefined || v === null) v = propertyAt(properties, otherSpelling(keyPath));
  return v === undefined || v === null || typeof v === 'object' ? null : String(v);
}
