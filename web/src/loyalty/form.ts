// The loyalty forms' words to values (pure but for t): the programme, a reward and a manual adjustment read from the
// fields as typed, each problem kept by its field's name in words, and the values written back into fields.
import { t } from '../i18n';
import type { Bonus, Campaign, Program, Reward, RewardKind, Tier } from './types';

export type Problems = Record<string, string>;

export interface TierRow {
  name: string;
  threshold: string;
  multiplier: string;
  freeShipping: boolean;
}
export interface BonusRow {
  event: string;
  points: string;
  once: boolean;
}
export interface CampaignRow {
  name: string;
  from: string;
  to: string;
  multiplier: string;
}

export interface ProgramFields {
  enabled: boolean;
  pointsPerUnit: string;
  rounding: Program['rounding'];
  pendingDays: string;
  expiryMonths: string;
  excludedProducts: string;
  excludedCategories: string;
  bonuses: BonusRow[];
  campaigns: CampaignRow[];
  tiers: TierRow[];
  tierBasis: Program['tierBasis'];
  tierWindowMonths: string;
  downgrade: Program['downgrade'];
  tierPeriodMonths: string;
  pointValue: string;
}

/** "2026-12-01T10:00:00.000Z" as a datetime-local field's value, in the browser's time zone. */
function localField(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function programFields(p: Program): ProgramFields {
  return {
    enabled: p.enabled,
    pointsPerUnit: String(p.pointsPerUnit),
    rounding: p.rounding,
    pendingDays: String(p.pendingDays),
    expiryMonths: p.expiryMonths === null ? '' : String(p.expiryMonths),
    excludedProducts: p.excludedProducts.join(', '),
    excludedCategories: p.excludedCategories.join(', '),
    bonuses: p.bonuses.map((b) => ({ event: b.event, points: String(b.points), once: b.once })),
    campaigns: p.campaigns.map((c) => ({
      name: c.name,
      from: localField(c.from),
      to: localField(c.to),
      multiplier: String(c.multiplier),
    })),
    tiers: p.tiers.map((x) => ({
      name: x.name,
      threshold: String(x.threshold),
      multiplier: String(x.multiplier),
      freeShipping: x.freeShipping,
    })),
    tierBasis: p.tierBasis,
    tierWindowMonths: String(p.tierWindowMonths),
    downgrade: p.downgrade,
    tierPeriodMonths: String(p.tierPeriodMonths),
    pointValue: String(p.pointValue),
  };
}

/** A number typed in a field, within bounds (whole when asked); its problem in words under `field` otherwise. */
function numberIn(problems: Problems, field: string, text: string, min: number, max: number, whole: boolean): number {
  const trimmed = text.trim().replace(',', '.');
  const n = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(n)) problems[field] = t('loyalty.problem.number');
  else if (whole && !Number.isInteger(n)) problems[field] = t('loyalty.problem.whole');
  else if (n < min || n > max) problems[field] = t('loyalty.problem.range', { min, max });
  return n;
}

const list = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The settings the fields say, or the problems by field name (e.g. `tiers.1.threshold`). */
export function programFrom(f: ProgramFields): { program: Omit<Program, 'currencyRates'>; problems: Problems } {
  const problems: Problems = {};
  const tiers: Tier[] = f.tiers.map((row, i) => {
    if (!row.name.trim()) problems[`tiers.${i}.name`] = t('loyalty.problem.name');
    return {
      name: row.name.trim(),
      threshold: numberIn(problems, `tiers.${i}.threshold`, row.threshold, 0, 1e15, false),
      multiplier: numberIn(problems, `tiers.${i}.multiplier`, row.multiplier, 0.01, 100, false),
      freeShipping: row.freeShipping,
    };
  });
  tiers.forEach((x, i) => {
    if (x.name && tiers.findIndex((y) => y.name === x.name) !== i)
      problems[`tiers.${i}.name`] = t('loyalty.problem.sameTier');
  });
  const bonuses: Bonus[] = f.bonuses.map((row, i) => {
    if (!row.event.trim()) problems[`bonuses.${i}.event`] = t('loyalty.problem.event');
    return {
      event: row.event.trim(),
      points: numberIn(problems, `bonuses.${i}.points`, row.points, 1, 1e9, true),
      once: row.once,
    };
  });
  const campaigns: Campaign[] = f.campaigns.map((row, i) => {
    if (!row.name.trim()) problems[`campaigns.${i}.name`] = t('loyalty.problem.name');
    const from = Date.parse(row.from);
    const to = Date.parse(row.to);
    if (!Number.isFinite(from)) problems[`campaigns.${i}.from`] = t('loyalty.problem.date');
    if (!Number.isFinite(to)) problems[`campaigns.${i}.to`] = t('loyalty.problem.date');
    else if (Number.isFinite(from) && to <= from) problems[`campaigns.${i}.to`] = t('loyalty.problem.toAfterFrom');
    return {
      name: row.name.trim(),
      from: Number.isFinite(from) ? new Date(from).toISOString() : row.from,
      to: Number.isFinite(to) ? new Date(to).toISOString() : row.to,
      multiplier: numberIn(problems, `campaigns.${i}.multiplier`, row.multiplier, 0.01, 100, false),
    };
  });
  const program = {
    enabled: f.enabled,
    pointsPerUnit: numberIn(problems, 'pointsPerUnit', f.pointsPerUnit, 0, 1e6, false),
    rounding: f.rounding,
    pendingDays: numberIn(problems, 'pendingDays', f.pendingDays, 0, 365, true),
    expiryMonths:
      f.expiryMonths.trim() === '' ? null : numberIn(problems, 'expiryMonths', f.expiryMonths, 1, 240, true),
    excludedProducts: list(f.excludedProducts),
    excludedCategories: list(f.excludedCategories),
    bonuses,
    campaigns,
    tiers,
    tierBasis: f.tierBasis,
    tierWindowMonths: numberIn(problems, 'tierWindowMonths', f.tierWindowMonths, 1, 120, true),
    downgrade: f.downgrade,
    tierPeriodMonths: numberIn(problems, 'tierPeriodMonths', f.tierPeriodMonths, 1, 120, true),
    pointValue: numberIn(problems, 'pointValue', f.pointValue, 0, 1e6, false),
  };
  return { program, problems };
}

export interface RewardFields {
  id: string | null;
  name: string;
  kind: RewardKind;
  cost: string;
  value: string;
  couponPool: string;
  active: boolean;
}

export const blankReward = (): RewardFields => ({
  id: null,
  name: '',
  kind: 'discount',
  cost: '',
  value: '',
  couponPool: '',
  active: true,
});

export const rewardFields = (r: Reward): RewardFields => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  cost: String(r.cost),
  value: r.value === null ? '' : String(r.value),
  couponPool: r.couponPool ?? '',
  active: r.active,
});

/** An id for a new reward made from its name: "Free delivery" → "free-delivery". */
export const rewardId = (name: string): string =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || `reward-${Date.now()}`;

/** The reward the fields say (without its id), or the problems by field. */
export function rewardFrom(f: RewardFields): { reward: Omit<Reward, 'id'>; problems: Problems } {
  const problems: Problems = {};
  if (!f.name.trim()) problems.name = t('loyalty.problem.name');
  const cost = numberIn(problems, 'cost', f.cost, 1, 1e9, true);
  const value = f.value.trim() === '' ? null : numberIn(problems, 'value', f.value, 0, 1e12, false);
  if (f.kind === 'coupon' && !f.couponPool.trim()) problems.couponPool = t('loyalty.problem.couponPool');
  return {
    reward: {
      name: f.name.trim(),
      kind: f.kind,
      cost,
      value,
      couponPool: f.kind === 'coupon' ? f.couponPool.trim() : null,
      active: f.active,
    },
    problems,
  };
}

/** A manual adjustment's points and reason, or the problems by field. */
export function adjustmentFrom(points: string, reason: string): { points: number; reason: string; problems: Problems } {
  const problems: Problems = {};
  const n = numberIn(problems, 'points', points, -1e9, 1e9, true);
  if (!problems.points && n === 0) problems.points = t('loyalty.problem.zero');
  if (!reason.trim()) problems.reason = t('loyalty.problem.reason');
  return { points: n, reason: reason.trim(), problems };
}

/** A 400's issues placed by field name (`tiers.1.threshold`), in the server's words. */
export function placeServerIssues(body: unknown): Problems {
  const issues = (body as { issues?: { field?: string; reason?: string }[] } | null)?.issues;
  const placed: Problems = {};
  if (Array.isArray(issues)) for (const i of issues) placed[i.field ?? ''] = i.reason ?? '';
  return placed;
}
