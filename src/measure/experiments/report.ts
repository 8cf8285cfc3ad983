// An experiment's report (pure): per arm its customers and each metric's value, and for every arm but control the
// comparison with control (difference, intervals, p-values, lift, incremental total, verdict).
import { compare, type Comparison, type CompareOptions, type MetricKind } from '../compare.ts';
import { mean } from '../summary.ts';
import { DomainError } from '../../lib/index.ts';
import type { ArmSummary } from './tally.ts';
import { LOG_SUFFIX, robustnessCheck, type RobustnessCheck } from '../robust.ts';

export interface ExperimentReportInput {
  id: string;
  name: string;
  controlArm: string;
  metrics: { name: string; kind: MetricKind }[];
  arms: ArmSummary[];
}

export interface ArmReport {
  arm: string;
  control: boolean;
  n: number;
  metrics: Record<string, { value: number; vsControl: Comparison | null; robustness?: RobustnessCheck }>;
}

export interface ExperimentReport {
  id: string;
  name: string;
  controlArm: string;
  metrics: { name: string; kind: MetricKind }[];
  /** Control first, then the other arms by name. */
  arms: ArmReport[];
}

/** An experiment that cannot be reported yet: its control arm has no customers. */
export class ExperimentReportError extends DomainError {
  constructor(message: string) {
    super('experiment_incomplete', 409, message, { field: 'control' });
  }
}

export function experimentReport(input: ExperimentReportInput, options: CompareOptions = {}): ExperimentReport {
  const control = input.arms.find((a) => a.arm === input.controlArm);
  if (!control) {
    const arms = input.arms.map((a) => `"${a.arm}"`).join(', ') || 'none';
    throw new ExperimentReportError(`control: the control arm "${input.controlArm}" has no customers (arms: ${arms})`);
  }
  const ordered = [control, ...input.arms.filter((a) => a !== control).sort((a, b) => a.arm.localeCompare(b.arm))];
  return {
    id: input.id,
    name: input.name,
    controlArm: input.controlArm,
    metrics: input.metrics,
    arms: ordered.map((a) => ({
      arm: a.arm,
      control: a === control,
      n: a.metrics[input.metrics[0]!.name]?.n ?? 0,
      metrics: Object.fromEntries(
        input.metrics.map((m) => {
          const s = a.metrics[m.name]!;
          if (a === control) return [m.name, { value: mean(s), vsControl: null }];
          const vsControl = compare(m.kind, s, control.metrics[m.name]!, options);
          const logT = a.metrics[m.name + LOG_SUFFIX];
          const logC = control.metrics[m.name + LOG_SUFFIX];
          const robust =
            m.kind === 'mean' && logT && logC
              ? { robustness: robustnessCheck(vsControl.interval, logT, logC, options.confidence) }
              : {};
          return [m.name, { value: mean(s), vsControl, ...robust }];
        }),
      ),
    })),
  };
}
