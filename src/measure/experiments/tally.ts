// Each arm's running summaries while an experiment's file is read (pure); a customer counts once, in the first arm seen.
import type { MetricSummary } from '../summary.ts';
import type { ExperimentMapping } from './mapping.ts';
import { LOG_SUFFIX, logAmount } from '../robust.ts';
const empty = (): MetricSummary => ({ n: 0, sum: 0, sumSquares: 0, nonZero: 0 });

function addTo(s: MetricSummary, x: number): void {
  s.n += 1;
  s.sum += x;
  s.sumSquares += x * x;
  if (x !== 0) s.nonZero += 1;
}

export interface ArmSummary {
  arm: string;
  /** Metric name → its summary over the arm's customers. */
  metrics: Record<string, MetricSummary>;
}

export interface Rejected {
  line: number;
  field: string;
  reason: string;
}

export class ExperimentTally {
  /** Per arm: each metric's summary in mapping order, then each amount's (mean metric's) summary on the log scale. */
  private readonly arms = new Map<string, MetricSummary[]>();
  private readonly seen = new Set<string>();
  readonly rejected: Rejected[] = [];
  rejectedCount = 0;

  constructor(
    private readonly mapping: ExperimentMapping,
    private readonly keepRejects = 20,
  ) {}

  add(arm: string, customer: string, values: number[], line: number): void {
    if (this.seen.has(customer)) {
      this.reject({
        line,
        field: this.mapping.customer ?? 'customer',
        reason: `customer "${customer}" is already in the experiment (a customer counts once)`,
      });
      return;
    }
    this.seen.add(customer);
    let sums = this.arms.get(arm);
    const count = this.mapping.metrics.length;
    if (!sums) this.arms.set(arm, (sums = Array.from({ length: 2 * count }, empty)));
    values.forEach((x, i) => {
      addTo(sums![i]!, x);
      if (this.mapping.metrics[i]!.kind === 'mean') addTo(sums![count + i]!, logAmount(x));
    });
  }

  reject(r: Rejected): void {
    this.rejectedCount++;
    if (this.rejected.length < this.keepRejects) this.rejected.push(r);
  }

  customers(): number {
    return this.seen.size;
  }

  summaries(): ArmSummary[] {
    return [...this.arms].map(([arm, sums]) => ({
      arm,
      metrics: Object.fromEntries(
        this.mapping.metrics.flatMap((m, i) => [
          [m.name, { ...sums[i]! }] as const,
          ...(m.kind === 'mean' ? [[m.name + LOG_SUFFIX, { ...sums[this.mapping.metrics.length + i]! }] as const] : []),
        ]),
      ),
    }));
  }
}
