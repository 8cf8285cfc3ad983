// Model settings of a workspace (pure): defaults, the shape of an update, merging and validation with clear errors.
import { DomainError, type ErrorBody } from '../lib/index.ts';
import { z } from 'zod';
import { DEFAULT_RISK_THRESHOLDS, type RiskThresholds } from './churn.ts';
import { DEFAULT_RFM_SEGMENTS, validateRfmRules, type RfmRule } from './rfm.ts';
import { DEFAULT_LIFECYCLE, type LifecycleSettings } from './lifecycle.ts';

export interface ModelSettings {
  /** Churn-risk bands from P(alive). */
  riskThresholds: RiskThresholds;
  /** Expected purchases are over the next this many days. */
  horizonDays: number;
  /** CLV: discounted expected revenue over `months` months (a month is 52/12 weeks), times the margin. */
  clv: { months: number; monthlyDiscountRate: number; margin: number };
  /** F counts orders or distinct purchase days; segments name the (R, F, M) scores. */
  rfm: { frequency: 'orders' | 'purchase_days'; segments: RfmRule[] };
  lifecycle: LifecycleSettings;
  /** The worker refits and rescores every workspace this often. */
  fitEveryHours: number;
  /** Fewer customers than this (BG/NBD) → the fit is refused and the last good model kept. Gamma-Gamma needs a third of it in repeat buyers. */
  minCustomers: number;
}

export const DEFAULT_MODEL_SETTINGS: Readonly<ModelSettings> = Object.freeze({
  riskThresholds: { ...DEFAULT_RISK_THRESHOLDS },
  horizonDays: 90,
  clv: { months: 12, monthlyDiscountRate: 0.01, margin: 1 },
  rfm: { frequency: 'orders' as const, segments: DEFAULT_RFM_SEGMENTS.map((r) => ({ ...r })) },
  lifecycle: { ...DEFAULT_LIFECYCLE },
  fitEveryHours: 24,
  minCustomers: 30,
});

const share = z.number().min(0).max(1);
const range = z.tuple([z.number().int().min(1).max(5), z.number().int().min(1).max(5)]);
const days = z.number().int().min(1).max(3650);

/** An update: any subset of the settings; objects are merged, the segment list is replaced as a whole. */
export const modelSettingsPatch = z.strictObject({
  riskThresholds: z.strictObject({ highBelow: share, mediumBelow: share }).partial().optional(),
  horizonDays: days.optional(),
  clv: z
    .strictObject({
      months: z.number().int().min(1).max(120),
      monthlyDiscountRate: z.number().min(0).max(1),
      margin: z.number().gt(0).max(1),
    })
    .partial()
    .optional(),
  rfm: z
    .strictObject({
      frequency: z.enum(['orders', 'purchase_days']),
      segments: z
        .array(z.strictObject({ segment: z.string().trim().min(1).max(60), r: range, f: range, m: range.optional() }))
        .min(1)
        .max(125),
    })
    .partial()
    .optional(),
  lifecycle: z
    .strictObject({ newDays: days, atRiskAfterDays: days, churnedAfterDays: days, churnedBelow: share })
    .partial()
    .optional(),
  fitEveryHours: z
    .number()
    .min(0.25)
    .max(24 * 30)
    .optional(),
  minCustomers: z.number().int().min(2).max(1_000_000).optional(),
});

/** Model settings refused: 400 `invalid_settings` with every error (details.errors). */
export class InvalidSettings extends DomainError {
  readonly errors: string[];
  constructor(errors: string[]) {
    super('invalid_settings', 400, `invalid model settings: ${errors.join('; ')}`, { details: { errors } });
    this.errors = errors;
  }
  /** The API's message lists the errors alone. */
  override body(): ErrorBody {
    return { ...super.body(), message: this.errors.join('; ') };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepMerge<T>(base: T, patch: unknown): T {
  if (!isObject(base) || !isObject(patch)) return (patch === undefined ? base : patch) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch))
    if (v !== undefined) out[k] = deepMerge((base as Record<string, unknown>)[k], v);
  return out as T;
}

/** Cross-field checks the shape cannot express; returns the problems with their paths. */
export function settingsProblems(s: ModelSettings): string[] {
  const errors: string[] = [];
  const t = s.riskThresholds;
  if (!(t.highBelow <= t.mediumBelow))
    errors.push(`riskThresholds: highBelow (${t.highBelow}) must not exceed mediumBelow (${t.mediumBelow})`);
  errors.push(...validateRfmRules(s.rfm.segments).map((e) => `rfm.${e}`));
  if (!(s.lifecycle.atRiskAfterDays <= s.lifecycle.churnedAfterDays)) {
    errors.push(
      `lifecycle: atRiskAfterDays (${s.lifecycle.atRiskAfterDays}) must not exceed churnedAfterDays (${s.lifecycle.churnedAfterDays})`,
    );
  }
  if (!(s.lifecycle.churnedBelow <= t.highBelow)) {
    errors.push(
      `lifecycle.churnedBelow (${s.lifecycle.churnedBelow}) must not exceed riskThresholds.highBelow (${t.highBelow}): churned customers are high risk`,
    );
  }
  return errors;
}

/** Applies an update to settings; throws InvalidSettings (with every problem and its path) when the result is not valid. */
export function applySettingsPatch(current: ModelSettings, patch: unknown): ModelSettings {
  const parsed = modelSettingsPatch.safeParse(patch);
  if (!parsed.success) {
    throw new InvalidSettings(parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`));
  }
  const next = deepMerge(current, parsed.data);
  const errors = settingsProblems(next);
  if (errors.length) throw new InvalidSettings(errors);
  return next;
}

/** Stored settings over the defaults (stored ones may predate a newer setting). Invalid stored values fall back to defaults. */
export function effectiveSettings(stored: unknown): ModelSettings {
  const base = structuredClone(DEFAULT_MODEL_SETTINGS) as ModelSettings;
  if (!isObject(stored)) return base;
  try {
    return applySettingsPatch(base, stored);
  } catch {
    return base;
  }
}
