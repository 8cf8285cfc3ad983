// Deterministic message ids: the same record always gets the same id, so importing a file twice stores it once.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so that the hash does not depend on column order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `import:<kind>:<sha1 of the content>` — independent of the file name and of the line the record sits on. */
export const contentId = (kind: string, content: unknown) =>
  `import:${kind}:${createHash('sha1').update(canonical(content)).digest('hex').slice(0, 32)}`;

/** Orders and refunds are identified by their order id: one order, one message, whatever the file. */
export const orderMessageId = (orderId: string) => `import:order:${orderId}`;
export const refundMessageId = (orderId: string) => `import:refund:${orderId}`;
