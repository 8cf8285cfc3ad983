// Scoring: puts the models' answers on every customer, as of a calibration end day, in batches of customer ids with
// bounded memory: P(alive), expected purchases in the next N days, churn-risk band, expected order value, CLV, RFM
// scores and segment, lifecycle stage. Only customers whose scores changed are written (one set-based UPDATE … FROM
// unnest per batch, with scored_at = now), so scored_at is when a customer's scores last changed; with them goes the last
// order the scoring saw (scored_last_order_at), which the lifecycle's "ordered since the previous scoring" reads.
// Customers whose RFM segment, churn risk or lifecycle stage changed, or a number score an active segment reads, are
// queued in customer_changes (segments re-evaluate them), and each stage change is an event `Lifecycle Stage Changed` {from, to} in the log (deterministic
// messageId, counters bumped).
import { type Db, type Queryable, bulkRows, type BulkType } from '../../store/index.ts';
import { expectedPurchases, pAlive, type BgNbdParams } from '../bgnbd.ts';
import { expectedAverageValue, type GammaGammaParams } from '../gammagamma.ts';
import { riskBand } from '../churn.ts';
import { rfmScores, rfmSegment, type RfmBreaks } from '../rfm.ts';
import { lifecycleStage } from '../lifecycle.ts';
import {
  type LifecycleStage,
  NUMBER_SCORES,
  sameScoreValues,
  SCORE_NAMES,
  SCORE_READERS,
  SCORES,
  scoreColumns,
  TEXT_SCORES,
  type ScoreValues,
} from '../../scores/index.ts';
import type { ModelSettings } from '../settings.ts';
import {
  countToScore,
  customerFacts,
  tripleKey,
  weeks,
  type Calibration,
  type CustomerFacts,
  type PreviousScores,
} from './derive.ts';
import { queueChanges, LIFECYCLE_STAGE_CHANGED } from '../../customers/index.ts';
import { scoresRead, activeDefinitions } from '../../segments/index.ts';
import { DAY_MS } from '../../time/index.ts';

/** Weeks in a CLV month. */
const MONTH_WEEKS = 52 / 12;

export interface ScoringModels {
  bgnbd: BgNbdParams | null;
  gammaGamma: GammaGammaParams | null;
}

export interface ScoringSummary {
  asOf: string;
  /** Customers looked at (with an order, or with scores to clear). */
  customers: number;
  /** Customers with a purchase by the calibration end (they get scores). */
  scored: number;
  /** Customers whose stored scores changed and were written (the others are left as they are). */
  written: number;
  /** Customers queued in customer_changes (RFM segment, churn risk, stage, or a number score a segment reads changed). */
  changed: number;
  /** Lifecycle Stage Changed events written. */
  stageChanges: number;
  durationMs: number;
}

/** One customer's scores, as src/scores/descriptor.ts describes them: {rfm: {r, f, m} | null, rfmSegment, pAlive, …}. */
export type Scores = ScoreValues;

/**
 * Per distinct (x, t_x, T): P(alive), expected purchases over the horizon and the discounted expected purchases of the
 * CLV horizon (Σ_k (E[Y(kΔ)] − E[Y((k−1)Δ)]) / (1+d)^k). Customers share triples, so a cache saves most of the work.
 * Keyed by the whole days (x, span, age) the weeks are rounded from.
 */
export class TripleCache {
  private readonly map = new Map<number, [number, number, number]>();
  constructor(
    private readonly params: BgNbdParams,
    private readonly settings: ModelSettings,
  ) {}
  get(x: number, spanDays: number, ageDays: number): [number, number, number] {
    const key = tripleKey(x, spanDays, ageDays);
    let v = this.map.get(key);
    if (v) return v;
    const tx = weeks(spanDays);
    const T = weeks(ageDays);
    const { horizonDays, clv } = this.settings;
    let discounted = 0;
    let previous = 0;
    for (let k = 1; k <= clv.months; k++) {
      const cumulative = expectedPurchases(this.params, x, tx, T, k * MONTH_WEEKS);
      discounted += (cumulative - previous) / (1 + clv.monthlyDiscountRate) ** k;
      previous = cumulative;
    }
    v = [pAlive(this.params, x, tx, T), expectedPurchases(this.params, x, tx, T, horizonDays / 7), discounted];
    if (this.map.size >= 500_000) this.map.clear(); // bounded memory
    this.map.set(key, v);
    return v;
  }
}

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/** The customer's last completed order as of the calibration end (to the day when only the day is known). */
export const lastOrderOf = (c: CustomerFacts, asOfStart: Date): Date | null =>
  c.lastOrderAt ?? (c.recencyDays === null ? null : new Date(asOfStart.getTime() - c.recencyDays * DAY_MS));

/**
 * The scores of one customer (pure given its facts, the models, the RFM breaks, the clock and the last order its
 * previous scoring saw, which the lifecycle's "ordered since the previous scoring" rule reads).
 */
export function scoreCustomer(
  c: CustomerFacts,
  models: ScoringModels,
  breaks: RfmBreaks | null,
  settings: ModelSettings,
  asOfStart: Date,
  cache: TripleCache | null,
  previousLastOrderAt: Date | null = c.previous.lastOrderSeen,
): Scores {
  if (c.days === null || c.ageDays === null || c.recencyDays === null || c.spanDays === null) return NO_SCORES;
  const x = c.days - 1;
  const zbar = x > 0 ? c.repeatValue / x : 0;
  let alive: number | null = null;
  let expected: number | null = null;
  let discounted: number | null = null;
  if (models.bgnbd && cache) [alive, expected, discounted] = cache.get(x, c.spanDays, c.ageDays);
  const eov = models.gammaGamma ? finite(expectedAverageValue(models.gammaGamma, x, zbar)) : null;
  const rfm = breaks
    ? rfmScores(
        {
          recencyDays: c.recencyDays,
          frequency: settings.rfm.frequency === 'orders' ? c.orders : c.days,
          monetary: c.net,
        },
        breaks,
      )
    : null;
  const stage = lifecycleStage(
    {
      firstOrderAt: new Date(asOfStart.getTime() - c.ageDays * DAY_MS),
      lastOrderAt: lastOrderOf(c, asOfStart),
      pAlive: alive,
      previousStage: (c.previous.lifecycleStage as LifecycleStage | null) ?? null,
      previousLastOrderAt,
    },
    asOfStart,
    settings.lifecycle,
    settings.riskThresholds,
  );
  return {
    rfm,
    rfmSegment: rfm ? rfmSegment(rfm, settings.rfm.segments) : null,
    pAlive: alive,
    expectedPurchases: expected,
    churnRisk: alive === null ? null : riskBand(alive, settings.riskThresholds),
    expectedOrderValue: eov,
    clv: eov !== null && discounted !== null ? finite(eov * settings.clv.margin * discounted) : null,
    lifecycleStage: stage,
  };
}

/**
 * The scores whose change queues a customer for segment re-evaluation: every text score (RFM segment, churn risk,
 * stage), and the number scores that the workspace's active segments read (the others would only queue everyone every day).
 */
async function scoresWatched(db: Db, ws: string): Promise<((s: PreviousScores | Scores) => string | number | null)[]> {
  const used = new Set<string>((await activeDefinitions(db, ws)).flatMap(scoresRead));
  return [...TEXT_SCORES, ...NUMBER_SCORES.filter((name) => used.has(name))].map((name) => SCORE_READERS[name]);
}

const NO_SCORES: Scores = Object.freeze({
  rfm: null,
  rfmSegment: null,
  pAlive: null,
  expectedPurchases: null,
  churnRisk: null,
  expectedOrderValue: null,
  clv: null,
  lifecycleStage: null,
});

/**
 * Whether the new scores equal the stored ones exactly (floats as stored: PostgreSQL sends float8 in its shortest
 * exact form, so a score read back equals the double it was computed as).
 */
export const sameScores = (p: PreviousScores, s: Scores): boolean => sameScoreValues(p, s);

export interface ScoreOptions {
  cal: Calibration;
  /** The clock: scored_at and the time of the stage-change events. */
  now: Date;
  settings: ModelSettings;
  models: ScoringModels;
  /** RFM quintile breaks as of the calibration end (rfmBreaksOf), null when nobody has bought. */
  breaks: RfmBreaks | null;
  /** Customers that will be looked at, for progress (calibrationData.looked); counted when not given. */
  total?: number;
  batchSize?: number;
  onProgress?: (p: { done: number; total: number }) => void;
}

interface BatchPlan {
  ids: string[];
  scores: Scores[];
  /** The last order each written customer's scoring saw (ISO), written with the scores. */
  seen: (string | null)[];
  changed: string[];
  stages: { id: string; userId: string | null; from: string | null; to: string }[];
}

/** Scores every customer of the workspace; see the file comment. */
export async function scoreCustomers(db: Db, ws: string, opts: ScoreOptions): Promise<ScoringSummary> {
  const started = performance.now();
  const { cal, now, settings, models, breaks } = opts;
  const total = opts.total ?? (await countToScore(db, ws));
  const cache = models.bgnbd ? new TripleCache(models.bgnbd, settings) : null;
  const summary: ScoringSummary = {
    asOf: cal.day,
    customers: 0,
    scored: 0,
    written: 0,
    changed: 0,
    stageChanges: 0,
    durationMs: 0,
  };
  // With the calibration end in the past (a back-dated fit), lifecycle days count to that day, not to today.
  const clock = now.getTime() < cal.cutoff.getTime() ? now : cal.start;

  const watched = await scoresWatched(db, ws);

  // One write in flight while the next batch is read and scored: on PostgreSQL the two run on two connections.
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const batch of customerFacts(db, ws, cal, opts.batchSize ?? 20_000)) {
      const plan: BatchPlan = { ids: [], scores: [], seen: [], changed: [], stages: [] };
      for (const c of batch) {
        const s = scoreCustomer(c, models, breaks, settings, clock, cache);
        const seen = c.days === null ? null : lastOrderOf(c, clock);
        if (c.days !== null) summary.scored++;
        if (sameScores(c.previous, s) && c.previous.lastOrderSeen?.getTime() === seen?.getTime()) continue;
        plan.ids.push(c.id);
        plan.scores.push(s);
        plan.seen.push(seen?.toISOString() ?? null);
        const p = c.previous;
        if (watched.some((w) => w(p) !== w(s))) {
          plan.changed.push(c.id);
        }
        if (s.lifecycleStage !== p.lifecycleStage && s.lifecycleStage !== null) {
          plan.stages.push({ id: c.id, userId: c.userId, from: p.lifecycleStage, to: s.lifecycleStage });
        }
      }
      summary.customers += batch.length;
      summary.written += plan.ids.length;
      summary.changed += plan.changed.length;
      const done = summary.customers;
      await writing;
      writing =
        plan.ids.length === 0
          ? Promise.resolve()
          : writeBatch(db, ws, plan, cal.day, now).then((n) => {
              summary.stageChanges += n;
            });
      writing.catch(() => {}); // awaited before the next write or at the end; this only keeps it from counting as unhandled
      opts.onProgress?.({ done, total: Math.max(total, done) });
    }
  } finally {
    await writing.catch(() => {});
  }
  await writing;
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

/**
 * One transaction: the changed customers' scores, the customers queued for segments, and the stage-change events.
 * Returns how many stage events were written.
 */
async function writeBatch(db: Db, ws: string, plan: BatchPlan, day: string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    await writeScores(tx, ws, plan, now);
    if (plan.changed.length) {
      await queueChanges(tx, ws, plan.changed);
    }
    return plan.stages.length ? logStageChanges(tx, ws, plan.stages, day, now) : 0;
  });
}

/** Each score's column and SQL type, then the last order the scoring saw: the columns a scores write sets. */
const SCORE_WRITE = {
  id: 'bigint',
  ...Object.fromEntries(SCORES.map((s) => [s.name, s.sql])),
  seen: 'timestamptz',
} as Record<string, BulkType>;

/** write-scores: sets the scores of many customers at once (scored_at = now), one row per customer. */
async function writeScores(tx: Queryable, ws: string, plan: BatchPlan, now: Date): Promise<void> {
  const t = bulkRows(
    SCORE_WRITE,
    plan.ids.map((id, i) => ({ id, ...scoreColumns(plan.scores[i]!), seen: plan.seen[i] })),
    { at: 3 },
  );
  await tx.query(
    `UPDATE customers c SET ${SCORE_NAMES.map((n) => `${n} = t.${n}`).join(', ')}, scored_at = $2, scored_last_order_at = t.seen
       FROM ${t.from} WHERE c.workspace_id = $1 AND c.id = t.id`,
    [ws, now.toISOString(), ...t.params],
  );
}

/**
 * Writes one `Lifecycle Stage Changed` event per change, properties {from, to}. The messageId is
 * lifecycle:<customer>:<from>><to>:<as-of day>, so scoring the same day twice (or two workers at once) logs it once.
 */
async function logStageChanges(
  tx: Queryable,
  ws: string,
  stages: BatchPlan['stages'],
  day: string,
  now: Date,
): Promise<number> {
  const t = bulkRows(
    { customer_id: 'bigint', user_id: 'text', from_stage: 'text', to_stage: 'text' },
    stages.map((s) => ({ customer_id: s.id, user_id: s.userId, from_stage: s.from, to_stage: s.to })),
    { at: 5 },
  );
  const rows = await tx.query<{ n: number }>(
    `WITH logged AS (
       INSERT INTO events (workspace_id, message_id, customer_id, type, name, user_id, properties, timestamp, received_at)
       SELECT $1, 'lifecycle:' || t.customer_id || ':' || coalesce(t.from_stage, 'none') || '>' || t.to_stage || ':' || $2,
              t.customer_id, 'track', $4::text, t.user_id,
              jsonb_build_object('from', t.from_stage, 'to', t.to_stage), $3::timestamptz, $3::timestamptz
         FROM ${t.from}
       ON CONFLICT DO NOTHING RETURNING customer_id
     ), counted AS (
       INSERT INTO customer_event_counters (workspace_id, customer_id, name, count, first_at, last_at)
       SELECT $1, customer_id, $4::text, 1, $3::timestamptz, $3::timestamptz FROM logged
       ON CONFLICT (workspace_id, customer_id, name) DO UPDATE SET count = customer_event_counters.count + 1,
         first_at = LEAST(customer_event_counters.first_at, excluded.first_at), last_at = GREATEST(customer_event_counters.last_at, excluded.last_at)
     )
     SELECT count(*)::int AS n FROM logged`,
    [ws, day, now.toISOString(), LIFECYCLE_STAGE_CHANGED, ...t.params],
  );
  return rows[0]!.n;
}
