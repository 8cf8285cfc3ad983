// Fast checks (pure) that accept only what the zod schemas of schema.ts accept: valid messages skip zod, and anything
// else is left to zod, whose error names the field. The zod schemas stay the one definition (and the OpenAPI document).
import type { MessageType } from './schema.ts';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
const absent = (v: unknown) => v === undefined;
const optionalObject = (v: unknown) => v === undefined || isObject(v);
const text = (v: unknown, min: number, max: number) => typeof v === 'string' && v.length >= min && v.length <= max;
/** `id` in schema.ts: a string of 1–400 characters or a finite number. */
const isId = (v: unknown) => text(v, 1, 400) || (typeof v === 'number' && Number.isFinite(v));
const nullishId = (v: unknown) => v === undefined || v === null || isId(v);
/** `isoDateTime`: a string or number that Date can read. */
const isTime = (v: unknown) => (typeof v === 'string' || typeof v === 'number') && !Number.isNaN(new Date(v).getTime());
const optionalTime = (v: unknown) => v === undefined || isTime(v);

function common(m: Obj): boolean {
  return (
    (absent(m.messageId) || text(m.messageId, 1, 200)) &&
    nullishId(m.userId) &&
    nullishId(m.anonymousId) &&
    optionalObject(m.context) &&
    optionalObject(m.integrations) &&
    optionalTime(m.timestamp) &&
    optionalTime(m.originalTimestamp) &&
    optionalTime(m.sentAt)
  );
}

const byType: Record<MessageType, (m: Obj) => boolean> = {
  identify: (m) => optionalObject(m.traits),
  track: (m) => text(m.event, 1, 200) && optionalObject(m.properties),
  page: (m) =>
    (m.name === undefined || m.name === null || text(m.name, 0, 400)) &&
    (m.category === undefined || m.category === null || typeof m.category === 'string') &&
    optionalObject(m.properties),
  screen: (m) => byType.page(m),
  group: (m) => isId(m.groupId) && optionalObject(m.traits),
  alias: (m) => isId(m.previousId) && isId(m.userId),
};

/** True only when messageSchemas[type] accepts the message as it is (false: ask zod, which says why or accepts it). */
export function plainlyValid(type: MessageType, m: Obj): boolean {
  return common(m) && byType[type](m);
}

/** True only when batchSchema accepts the body (false: ask zod). */
export function plainlyValidBatch(body: unknown): boolean {
  if (!isObject(body) || !Array.isArray(body.batch) || body.batch.length > 10_000) return false;
  return optionalTime(body.sentAt) && optionalObject(body.context) && optionalObject(body.integrations);
}
