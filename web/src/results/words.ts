// The Results page's words that depend on data: each retention metric's name and definition (the hint), each lift
// metric's name and how its values read, and a comparison's verdict in plain words.
import { t } from '../i18n';
import { formatDecimal, formatNumber, formatPercent } from '../format';
import { formatAmount } from '../money';
import type { Comparison, PeriodMetrics } from './types';

export type RetentionMetric =
  | 'startingCustomers'
  | 'active'
  | 'newCustomers'
  | 'retentionRate'
  | 'churnRate'
  | 'repeatPurchaseRate'
  | 'purchaseFrequency'
  | 'averageOrderValue'
  | 'daysBetweenOrders'
  | 'revenuePerCustomer'
  | 'orders'
  | 'revenue';

export const RETENTION_METRICS: RetentionMetric[] = [
  'startingCustomers',
  'active',
  'newCustomers',
  'retentionRate',
  'churnRate',
  'repeatPurchaseRate',
  'purchaseFrequency',
  'averageOrderValue',
  'daysBetweenOrders',
  'revenuePerCustomer',
  'orders',
  'revenue',
];

/** A retention metric's name and its definition, as the docs give it. */
export function retentionWords(m: RetentionMetric): { name: string; definition: string } {
  switch (m) {
    case 'startingCustomers':
      return { name: t('results.metric.startingCustomers'), definition: t('results.define.startingCustomers') };
    case 'active':
      return { name: t('results.metric.active'), definition: t('results.define.active') };
    case 'newCustomers':
      return { name: t('results.metric.newCustomers'), definition: t('results.define.newCustomers') };
    case 'retentionRate':
      return { name: t('results.metric.retentionRate'), definition: t('results.define.retentionRate') };
    case 'churnRate':
      return { name: t('results.metric.churnRate'), definition: t('results.define.churnRate') };
    case 'repeatPurchaseRate':
      return { name: t('results.metric.repeatPurchaseRate'), definition: t('results.define.repeatPurchaseRate') };
    case 'purchaseFrequency':
      return { name: t('results.metric.purchaseFrequency'), definition: t('results.define.purchaseFrequency') };
    case 'averageOrderValue':
      return { name: t('results.metric.averageOrderValue'), definition: t('results.define.averageOrderValue') };
    case 'daysBetweenOrders':
      return { name: t('results.metric.daysBetweenOrders'), definition: t('results.define.daysBetweenOrders') };
    case 'revenuePerCustomer':
      return { name: t('results.metric.revenuePerCustomer'), definition: t('results.define.revenuePerCustomer') };
    case 'orders':
      return { name: t('results.metric.orders'), definition: t('results.define.orders') };
    case 'revenue':
      return { name: t('results.metric.revenue'), definition: t('results.define.revenue') };
  }
}

/** A retention metric's value in a period, formatted. */
export function retentionValue(p: PeriodMetrics, m: RetentionMetric, currency: string): string {
  const v = p[m];
  switch (m) {
    case 'retentionRate':
    case 'churnRate':
    case 'repeatPurchaseRate':
      return formatPercent(v);
    case 'averageOrderValue':
    case 'revenuePerCustomer':
    case 'revenue':
      return v === null ? formatNumber(v) : formatAmount(v, currency);
    case 'purchaseFrequency':
    case 'daysBetweenOrders':
      return formatDecimal(v);
    case 'active':
    case 'newCustomers':
    case 'orders':
    case 'startingCustomers':
    default:
      return formatNumber(v); // (and a metric this dashboard does not know yet)
  }
}

/** What a journey's lift is measured on. */
export type LiftMetric = 'conversion' | 'orders' | 'revenue' | 'click';

export function liftMetricName(m: LiftMetric, split = false): string {
  switch (m) {
    case 'conversion':
      return t('results.lift.conversion');
    case 'orders':
      return t('results.lift.orders');
    case 'revenue':
      return split ? t('results.lift.revenuePerRecipient') : t('results.lift.revenue');
    case 'click':
      return t('results.lift.click');
  }
}

/** A metric's value per customer: a rate as a percentage, money with its currency, orders as a decimal. */
export function liftValue(m: LiftMetric | string, v: number, currency: string | undefined): string {
  if (m === 'conversion' || m === 'click') return formatPercent(v);
  if (m === 'revenue' && currency) return formatAmount(v, currency);
  return formatDecimal(v);
}

/** A difference between arms: percentage points for rates, else like the value. */
export function liftDifference(m: LiftMetric | string, v: number, currency: string | undefined): string {
  if (m === 'conversion' || m === 'click') return t('results.points', { value: formatDecimal(v * 100) });
  return liftValue(m, v, currency);
}

/** The verdict in words: "earns X", "hurts: X", "no measurable effect", "not enough data yet — about N more customers needed". */
export function verdictText(c: Comparison, m: LiftMetric | string, currency: string | undefined): string {
  const v = c.verdict;
  switch (v.kind) {
    case 'earns': {
      const count = Math.round(c.incremental);
      if (m === 'revenue' && currency)
        return t('results.verdict.earnsMoney', { amount: formatAmount(c.incremental, currency) });
      if (m === 'conversion') return t('results.verdict.earnsBuyers', { count });
      if (m === 'orders') return t('results.verdict.earnsOrders', { count });
      if (m === 'click') return t('results.verdict.earnsClicks', { count });
      return t('results.verdict.earnsMoney', { amount: formatDecimal(c.incremental) });
    }
    case 'hurts':
      return t('results.verdict.hurts', {
        amount: m === 'revenue' && currency ? formatAmount(c.incremental, currency) : formatDecimal(c.incremental),
      });
    case 'no_measurable_effect':
      return t('results.verdict.noEffect');
    case 'not_enough_data':
      return typeof v.moreCustomers === 'number'
        ? t('results.verdict.moreCustomers', { count: v.moreCustomers })
        : t('results.verdict.noOutcomesYet');
  }
}
