// What a metrics card shows before (or instead of) its data: loading, the route missing on this server, or the error.
import type { MetricsState } from '../../messages/useMetrics';
import { t } from '../../i18n';

export function MetricsStatus({ metrics }: { metrics: MetricsState }) {
  if (metrics.state === 'loading') return <p className="muted">{t('common.loading')}</p>;
  if (metrics.state === 'unavailable') {
    return (
      <p className="muted empty" data-testid="metrics-unavailable">
        Message metrics are not available on this server yet (GET /api/v1/analytics/messages is missing). Sending works;
        the figures appear once it is there.
      </p>
    );
  }
  if (metrics.state === 'failed')
    return (
      <p className="error" role="alert">
        Could not load the metrics: {metrics.message}
      </p>
    );
  return null;
}
