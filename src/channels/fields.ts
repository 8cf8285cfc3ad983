// Building blocks of the provider settings schemas: each field's error says what to put there, in English words and as
// a stable code with its values (the dashboard says the code in its language next to the field).
import { z } from 'zod';

const missingOr = (wrong: string, hint: string) => (issue: { input?: unknown }) =>
  `${issue.input === undefined ? 'is required' : wrong}: ${hint}`;

/** Text that must be present and not empty. */
export const text = (hint: string) =>
  z.string({ error: missingOr('must be text', hint) }).min(1, `must not be empty: ${hint}`);

/** An http(s) URL. */
export const httpUrl = (hint: string) =>
  text(hint).refine((v) => /^https?:\/\/[^\s/]+/i.test(v), {
    message: `must be an http:// or https:// URL: ${hint}`,
    params: { code: 'not_url' },
  });

export const whole = (hint: string, min: number, max: number) =>
  z
    .number({ error: missingOr('must be a number', hint) })
    .int(`must be a whole number: ${hint}`)
    .min(min, `must be at least ${min}: ${hint}`)
    .max(max, `must be at most ${max}: ${hint}`);

/** How long to wait for the provider before the send counts as timed out (and is retried). */
export const timeoutMs = whole('milliseconds to wait for the provider, e.g. 10000', 100, 300_000).default(10_000);

export const headerMap = (hint: string) => z.record(z.string(), z.string({ error: `must be text: ${hint}` }));

/** Stable codes of what is wrong with a field (kept unchanged in the API). */
export const ISSUE_CODES = [
  'required',
  'wrong_type',
  'empty',
  'too_small',
  'too_big',
  'not_whole',
  'not_url',
  'not_one_of',
  'unknown_setting',
  'invalid',
  'address_refused',
  'no_stored_secret',
  'bad_rate',
  'bad_price',
  'not_a_channel',
  'wrong_provider',
] as const;
export type IssueCode = (typeof ISSUE_CODES)[number];

export interface FieldIssue {
  field: string;
  message: string;
  code: IssueCode;
  /** What the code's sentence names (a minimum, a maximum, the allowed values). */
  values?: Record<string, string | number>;
}

/** The stable code of one zod issue, with its values. */
function codeOf(issue: z.core.$ZodIssue, input: unknown): Pick<FieldIssue, 'code' | 'values'> {
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- zod's codes not named here (and any a new zod adds) take the default
  switch (issue.code) {
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined) return { code: 'required' };
      return issue.expected === 'int'
        ? { code: 'not_whole' }
        : { code: 'wrong_type', values: { expected: issue.expected } };
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) <= 1
        ? { code: 'empty' }
        : { code: 'too_small', values: { min: Number(issue.minimum) } };
    case 'too_big':
      return { code: 'too_big', values: { max: Number(issue.maximum) } };
    case 'invalid_value':
      return { code: 'not_one_of', values: { allowed: issue.values.map(String).join(', ') } };
    case 'custom':
      return (issue.params as { code?: IssueCode } | undefined)?.code === 'not_url'
        ? { code: 'not_url' }
        : { code: 'invalid' };
    default:
      return { code: 'invalid' };
  }
}

const valueAt = (input: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    input,
  );

/** zod issues of `input` as "config.auth.pass: is required: …", one per field, unknown keys named one by one. */
export function fieldIssues(error: z.ZodError, prefix: string, input: unknown): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const at = [prefix, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        out.push({
          field: `${at}.${key}`,
          message: 'is not a setting of this provider: check the spelling, or remove it',
          code: 'unknown_setting',
        });
    } else {
      out.push({ field: at, message: issue.message, ...codeOf(issue, input) });
    }
  }
  return out;
}
