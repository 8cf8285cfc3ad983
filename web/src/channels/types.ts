// Types of the channels API as the dashboard reads them: the configured channels, the providers with their forms, answers.
import type { ChannelView } from '../../../src/channels/store.ts';
import type { FormField, ProviderForm } from '../../../src/channels/forms.ts';
import type { ChannelAnswer } from '../../../src/channels/words.ts';
import { t } from '../i18n/index.ts';
export type { ChannelView, FormField, ProviderForm, ChannelAnswer };
export { MASK } from '../../../src/channels/mask.ts';

export interface ProviderInfo {
  name: string;
  channel: string;
  secrets: string[];
  form: ProviderForm;
}

/** The channels in the order the page lists them, with the words a marketer knows them by. */
export const CHANNEL_TITLES: Record<string, { readonly title: string; readonly about: string }> = {
  email: {
    title: 'E-mail',
    get about() {
      return t('channel.about.email');
    },
  },
  sms: {
    title: 'SMS',
    get about() {
      return t('channel.about.sms');
    },
  },
  webpush: {
    title: 'Web Push',
    get about() {
      return t('channel.about.webpush');
    },
  },
  push: {
    get title() {
      return t('channel.title.push');
    },
    get about() {
      return t('channel.about.push');
    },
  },
  telegram: {
    title: 'Telegram',
    get about() {
      return t('channel.about.telegram');
    },
  },
  webhook: {
    get title() {
      return t('channel.title.webhook');
    },
    get about() {
      return t('channel.about.webhook');
    },
  },
};

export const channelHref = (channel: string) => `#/channels/${encodeURIComponent(channel)}`;
