// Channels page (#/channels): each channel Retain sends on, whether it is set up and with which provider, and a link to
// its form.
import { apiPath } from '../api';
import { useApi } from '../useApi';
import { CHANNEL_TITLES, channelHref, type ChannelView, type ProviderInfo } from '../channels/types';
import '../channels.css';
import { t } from '../i18n';

/** A few words on where a set-up channel sends: its server, sender or address (never a credential). */
function whereOf(view: ChannelView): string {
  const c = view.config ?? {};
  const account = c.serviceAccount as { project_id?: unknown } | undefined;
  const parts = [c.host, c.from, c.url, c.subject, account?.project_id].filter(
    (v): v is string => typeof v === 'string' && v !== '••••',
  );
  return parts.slice(0, 2).join(' · ');
}

export function Channels() {
  const channels = useApi<{ channels: ChannelView[] }>(apiPath('/channels'));
  const providers = useApi<{ providers: ProviderInfo[] }>(apiPath('/channels/providers'));
  const error = channels.error ?? providers.error;
  return (
    <>
      <h1>{t('nav.channels')}</h1>
      <p className="muted ch-lead">{t('channels.lead')}</p>
      {error && <p className="error">{error}</p>}
      {!error && (!channels.data || !providers.data) && <p className="muted">{t('common.loading')}</p>}
      {channels.data && providers.data && (
        <div className="ch-list">
          {Object.entries(CHANNEL_TITLES).map(([channel, { title, about }]) => {
            const view = channels.data!.channels.find((c) => c.channel === channel);
            const provider = view && providers.data!.providers.find((p) => p.name === view.provider);
            return (
              <a key={channel} className="card ch-item" href={channelHref(channel)} data-testid={`channel-${channel}`}>
                <div>
                  <h2>{title}</h2>
                  <p className="muted">{about}</p>
                  {view && whereOf(view) && <p className="ch-where">{whereOf(view)}</p>}
                </div>
                <div className="ch-status">
                  {!view && <span className="ch-badge off">{t('channels.notSetUp')}</span>}
                  {view && !view.error && <span className="ch-badge on">{provider?.form.title ?? view.provider}</span>}
                  {view?.error && (
                    <span className="ch-badge bad" title={view.error}>
                      {t('channels.unreadable')}
                    </span>
                  )}
                  <span className="ch-action">{view ? t('common.edit') : t('channels.setUp')} →</span>
                </div>
              </a>
            );
          })}
        </div>
      )}
    </>
  );
}
