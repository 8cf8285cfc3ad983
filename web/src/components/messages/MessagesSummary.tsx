// The last 30 days of messages: sent, delivered, opened and clicked per day (uPlot) with the totals; Analytics has more.
import { formatNumber, formatPercent } from '../../format';
import { lastDays, useMetrics } from '../../messages/useMetrics';
import { MetricsChart } from '../analytics/MetricsChart';
import { MetricsStatus } from '../analytics/MetricsStatus';

const RANGE = lastDays(30);

export function MessagesSummary() {
  const metrics = useMetrics({ ...RANGE, by: 'day' });
  const t = metrics.state === 'ok' ? metrics.data.totals : null;
  return (
    <section className="card">
      <div className="card-head">
        <h2>Last 30 days</h2>
        <a href="#/analytics">All metrics</a>
      </div>
      <MetricsStatus metrics={metrics} />
      {t && (
        <p className="msg-totals" data-testid="messages-totals">
          {formatNumber(t.sent)} sent · {formatPercent(t.deliveryRate)} delivered · {formatPercent(t.openRate)} opened · {formatPercent(t.clickRate)} clicked ·{' '}
          {formatPercent(t.unsubscribeRate)} unsubscribed
        </p>
      )}
      {metrics.state === 'ok' && <MetricsChart rows={metrics.data.rows} from={metrics.data.from} to={metrics.data.to} kind="volume" />}
    </section>
  );
}
