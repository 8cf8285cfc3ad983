// Segment schema pieces (pure): the zod building blocks the condition handlers (./conditions/) describe their nodes
// with, and the validation of one leaf that names the bad field by its JSON path.
import { z } from 'zod';

export const scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);
export const key = z.string().min(1).max(200);
/** A date: "2026-03-01" (a UTC day) or an ISO date-time; without a zone it is read as UTC. */
export const dateValue = z
  .string()
  .refine((s) => parseDateValue(s) !== null, { message: 'expected a date such as 2026-03-01 or 2026-03-01T10:00:00Z' });
export const days = z.number().positive().max(36_600);
export const wholeDays = z.number().int().min(0).max(36_600);
const range = z
  .tuple([z.number(), z.number()])
  .refine(([lo, hi]) => lo <= hi, { message: 'expected [low, high] with low ≤ high' });

export const NUMBER_OPS = ['equals', 'not_equals', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
export type NumberOp = (typeof NUMBER_OPS)[number];
export type Scalar = string | number | boolean;
/** A number op and its value: [low, high] for between. */
export type Between = { op: 'between'; value: [number, number] } | { op: Exclude<NumberOp, 'between'>; value: number };

export const numberShapes = {
  equals: { value: z.number() },
  not_equals: { value: z.number() },
  gt: { value: z.number() },
  gte: { value: z.number() },
  lt: { value: z.number() },
  lte: { value: z.number() },
  between: { value: range },
};

/** One strict schema per op of a leaf kind: the op decides which other keys a node has. */
export function ops<K extends string>(kind: K, kindValue: z.ZodType, byOp: Record<string, z.ZodRawShape>) {
  return Object.fromEntries(
    Object.entries(byOp).map(([op, shape]) => [op, z.strictObject({ [kind]: kindValue, op: z.literal(op), ...shape })]),
  ) as Record<string, z.ZodObject>;
}

/** The schemas by op as one zod type (discriminated by op). */
export const union = (schemas: Record<string, z.ZodObject>) =>
  z.discriminatedUnion('op', Object.values(schemas) as [z.ZodObject, ...z.ZodObject[]]);

export interface DefinitionError {
  path: string; // JSON path of the bad node or field, e.g. $.and[1].op
  message: string;
}

export const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v)));
export const childPath = (path: string, seg: PropertyKey) =>
  typeof seg === 'number' ? `${path}[${seg}]` : `${path}.${String(seg)}`;

function issueMessage(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- zod's codes not named here (and any a new zod adds) keep zod's message
  switch (issue.code) {
    case 'invalid_value':
      return `${show(input)} is not one of ${issue.values.join(', ')}`;
    case 'invalid_type':
      return input === undefined ? `is required (${issue.expected})` : `expected ${issue.expected}, got ${show(input)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => show(k)).join(', ')}`;
    default: // zod's other issue codes carry their own message
      return issue.message;
  }
}

/** Parses a node with a schema; each issue becomes an error at its JSON path below `path`. */
export function checkSchema(schema: z.ZodType, node: unknown, path: string, errors: DefinitionError[]): void {
  const parsed = schema.safeParse(node, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      errors.push({ path: issue.path.reduce<string>(childPath, path), message: issueMessage(issue) });
  }
}

/** Checks a leaf against its schemas by op (`forWhat` names the field the ops depend on); answers whether it passed. */
export function checkOps(
  node: Record<string, unknown>,
  path: string,
  schemas: Record<string, z.ZodObject>,
  errors: DefinitionError[],
  forWhat = '',
): boolean {
  const before = errors.length;
  const opNames = Object.keys(schemas);
  if (!('op' in node)) errors.push({ path: `${path}.op`, message: `is required: one of ${opNames.join(', ')}` });
  else if (typeof node.op !== 'string' || !schemas[node.op])
    errors.push({ path: `${path}.op`, message: `${show(node.op)} is not one of ${opNames.join(', ')}${forWhat}` });
  else checkSchema(schemas[node.op]!, node, path, errors);
  return errors.length === before;
}

const DATE_RE =
  /^([12]\d{3})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
/** Parses a date value: "YYYY-MM-DD" is that UTC day; a date-time without a zone is UTC. Null when invalid. */
export function parseDateValue(s: string): Date | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  const month = Number(mo),
    day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(Number(y), month, 0)).getUTCDate()) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  const tz =
    !zone || zone === 'z' || zone === 'Z'
      ? 'Z'
      : zone.length === 3
        ? `${zone}:00`
        : zone.includes(':')
          ? zone
          : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac.slice(0, 4)}${tz}`);
  return Number.isNaN(date.getTime()) ? null : date;
}
