// The message metrics report: rows of one dimension (each with its key, a label for people, counts and rates), every
// day of the range present when by day, and the totals. Days are UTC days. Conversion revenue is given per currency
// (revenueByCurrency) and in the base currency (revenue, with the rates used and the currencies left out in `money`).
import type { Queryable } from '../../store/index.ts';
import {
  addByCurrency,
  moneyNote,
  toBase,
  type ByCurrency,
  type MoneyNote,
  currencyInForce,
} from '../../money/index.ts';
import { addDays, daysBetween, parseDay } from './days.ts';
import { groupCounts, type Dimension, type GroupRow } from './query.ts';
import { ZERO, sumCounts, withRates, type MetricCounts, type Metrics } from './rates.ts';
import { assertNever } from '../../lib/index.ts';

export interface MetricsQuery {
  /** First and last day (YYYY-MM-DD, UTC), both included. */
  from: string;
  to: string;
  by: Dimension;
  attributionDays: number;
}

/** Counts and rates; `revenue` is in the report's money.currency, `revenueByCurrency` as the orders were sent. */
export interface MoneyMetrics extends Metrics {
  revenueByCurrency: ByCurrency;
}

export interface MetricsRow extends MoneyMetrics {
  key: string;
  label: string;
}

export interface MetricsReport {
  by: Dimension;
  from: string;
  to: string;
  rows: MetricsRow[];
  totals: MoneyMetrics;
  /** The currency of every `revenue`, the rates used, and the currencies without a rate (only in revenueByCurrency). */
  money: MoneyNote;
}

const CHANNEL_LABELS: Record<string, string> = {
  email: 'E-mail',
  sms: 'SMS',
  push: 'App push',
  webpush: 'Browser push',
  telegram: 'Telegram',
  webhook: 'Webhook',
};

interface Names {
  journeys: Map<string, string>;
  templates: Map<string, string>;
}

async function namesOf(db: Queryable, ws: string, rows: GroupRow[]): Promise<Names> {
  const ids = (pick: (r: GroupRow) => string | null) => [...new Set(rows.map(pick).filter((x): x is string => !!x))];
  const journeyIds = ids((r) => r.journeyId);
  const templateIds = ids((r) => r.template);
  const lookup = async (table: 'journeys' | 'templates', list: string[]) =>
    new Map(
      list.length
        ? (
            await db.query<{ id: string; name: string }>(
              `SELECT id, name FROM ${table} WHERE workspace_id = $1 AND id = ANY($2::text[])`,
              [ws, list],
            )
          ).map((r) => [r.id, r.name])
        : [],
    );
  return { journeys: await lookup('journeys', journeyIds), templates: await lookup('templates', templateIds) };
}

/** The row's key (stable, for links and joins) and label (for people). Messages without a journey have key ''. */
function identify(by: Dimension, r: GroupRow, n: Names): { key: string; label: string } {
  const journey = r.journeyId ? (n.journeys.get(r.journeyId) ?? r.journeyId) : 'No journey';
  const template = r.template ? (n.templates.get(r.template) ?? r.template) : 'No template';
  switch (by) {
    case 'day':
      return { key: r.day!, label: r.day! };
    case 'journey':
      return { key: r.journeyId ?? '', label: journey };
    case 'step':
      return r.journeyId
        ? { key: `${r.journeyId}/${r.stepId ?? ''}`, label: `${journey} › ${r.stepId ?? '?'}` }
        : { key: '', label: journey };
    case 'channel':
      return { key: r.channel!, label: CHANNEL_LABELS[r.channel!] ?? r.channel! };
    case 'template':
      return { key: r.template ?? '', label: template };
    case 'variant': {
      const arms = r.arms
        ? ` · ${r.arms
            .split(',')
            .map((a) => a.replace('=', ': '))
            .join(', ')}`
        : '';
      return {
        key: `${r.template ?? ''}|${r.locale ?? ''}|${r.arms ?? ''}`,
        label: `${template} · ${r.locale ?? 'no locale'}${arms}`,
      };
    }
    default:
      return assertNever(by, 'dimension');
  }
}

const countsOf = (r: Omit<MetricCounts, 'revenue'>, revenue: number): MetricCounts => ({
  sent: r.sent,
  delivered: r.delivered,
  opens: r.opens,
  clicks: r.clicks,
  conversions: r.conversions,
  revenue,
  unsubscribes: r.unsubscribes,
  bounced: r.bounced,
  failed: r.failed,
  machineOpens: r.machineOpens,
});

export async function messageMetrics(db: Queryable, ws: string, q: MetricsQuery): Promise<MetricsReport> {
  const currency = await currencyInForce(db, ws);
  const groups = await groupCounts(db, ws, q.by, {
    from: parseDay(q.from)!,
    until: addDays(parseDay(q.to)!, 1),
    attributionDays: q.attributionDays,
    baseCurrency: currency.base,
  });
  const names = await namesOf(db, ws, groups);
  const money = (c: Omit<MetricCounts, 'revenue'>, by: ByCurrency): MoneyMetrics => ({
    ...withRates(countsOf(c, toBase(by, currency))),
    revenueByCurrency: by,
  });
  let rows: MetricsRow[] = groups.map((g) => ({ ...identify(q.by, g, names), ...money(g, g.revenueByCurrency) }));
  if (q.by === 'day') {
    const byDay = new Map(rows.map((r) => [r.key, r]));
    rows = daysBetween(q.from, q.to).map((day) => byDay.get(day) ?? { key: day, label: day, ...money(ZERO, {}) });
  } else {
    rows.sort((a, b) => b.sent - a.sent || a.key.localeCompare(b.key));
  }
  const revenueByCurrency = addByCurrency(rows.map((r) => r.revenueByCurrency));
  return {
    by: q.by,
    from: q.from,
    to: q.to,
    rows,
    totals: money(sumCounts(rows), revenueByCurrency),
    money: moneyNote([revenueByCurrency], currency),
  };
}
