// Building blocks of the provider settings schemas: each field's error says what to put there.
import { z } from 'zod';

const missingOr = (wrong: string, hint: string) => (issue: { input?: unknown }) =>
  `${issue.input === undefined ? 'is required' : wrong}: ${hint}`;

/** Text that must be present and not empty. */
export const text = (hint: string) => z.string({ error: missingOr('must be text', hint) }).min(1, `must not be empty: ${hint}`);

/** An http(s) URL. */
export const httpUrl = (hint: string) =>
  text(hint).refine((v) => /^https?:\/\/[^\s/]+/i.test(v), `must be an http:// or https:// URL: ${hint}`);

export const whole = (hint: string, min: number, max: number) =>
  z
    .number({ error: missingOr('must be a number', hint) })
    .int(`must be a whole number: ${hint}`)
    .min(min, `must be at least ${min}: ${hint}`)
    .max(max, `must be at most ${max}: ${hint}`);

/** How long to wait for the provider before the send counts as timed out (and is retried). */
export const timeoutMs = whole('milliseconds to wait for the provider, e.g. 10000', 100, 300_000).default(10_000);

export const headerMap = (hint: string) => z.record(z.string(), z.string({ error: `must be text: ${hint}` }));

export interface FieldIssue {
  field: string;
  message: string;
}

/** zod issues as "config.auth.pass: is required: …", one per field, unknown keys named one by one. */
export function fieldIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const at = [prefix, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: `${at}.${key}`, message: 'is not a setting of this provider: check the spelling, or remove it' });
    } else {
      out.push({ field: at, message: issue.message });
    }
  }
  return out;
}
