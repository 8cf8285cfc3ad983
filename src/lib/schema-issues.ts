// The stable code of a zod issue, with the values its sentence names (pure): what the journey and template validations
// send beside their English words, so the dashboard can say the problem in its own language.
import type { z } from 'zod';

/** Codes of what a schema finds wrong with a value (kept unchanged in the API). */
export const SCHEMA_CODES = [
  'required',
  'wrong_type',
  'empty',
  'too_small',
  'too_big',
  'not_one_of',
  'unknown_key',
  'bad_format',
  'invalid',
] as const;
export type SchemaCode = (typeof SCHEMA_CODES)[number];

export interface Coded<C extends string = string> {
  code: C;
  /** What the code's sentence names (a minimum, the allowed values, a step id…). */
  values?: Record<string, string | number>;
}

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    input,
  );

/** One zod issue's code; a custom check names its own code in its params (the caller's list has it), or its words go
 * along as `detail`. */
export function schemaCode(issue: z.core.$ZodIssue, input: unknown): Coded<SchemaCode> {
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- zod's codes not named here (and any a new zod adds) go as 'invalid' with zod's words
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined
        ? { code: 'required' }
        : { code: 'wrong_type', values: { expected: issue.expected } };
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) <= 1
        ? { code: 'empty' }
        : { code: 'too_small', values: { min: Number(issue.minimum) } };
    case 'too_big':
      return { code: 'too_big', values: { max: Number(issue.maximum) } };
    case 'invalid_value':
      return { code: 'not_one_of', values: { allowed: issue.values.map(String).join(', ') } };
    case 'unrecognized_keys':
      return { code: 'unknown_key', values: { keys: issue.keys.join(', ') } };
    case 'invalid_format':
      return { code: 'bad_format', values: { detail: issue.message } };
    case 'custom': {
      const own = (issue.params as { code?: string } | undefined)?.code;
      return own ? { code: own as SchemaCode } : { code: 'invalid', values: { detail: issue.message } };
    }
    default:
      return { code: 'invalid', values: { detail: issue.message } };
  }
}
