// A split's winner on one metric (pure): the best arm whose always-valid verdict against the first arm is "earns";
// the first arm when every other arm "hurts"; none while the method cannot tell.
import type { ExperimentReport } from './types.ts';

export function splitWinner(report: ExperimentReport, metric: string): string | null {
  const others = report.arms.filter((a) => !a.control);
  const earning = others.filter((a) => a.metrics[metric]?.vsControl?.verdict.kind === 'earns');
  if (earning.length)
    return earning.reduce((best, a) => (a.metrics[metric]!.value > best.metrics[metric]!.value ? a : best)).arm;
  const control = report.arms.find((a) => a.control);
  if (control && others.length && others.every((a) => a.metrics[metric]?.vsControl?.verdict.kind === 'hurts'))
    return control.arm;
  return null;
}
