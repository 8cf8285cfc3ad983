// Scores (pure, a leaf: imports no other capability): every score the models put on a customer, described once. The
// segment language and its compiler, the customer view and list order, the template context, the journey runner,
// scoring and the dashboard read this list. A new score is one entry here, one column in a migration (test/models/scores.test.ts checks that every score
// has its column, on both backends) and its computation in src/models/store/scoring.ts.
//
// Names: `name` is the customers column and the score's name in segment conditions, templates and a journey's {by};
// `key` is its name in the API's `scores` object (camel case). Scores with a `group` are shown together as one object
// of their keys ({r, f, m}), null unless every one of them is set.

import { LIFECYCLE_STAGES } from './stages.ts';

/** The column's SQL type, as bulk writes name it (src/store/bulk.ts). */
export type ScoreSqlType = 'smallint' | 'float8' | 'text';

export interface ScoreDescriptor {
  name: string;
  key: string;
  group?: string;
  type: 'number' | 'text';
  sql: ScoreSqlType;
  /** A text score's fixed values (the column's CHECK): segment conditions refuse any other. */
  values?: readonly string[];
  label: string;
  description: string;
  /** What the segment builder shows next to a text score's value input. */
  hint?: string;
  /** Segment conditions may test it (every score today). */
  filterable: boolean;
  /** A customer-list order this score's column heads: its name, the float8 sort key over `customers c`, and the direction a marketer expects first. */
  sort?: { name: string; expression: string; natural: 'asc' | 'desc' };
}

export const SCORES = [
  {
    name: 'rfm_r',
    key: 'r',
    group: 'rfm',
    type: 'number',
    sql: 'smallint',
    label: 'RFM recency (1–5)',
    description: 'Recency quintile score: 5 = bought most recently.',
    filterable: true,
  },
  {
    name: 'rfm_f',
    key: 'f',
    group: 'rfm',
    type: 'number',
    sql: 'smallint',
    label: 'RFM frequency (1–5)',
    description: 'Frequency quintile score: 5 = buys most often.',
    filterable: true,
  },
  {
    name: 'rfm_m',
    key: 'm',
    group: 'rfm',
    type: 'number',
    sql: 'smallint',
    label: 'RFM monetary (1–5)',
    description: 'Monetary quintile score: 5 = spends the most.',
    filterable: true,
  },
  {
    name: 'p_alive',
    key: 'pAlive',
    type: 'number',
    sql: 'float8',
    label: 'P(alive)',
    description: 'Probability (0–1) that the customer still buys (BG/NBD).',
    filterable: true,
  },
  {
    name: 'clv',
    key: 'clv',
    type: 'number',
    sql: 'float8',
    label: 'CLV',
    description: 'Customer lifetime value over the horizon.',
    filterable: true,
    sort: { name: 'clv', expression: 'c.clv::float8', natural: 'desc' },
  },
  {
    name: 'expected_purchases',
    key: 'expectedPurchases',
    type: 'number',
    sql: 'float8',
    label: 'Expected purchases',
    description: 'Expected purchases over the model horizon.',
    filterable: true,
  },
  {
    name: 'expected_order_value',
    key: 'expectedOrderValue',
    type: 'number',
    sql: 'float8',
    label: 'Expected order value',
    description: 'Expected spend per order (Gamma-Gamma).',
    filterable: true,
  },
  {
    name: 'rfm_segment',
    key: 'rfmSegment',
    type: 'text',
    sql: 'text',
    label: 'RFM segment',
    hint: 'e.g. Champions',
    description: 'Champions, Loyal, Potential loyalist, New, At risk, Cannot lose them, Hibernating, Lost.',
    filterable: true,
    // the RFM cell, best first
    sort: { name: 'rfm', expression: '(c.rfm_r * 100 + c.rfm_f * 10 + c.rfm_m)::float8', natural: 'desc' },
  },
  {
    name: 'churn_risk',
    key: 'churnRisk',
    type: 'text',
    sql: 'text',
    values: ['low', 'medium', 'high'],
    label: 'Churn risk',
    hint: 'low, medium or high',
    description: 'low, medium or high, from p_alive.',
    filterable: true,
    // highest churn risk first is the lowest probability of being alive first
    sort: { name: 'churnRisk', expression: 'c.p_alive::float8', natural: 'asc' },
  },
  {
    name: 'lifecycle_stage',
    key: 'lifecycleStage',
    type: 'text',
    sql: 'text',
    values: LIFECYCLE_STAGES,
    label: 'Lifecycle stage',
    hint: 'new, active, at_risk, churned, reactivated',
    description: 'new, active, at_risk, churned or reactivated.',
    filterable: true,
  },
] as const satisfies readonly ScoreDescriptor[];

type Score = (typeof SCORES)[number];
export type ScoreName = Score['name'];
type ByName<N extends ScoreName> = Extract<Score, { name: N }>;
type ValueOf<S> = S extends { type: 'number' } ? number : S extends { values: readonly (infer V)[] } ? V : string;
type Grouped = Extract<Score, { group: string }>;
type Single = Exclude<Score, Grouped>;
export type NumberScoreName = Extract<Score, { type: 'number' }>['name'];
export type TextScoreName = Extract<Score, { type: 'text' }>['name'];
export type ScoreSort = Extract<Score, { sort: object }>['sort']['name'];

/** The scores of one customer as the API and the models hold them: {rfmSegment, rfm: {r, f, m} | null, pAlive, …}. */
export type ScoreValues = { [S in Single as S['key']]: ValueOf<S> | null } & {
  [G in Grouped['group']]: { [S in Extract<Grouped, { group: G }> as S['key']]: ValueOf<S> } | null;
};
/** The same scores by their names, as templates print them: {rfm_segment, rfm: {r, f, m} | null, p_alive, …}. */
export type TemplateScores = { [S in Single as S['name']]: ValueOf<S> | null } & {
  [G in Grouped['group']]: { [S in Extract<Grouped, { group: G }> as S['key']]: ValueOf<S> } | null;
};
/** One value per score column, as stored. */
export type ScoreColumns = { [N in ScoreName]: ValueOf<ByName<N>> | null };

export const SCORE_NAMES: readonly ScoreName[] = SCORES.map((s) => s.name);
export const NUMBER_SCORES = SCORES.filter((s) => s.type === 'number').map((s) => s.name) as NumberScoreName[];
export const TEXT_SCORES = SCORES.filter((s) => s.type === 'text').map((s) => s.name) as TextScoreName[];
export const FILTERABLE_SCORES: readonly ScoreName[] = SCORES.filter((s) => s.filterable).map((s) => s.name);
const BY_NAME = new Map<string, ScoreDescriptor>(SCORES.map((s) => [s.name, s]));
/** The descriptor of a score name, or undefined. */
export const scoreOf = (name: string): ScoreDescriptor | undefined => BY_NAME.get(name);
/** The customer-list orders that scores head, in descriptor order. */
export const SCORE_SORTS = SCORES.flatMap((s) => ('sort' in s ? [s.sort] : [])) as {
  name: ScoreSort;
  expression: string;
  natural: 'asc' | 'desc';
}[];

/** `c.rfm_r, c.rfm_f, …`: every score column of `customers c`, for a SELECT. */
export const scoreColumnsSql = (alias = 'c') => SCORES.map((s) => `${alias}.${s.name}`).join(', ');

const GROUPS = [...new Set(SCORES.flatMap((s) => ('group' in s ? [s.group] : [])))];

/** Stored columns → values by a naming (`key` for the API, `name` for templates); a group is null unless all its members are set. */
function shape(row: Partial<Record<ScoreName, unknown>>, naming: 'key' | 'name'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const groups = new Map<string, Record<string, unknown> | null>(GROUPS.map((g) => [g, {}]));
  for (const s of SCORES as readonly ScoreDescriptor[]) {
    const raw = row[s.name as ScoreName];
    const value = raw === null || raw === undefined ? null : s.type === 'number' ? Number(raw) : raw;
    if (!s.group) out[s[naming]] = value;
    else if (value === null) groups.set(s.group, null);
    else {
      const g = groups.get(s.group);
      if (g) g[s.key] = value;
    }
  }
  for (const [g, members] of groups) out[g] = members;
  return out;
}

/** A customers row's score columns (numbers may come as text) → the API's scores. */
export const scoreValues = (row: Partial<Record<ScoreName, unknown>>): ScoreValues => shape(row, 'key') as ScoreValues;

type Reader = (v: ScoreValues) => string | number | null;
/** How to read each score from the API's scores (a group's member from its object; null when the group is null). */
export const SCORE_READERS = Object.fromEntries(
  (SCORES as readonly ScoreDescriptor[]).map((s): [string, Reader] => {
    const { group, key } = s;
    return [
      s.name,
      group
        ? (v) => (v as unknown as Record<string, Record<string, string | number> | null>)[group]?.[key] ?? null
        : (v) => (v as unknown as Record<string, string | number | null>)[key] ?? null,
    ];
  }),
) as Record<ScoreName, Reader>;
const READERS = SCORE_NAMES.map((n) => SCORE_READERS[n]);

/** The API's scores → one value per column. */
export function scoreColumns(v: ScoreValues): ScoreColumns {
  const out: Record<string, unknown> = {};
  for (const n of SCORE_NAMES) out[n] = SCORE_READERS[n](v);
  return out as ScoreColumns;
}

/** Whether two customers' scores are equal, score by score (floats exactly). */
export const sameScoreValues = (a: ScoreValues, b: ScoreValues): boolean =>
  READERS.every((read) => read(a) === read(b));

/** The API's scores (or none, before the first model run) → the template context's names, every score null when none. */
export const templateScores = (v: ScoreValues | null | undefined): TemplateScores =>
  shape(v ? scoreColumns(v) : {}, 'name') as TemplateScores;
