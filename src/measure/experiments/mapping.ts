// How the rows of an experiment's file become arms and outcomes (pure): the mapping, the presets, and one row read with
// a reason naming the column when it cannot be.
import type { MetricKind } from '../compare.ts';

export interface ExperimentMetric {
  /** The metric's name in the report (visit, conversion, spend). */
  name: string;
  /** The file's column holding it. */
  column: string;
  /** proportion: 0/1 per customer; mean: an amount per customer. */
  kind: MetricKind;
}

export interface ExperimentMapping {
  /** The column naming each customer's arm. */
  arm: string;
  /** The arm value of the control group. */
  control: string;
  /** The column of the customer id; without it each line is its own customer. */
  customer?: string;
  metrics: ExperimentMetric[];
}

export interface ExperimentPreset {
  id: string;
  name: string;
  mapping: ExperimentMapping;
}

export const EXPERIMENT_PRESETS = {
  hillstrom: {
    id: 'hillstrom',
    name: 'Hillstrom e-mail experiment (MineThatData, 2008): two weeks after one e-mail',
    mapping: {
      arm: 'segment',
      control: 'No E-Mail',
      metrics: [
        { name: 'visit', column: 'visit', kind: 'proportion' },
        { name: 'conversion', column: 'conversion', kind: 'proportion' },
        { name: 'spend', column: 'spend', kind: 'mean' },
      ],
    },
  },
} as const satisfies Record<string, ExperimentPreset>;

export type ExperimentPresetName = keyof typeof EXPERIMENT_PRESETS;

export function isExperimentPreset(name: string): name is ExperimentPresetName {
  return Object.hasOwn(EXPERIMENT_PRESETS, name);
}

export type ReadRow =
  | { ok: true; arm: string; customer: string; values: number[] }
  | { ok: false; field: string; reason: string };

const YES = new Set(['1', 'true', 'yes', 'y']);
const NO = new Set(['0', 'false', 'no', 'n']);

/** The columns a mapping needs that the file's header lacks (empty when all are there). */
export function missingColumns(mapping: ExperimentMapping, header: readonly string[]): string[] {
  const have = new Set(header);
  const wanted = [
    mapping.arm,
    ...(mapping.customer ? [mapping.customer] : []),
    ...mapping.metrics.map((m) => m.column),
  ];
  return [...new Set(wanted.filter((c) => !have.has(c)))];
}

/** One row of the file: its arm, customer and the metrics' values in mapping order, or why it cannot be read. */
export function readExperimentRow(
  row: Readonly<Record<string, string | undefined>>,
  mapping: ExperimentMapping,
  line: number,
): ReadRow {
  const arm = (row[mapping.arm] ?? '').trim();
  if (!arm) return { ok: false, field: mapping.arm, reason: 'no arm' };
  const customer = mapping.customer ? (row[mapping.customer] ?? '').trim() : `line-${line}`;
  if (!customer) return { ok: false, field: mapping.customer!, reason: 'no customer id' };
  const values: number[] = [];
  for (const m of mapping.metrics) {
    const raw = (row[m.column] ?? '').trim();
    if (m.kind === 'proportion') {
      const v = raw.toLowerCase();
      if (YES.has(v)) values.push(1);
      else if (NO.has(v)) values.push(0);
      else return { ok: false, field: m.column, reason: `"${raw}" is not 0 or 1 (yes/no)` };
    } else {
      const n = raw === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(n))
        return { ok: false, field: m.column, reason: `"${raw}" is not a number (use a dot for decimals: 12.50)` };
      values.push(n);
    }
  }
  return { ok: true, arm, customer, values };
}
