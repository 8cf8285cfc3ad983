// Measure: what retention earns. The statistics are pure (summaries in, comparisons out); see compare.ts.
export {
  compare,
  MIN_OUTCOMES_PER_ARM,
  type Comparison,
  type CompareOptions,
  type MetricKind,
  type Verdict,
} from './compare.ts';
export { newcombe, wilson, welch, relativeLift, proportionsPValue, type Interval } from './intervals.ts';
export { alwaysValid } from './sequential.ts';
export { customersPerArm, customersForVariance } from './power.ts';
export { proportionSummary, summarize, mean, variance, type MetricSummary } from './summary.ts';
export { runExperimentImport } from './command.ts';
export { sendAllToWinner } from './promote.ts';
export { allExperiments, reportById } from './reports.ts';
export { cohortReport, retentionReport, ltvReport } from './retention-report.ts';
