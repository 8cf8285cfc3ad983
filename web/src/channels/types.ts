// Types of the channels API as the dashboard reads them: the configured channels, the providers with their forms, answers.
import type { ChannelView } from '../../../src/channels/store.ts';
import type { FormField, ProviderForm } from '../../../src/channels/forms.ts';
import type { ChannelAnswer } from '../../../src/channels/words.ts';
export type { ChannelView, FormField, ProviderForm, ChannelAnswer };
export { MASK } from '../../../src/channels/mask.ts';

export interface ProviderInfo {
  name: string;
  channel: string;
  secrets: string[];
  form: ProviderForm;
}

/** The channels in the order the page lists them, with the words a marketer knows them by. */
export const CHANNEL_TITLES: Record<string, { title: string; about: string }> = {
  email: { title: 'E-mail', about: 'Campaigns, abandoned carts and receipts by e-mail.' },
  sms: { title: 'SMS', about: 'Text messages to customers’ phones.' },
  webpush: { title: 'Web Push', about: 'Notifications in the browsers of visitors who allowed them.' },
  push: { title: 'App push', about: 'Notifications in your mobile app, through Firebase.' },
  telegram: { title: 'Telegram', about: 'Messages from your Telegram bot.' },
  webhook: { title: 'Webhook', about: 'Each message as JSON to your own system.' },
};

export const channelHref = (channel: string) => `#/channels/${encodeURIComponent(channel)}`;
