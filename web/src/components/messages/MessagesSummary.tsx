// The last 30 days of messages: sent, delivered, opened and clicked per day (uPlot) with the totals; Analytics has more.
import { formatNumber, formatPercent } from '../../format';
import { lastDays, useMetrics } from '../../messages/useMetrics';
import { MetricsChart } from '../analytics/MetricsChart';
import { MetricsStatus } from '../analytics/MetricsStatus';
import { t } from '../../i18n';

const RANGE = lastDays(30);

export function MessagesSummary() {
  const metrics = useMetrics({ ...RANGE, by: 'day' });
  const totals = metrics.state === 'ok' ? metrics.data.totals : null;
  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('summary.last30')}</h2>
        <a href="#/analytics">{t('summary.allMetrics')}</a>
      </div>
      <MetricsStatus metrics={metrics} />
      {totals && (
        <p className="msg-totals" data-testid="messages-totals">
          {t('summary.totals', {
            sent: formatNumber(totals.sent),
            delivered: formatPercent(totals.deliveryRate),
            opened: formatPercent(totals.openRate),
            clicked: formatPercent(totals.clickRate),
            unsubscribed: formatPercent(totals.unsubscribeRate),
          })}
        </p>
      )}
      {metrics.state === 'ok' && (
        <MetricsChart rows={metrics.data.rows} from={metrics.data.from} to={metrics.data.to} kind="volume" />
      )}
    </section>
  );
}
