// The currency settings' rules (pure): the shape of a change (zod, naming the field), and applying it to the settings in
// force, with the checks that need them (a rate for the base itself, rates left behind by a new base, a future date).
import { DomainError } from '../lib/index.ts';
import { z } from 'zod';
import { isCurrencyCode, type CurrencySettings, type Rate } from './currency.ts';
import { DAY_MS } from '../time/index.ts';

/** Most rates a workspace keeps. */
export const MAX_RATES = 200;
const MAX_RATE = 1e9;

const codeProblem = (s: string) =>
  `"${s}" is not an ISO 4217 currency code: use its three letters, such as EUR, PLN or USD`;
const code = z
  .string({ error: 'an ISO 4217 currency code, such as EUR' })
  .trim()
  .transform((s) => s.toUpperCase())
  .refine(isCurrencyCode, { error: (i) => codeProblem(String(i.input)) });

const realDay = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

const rate = z.strictObject({
  rate: z
    .number({ error: 'a number: what one unit of this currency is worth in the base currency' })
    .gt(0, 'more than 0: what one unit of this currency is worth in the base currency')
    .max(MAX_RATE, `at most ${MAX_RATE}`),
  date: z
    .string({ error: 'the day the rate is from, as YYYY-MM-DD' })
    .refine(realDay, 'the day the rate is from, as YYYY-MM-DD, such as 2026-05-01'),
});

/** A change: each key given replaces its value (rates as a whole: send every rate to keep). */
export const CurrencySettingsPatch = z.strictObject(
  {
    base: code.optional().describe('ISO 4217 code of the currency reports convert to, such as EUR'),
    rates: z
      .record(z.string(), rate)
      .superRefine((rates, ctx) => {
        for (const key of Object.keys(rates)) {
          if (!isCurrencyCode(key.trim().toUpperCase()))
            ctx.addIssue({ code: 'custom', path: [key], message: codeProblem(key) });
        }
        if (Object.keys(rates).length > MAX_RATES)
          ctx.addIssue({ code: 'custom', message: `at most ${MAX_RATES} rates` });
      })
      .transform(
        (rates) =>
          Object.fromEntries(Object.entries(rates).map(([k, v]) => [k.trim().toUpperCase(), v])) as Record<
            string,
            Rate
          >,
      )
      .optional()
      .describe('per currency code: {rate, date}, 1 unit = rate units of the base currency, as of date (YYYY-MM-DD)'),
  },
  {
    error: (i) =>
      i.code === 'unrecognized_keys'
        ? `not a setting: ${i.keys.join(', ')} (the settings are base and rates)`
        : undefined,
  },
);
export type CurrencySettingsPatch = z.infer<typeof CurrencySettingsPatch>;

/** A change the settings in force refuse: 400 `invalid_settings`, naming the field. */
export class CurrencySettingsError extends DomainError {
  declare readonly field: string;
  constructor(field: string, message: string) {
    super('invalid_settings', 400, `${field}: ${message}`, { field });
  }
}

/** The settings after a valid change (dates compared with today, UTC, with a day's grace for zones ahead of it); throws CurrencySettingsError. */
export function applyCurrencyPatch(
  current: CurrencySettings,
  patch: CurrencySettingsPatch,
  now: Date,
): CurrencySettings {
  const base = patch.base ?? current.base;
  if (patch.base && patch.base !== current.base && patch.rates === undefined && Object.keys(current.rates).length > 0) {
    throw new CurrencySettingsError(
      'rates',
      `the rates kept are to ${current.base}: send the rates to ${base} with the new base (or rates: {} for none)`,
    );
  }
  const rates = patch.rates ?? current.rates;
  const latest = new Date(now.getTime() + DAY_MS).toISOString().slice(0, 10);
  for (const [c, r] of Object.entries(rates)) {
    if (c === base) throw new CurrencySettingsError(`rates.${c}`, `${c} is the base currency: it needs no rate`);
    if (r.date > latest)
      throw new CurrencySettingsError(`rates.${c}.date`, `${r.date} is in the future: give the day the rate is from`);
  }
  return {
    base,
    rates: Object.fromEntries(
      Object.keys(rates)
        .sort()
        .map((c) => [c, { rate: rates[c]!.rate, date: rates[c]!.date }]),
    ),
  };
}
