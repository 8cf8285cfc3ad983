// The channels and their providers (read-only; each is set up on its Channels page, or with PUT /api/v1/channels/:channel).
import { apiPath } from '../../api';
import { formatDate, formatMoney } from '../../format';
import { useApi } from '../../useApi';
import { SEND_CHANNELS, type ChannelView } from '../../messages/types';
import { channelHref } from '../../channels/types';
import { t } from '../../i18n';

const describe = (c: ChannelView) => {
  const cfg = c.config ?? {};
  const where = ['host', 'from', 'url', 'sender', 'accountSid']
    .map((k) => cfg[k])
    .filter((v) => typeof v === 'string' || typeof v === 'number');
  return where.join(' · ');
};

export function ChannelsSummary() {
  const { data, error } = useApi<{ channels: ChannelView[] }>(apiPath('/channels'));
  const byChannel = new Map((data?.channels ?? []).map((c) => [c.channel, c]));
  return (
    <section className="card">
      <h2>{t('nav.channels')}</h2>
      <p className="note">
        {t('channelsSummary.setUp')} <a href="#/channels">{t('nav.channels')}</a> ({t('channelsSummary.orApi')}{' '}
        <code>PUT /api/v1/channels/:channel</code>:{' '}
        <a href="/docs" target="_blank" rel="noreferrer">
          {t('channelsSummary.apiDocs')}
        </a>
        ).
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && (
        <table className="table" data-testid="channels-table">
          <thead>
            <tr>
              <th>{t('action.channel')}</th>
              <th>{t('channelsSummary.provider')}</th>
              <th>{t('channelsSummary.settings')}</th>
              <th className="num">{t('channelsSummary.perSecond')}</th>
              <th className="num">{t('profile.price')}</th>
              <th>{t('common.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {SEND_CHANNELS.map((ch) => {
              const c = byChannel.get(ch);
              return (
                <tr key={ch} data-testid={`channel-${ch}`}>
                  <td>
                    <a href={channelHref(ch)}>{ch}</a>
                  </td>
                  {c ? (
                    <>
                      <td>{c.provider}</td>
                      <td>
                        {c.error ? (
                          <span className="jf-problem">{c.error}</span>
                        ) : (
                          describe(c) || <span className="muted">—</span>
                        )}
                      </td>
                      <td className="num">{c.perSecond ?? t('channelsSummary.noLimit')}</td>
                      <td className="num">{formatMoney(c.pricePerMessage)}</td>
                      <td className="nowrap">{formatDate(c.updatedAt)}</td>
                    </>
                  ) : (
                    <td colSpan={5} className="muted">
                      {t('channelsSummary.notSetUp')}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
