// The table cell both the lift and the split tables show: an arm's difference from control, with its 95 % interval under it.
import { t } from '../../i18n';
import { liftDifference, type LiftMetric } from '../../results/words';

interface Props {
  metric: LiftMetric | string;
  vs: { difference: number; interval: { low: number; high: number } } | null | undefined;
  currency: string | undefined;
  testId?: string;
}

export function DifferenceCell({ metric, vs, currency, testId }: Props) {
  return (
    <td className="num" data-testid={testId}>
      {vs ? liftDifference(metric, vs.difference, currency) : '—'}
      {vs && (
        <small className="interval">
          {t('results.interval', {
            low: liftDifference(metric, vs.interval.low, currency),
            high: liftDifference(metric, vs.interval.high, currency),
          })}
        </small>
      )}
    </td>
  );
}
