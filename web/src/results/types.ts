// The Measure API's answers as the Results page reads them (GET /measure/retention, /measure/cohorts, /measure/ltv,
// /experiments, /experiments/{id}/report); the pure shapes are the server's own types.
import type { Comparison } from '../../../src/measure/compare.ts';
import type { CohortRow, PeriodMetrics } from '../../../src/measure/retention.ts';
import type { LtvComparison } from '../../../src/measure/ltv.ts';
import type { RobustnessCheck } from '../../../src/measure/robust.ts';
export type { Comparison, CohortRow, PeriodMetrics };

export interface RetentionResponse {
  period: 'month' | 'quarter';
  zone: string;
  currency: string;
  unconvertedOrders: number;
  periods: PeriodMetrics[];
  clv: { customers: number; mean: number | null };
}

export interface CohortResponse {
  zone: string;
  currency: string;
  cohorts: CohortRow[];
}

export interface ArmReport {
  arm: string;
  control: boolean;
  n: number;
  metrics: Record<string, { value: number; vsControl: Comparison | null; robustness?: RobustnessCheck }>;
}

export type ExperimentKind = 'offline' | 'control_group' | 'journey' | 'holdout' | 'split';

export interface ExperimentListing {
  id: string;
  kind: ExperimentKind;
  name: string;
  journeyId?: string;
  journeyName?: string;
  stepId?: string;
  controlArm: string;
}

export interface ExperimentReport {
  id: string;
  name: string;
  kind: ExperimentKind;
  controlArm: string;
  metrics: { name: string; kind: 'proportion' | 'mean' }[];
  arms: ArmReport[];
  window?: { from: string; until: string; days: number };
  currency?: { base: string; unconvertedOrders: number };
}

export type LtvResponse = LtvComparison & { currency: string; window: { from: string; until: string } };
