// The channels and their providers (read-only; each is set up on its Channels page, or with PUT /api/v1/channels/:channel).
import { apiPath } from '../../api';
import { formatDate, formatMoney } from '../../format';
import { useApi } from '../../useApi';
import { SEND_CHANNELS, type ChannelView } from '../../messages/types';
import { channelHref } from '../../channels/types';

const describe = (c: ChannelView) => {
  const cfg = c.config ?? {};
  const where = ['host', 'from', 'url', 'sender', 'accountSid'].map((k) => cfg[k]).filter((v) => typeof v === 'string' || typeof v === 'number');
  return where.join(' · ');
};

export function ChannelsSummary() {
  const { data, error } = useApi<{ channels: ChannelView[] }>(apiPath('/channels'));
  const byChannel = new Map((data?.channels ?? []).map((c) => [c.channel, c]));
  return (
    <section className="card">
      <h2>Channels</h2>
      <p className="note">
        Set up providers and credentials on the <a href="#/channels">Channels</a> page (or through the API,{' '}
        <code>PUT /api/v1/channels/:channel</code>: see the <a href="/docs" target="_blank" rel="noreferrer">API docs</a>).
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      {!data && !error && <p className="muted">Loading…</p>}
      {data && (
        <table className="table" data-testid="channels-table">
          <thead>
            <tr>
              <th>Channel</th>
              <th>Provider</th>
              <th>Settings</th>
              <th className="num">Per second</th>
              <th className="num">Price</th>
              <th>Updated</th>
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
                      <td>{c.error ? <span className="jf-problem">{c.error}</span> : describe(c) || <span className="muted">—</span>}</td>
                      <td className="num">{c.perSecond ?? 'no limit'}</td>
                      <td className="num">{formatMoney(c.pricePerMessage)}</td>
                      <td className="nowrap">{formatDate(c.updatedAt)}</td>
                    </>
                  ) : (
                    <td colSpan={5} className="muted">not set up</td>
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
