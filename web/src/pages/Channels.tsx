// Channels page (#/channels): each channel Retain sends on, whether it is set up and with which provider, and a link to
// its form.
import { apiPath } from '../api';
import { useApi } from '../useApi';
import { CHANNEL_TITLES, channelHref, type ChannelView, type ProviderInfo } from '../channels/types';
import '../channels.css';

export function Channels() {
  const channels = useApi<{ channels: ChannelView[] }>(apiPath('/channels'));
  const providers = useApi<{ providers: ProviderInfo[] }>(apiPath('/channels/providers'));
  const error = channels.error ?? providers.error;
  return (
    <>
      <h1>Channels</h1>
      <p className="muted ch-lead">Where Retain sends your messages. Set up a channel with your provider’s settings, check the connection, and send yourself a test.</p>
      {error && <p className="error">{error}</p>}
      {!error && (!channels.data || !providers.data) && <p className="muted">Loading…</p>}
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
                </div>
                <div className="ch-status">
                  {!view && <span className="ch-badge off">Not set up</span>}
                  {view && !view.error && <span className="ch-badge on">{provider?.form.title ?? view.provider}</span>}
                  {view?.error && <span className="ch-badge bad" title={view.error}>Settings unreadable</span>}
                  <span className="ch-action">{view ? 'Edit' : 'Set up'} →</span>
                </div>
              </a>
            );
          })}
        </div>
      )}
    </>
  );
}
