// The message log, newest first: messages sent and those never handed over (skipped, deferred, expired, cancelled by a
// journey's goal), each with its reason and time; filters by customer, journey, status and reason, "Load more" by
// cursor. A customer's profile and a journey run show the same log with their own filter fixed.
import { useEffect, useState } from 'react';
import { ApiError, apiGet, apiPath } from '../../api';
import { formatDate, formatMoney } from '../../format';
import { customerHref, journeyHref } from '../../router';
import { LOG_STATUSES, OUTCOME_REASONS, type MessageRow, type MessagesResponse } from '../../messages/types';
import { t } from '../../i18n';
import { outcomeName, statusName } from '../../i18n/terms';

interface Props {
  /** Only this customer's messages (customer id); hides the customer filter. */
  customer?: string;
  /** Only the messages of this journey run; hides the filters. */
  run?: string;
  /** The card's heading. */
  title?: string;
  /** Journeys to offer in the journey filter (id and name); none: no journey filter. */
  journeys?: { id: string; name: string }[];
}

export function RecentMessages({ customer: fixedCustomer, run, title, journeys = [] }: Props) {
  const [customer, setCustomer] = useState('');
  const [journey, setJourney] = useState('');
  const [status, setStatus] = useState('');
  const [reason, setReason] = useState('');
  const [filter, setFilter] = useState({
    customer: fixedCustomer ?? '',
    journey: '',
    status: '',
    reason: '',
    run: run ?? '',
  });
  const [rows, setRows] = useState<MessageRow[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ unavailable: boolean; message: string } | null>(null);

  async function load(after: string | null) {
    try {
      const r = await apiGet<MessagesResponse>(apiPath('/messages', { ...filter, limit: 50, cursor: after }));
      setRows((prev) => (after ? [...(prev ?? []), ...r.messages] : r.messages));
      setCursor(r.nextCursor);
      setProblem(null);
    } catch (err) {
      setProblem({
        unavailable: err instanceof ApiError && err.status === 404 && err.code === 'not_found' && !filter.customer,
        message: (err as Error).message,
      });
    }
  }

  useEffect(() => {
    setRows(null);
    void load(null);
    // load reads the filter of this render
  }, [filter]);

  const filtered = !!(filter.status || filter.reason || filter.journey || (filter.customer && !fixedCustomer));
  const apply = () =>
    setFilter({ customer: fixedCustomer ?? customer.trim(), journey, status, reason, run: run ?? '' });
  return (
    <section
      className="card"
      data-testid={run ? `run-messages-${run}` : fixedCustomer ? 'customer-messages' : 'message-log'}
    >
      <h2>{title ?? t('log.recent')}</h2>
      {!run && (
        <form className="search msg-filters" onSubmit={(e) => (e.preventDefault(), apply())}>
          {!fixedCustomer && (
            <input
              type="search"
              aria-label={t('log.byCustomer')}
              placeholder={t('log.customerPlaceholder')}
              value={customer}
              onChange={(e) => setCustomer(e.target.value)}
            />
          )}
          {journeys.length > 0 && (
            <select aria-label={t('log.byJourney')} value={journey} onChange={(e) => setJourney(e.target.value)}>
              <option value="">{t('log.anyJourney')}</option>
              {journeys.map((j) => (
                <option key={j.id} value={j.id}>
                  {j.name}
                </option>
              ))}
            </select>
          )}
          <select aria-label={t('log.byStatus')} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('log.anyStatus')}</option>
            {LOG_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusName(s)}
              </option>
            ))}
          </select>
          <select aria-label={t('log.byReason')} value={reason} onChange={(e) => setReason(e.target.value)}>
            <option value="">{t('log.anyReason')}</option>
            {OUTCOME_REASONS.map((r) => (
              <option key={r} value={r}>
                {outcomeName(r)}
              </option>
            ))}
          </select>
          <button type="submit" className="button secondary">
            {t('log.filter')}
          </button>
        </form>
      )}
      {problem?.unavailable && (
        <p className="muted empty" data-testid="messages-unavailable">
          {t('log.unavailable')}
        </p>
      )}
      {problem && !problem.unavailable && (
        <p className="error" role="alert">
          {problem.message}
        </p>
      )}
      {!rows && !problem && <p className="muted">{t('common.loading')}</p>}
      {rows && rows.length === 0 && (
        <p className="muted empty" data-testid="messages-empty">
          No messages{filtered ? ' match' : ' yet'}.
        </p>
      )}
      {rows && rows.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="messages-table">
            <thead>
              <tr>
                <th>{t('overview.time')}</th>
                <th>{t('title.customer')}</th>
                <th>{t('action.channel')}</th>
                <th>{t('title.template')}</th>
                <th>{t('common.status')}</th>
                <th>{t('log.journeyStep')}</th>
                <th className="num">{t('log.cost')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={`${m.kind}:${m.id}`} data-kind={m.kind}>
                  <td className="nowrap">{formatDate(m.sentAt ?? m.at)}</td>
                  <td>
                    <a href={customerHref(m.customerId)}>{m.userId ?? m.customerId}</a>
                  </td>
                  <td>{m.channel ?? '—'}</td>
                  <td>
                    {m.template ?? '—'}
                    {m.locale && <span className="muted"> · {m.locale}</span>}
                  </td>
                  <td>
                    <span className={`tag status-${m.status}`}>{statusName(m.status)}</span>
                    {m.reason && (
                      <span className="msg-reason" data-testid="message-reason">
                        {' '}
                        {outcomeName(m.reason)}
                      </span>
                    )}
                    {m.detail && (
                      <div className="muted msg-error">
                        {m.detail}
                        {m.until && ` · ${t('log.triedAgain', { when: formatDate(m.until) })}`}
                      </div>
                    )}
                    {m.error && <div className="muted msg-error">{m.error}</div>}
                  </td>
                  <td>
                    {m.journeyId ? <a href={journeyHref(m.journeyId)}>{m.journeyId}</a> : '—'}
                    {m.stepId && <span className="muted"> · {m.stepId}</span>}
                  </td>
                  <td className="num">{m.cost == null ? '—' : formatMoney(m.cost)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <div className="more">
          <button type="button" className="button secondary" onClick={() => void load(cursor)}>
            {t('common.loadMore')}
          </button>
        </div>
      )}
    </section>
  );
}
