// Every experiment the workspace has, and any one's report by id: imported experiments from their stored summaries,
// journeys' experiments from their exposures over a window (src/measure/store/exposures.ts).
import type { Queryable } from '../store/index.ts';
import { currencyInForce } from '../money/index.ts';
import type { CompareOptions } from './compare.ts';
import { experimentReport, type ExperimentReport } from './experiments/report.ts';
import { LOG_SUFFIX } from './robust.ts';
import { journeyExperiments, type JourneyExperimentKind } from './journey-experiments.ts';
import { armOutcomes } from './store/exposures.ts';
import { experimentWithArms, listExperiments } from './store/experiments.ts';
import { journeysForExperiments } from './store/journeys.ts';
import { DAY_MS } from '../time/index.ts';

export interface ExperimentListing {
  id: string;
  kind: 'offline' | JourneyExperimentKind;
  name: string;
  journeyId?: string;
  journeyName?: string;
  stepId?: string;
  controlArm: string;
  /** Imported experiments: the file, lines rejected, when. */
  source?: string | null;
  rejected?: number;
  importedAt?: Date;
}

export interface ReportQuery extends CompareOptions {
  /** Journeys' experiments: exposures from this day (default: 90 days before `until`). */
  from?: Date;
  /** … until this moment, excluded (default: now). */
  until?: Date;
  /** Orders count within this many days after exposure (default 30). */
  days?: number;
}

export type FullReport = ExperimentReport & {
  kind: ExperimentListing['kind'];
  window?: { from: string; until: string; days: number };
  currency?: { base: string; unconvertedOrders: number };
};

/** The journeys' experiments (the control group first), then the imported ones, newest first. */
export async function allExperiments(q: Queryable, ws: string): Promise<ExperimentListing[]> {
  const journeys = journeyExperiments(await journeysForExperiments(q, ws)).map(({ source: _source, ...e }) => e);
  const offline = (await listExperiments(q, ws)).map((e) => ({
    id: e.id,
    kind: 'offline' as const,
    name: e.name,
    controlArm: e.controlArm,
    source: e.source,
    rejected: e.rejected,
    importedAt: e.importedAt,
  }));
  return [...journeys, ...offline];
}

/** One experiment's report; null when the id names none. Throws ExperimentReportError when control has no customers. */
export async function reportById(
  q: Queryable,
  ws: string,
  id: string,
  query: ReportQuery,
  now: Date,
): Promise<FullReport | null> {
  if (id === 'control-group' || id.startsWith('journey:')) {
    const experiment = journeyExperiments(await journeysForExperiments(q, ws)).find((e) => e.id === id);
    if (!experiment) return null;
    const until = query.until ?? now;
    const from = query.from ?? new Date(until.getTime() - 90 * DAY_MS);
    const days = query.days ?? 30;
    const money = await currencyInForce(q, ws);
    const rates = Object.fromEntries(Object.entries(money.rates).map(([c, r]) => [c, r.rate]));
    const { arms, unconvertedOrders } = await armOutcomes(
      q,
      ws,
      experiment.source,
      { from, until, days },
      money.base,
      rates,
    );
    // A split's arms are all sent messages, so their click rates compare; a control group's customers get none.
    const clicks = experiment.kind === 'split' ? [{ name: 'click', kind: 'proportion' as const }] : [];
    const report = experimentReport(
      {
        id,
        name: experiment.name,
        controlArm: experiment.controlArm,
        metrics: [
          { name: 'conversion', kind: 'proportion' },
          { name: 'orders', kind: 'mean' },
          { name: 'revenue', kind: 'mean' },
          ...clicks,
        ],
        arms: arms.map((a) => ({
          arm: a.arm,
          metrics: {
            conversion: a.conversion,
            orders: a.orders,
            revenue: a.revenue,
            [`revenue${LOG_SUFFIX}`]: a.logRevenue,
            ...(clicks.length ? { click: a.clicks } : {}),
          },
        })),
      },
      query,
    );
    return {
      ...report,
      kind: experiment.kind,
      window: { from: from.toISOString(), until: until.toISOString(), days },
      currency: { base: money.base, unconvertedOrders },
    };
  }
  const found = await experimentWithArms(q, ws, id);
  if (!found) return null;
  const { experiment: e, arms } = found;
  return {
    ...experimentReport({ id: e.id, name: e.name, controlArm: e.controlArm, metrics: e.metrics, arms }, query),
    kind: 'offline',
  };
}
