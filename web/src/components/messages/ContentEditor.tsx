// The template's content: locale tabs, channel tabs, and the open channel's fields (or a button to add that channel).
import { blankChannel, CHANNEL_LABELS, withChannel, withLocale, withoutLocale } from '../../messages/draft';
import { CONTENT_CHANNELS, type ContentChannel, type TemplateContent } from '../../messages/types';
import { EmailFields } from './EmailFields';
import { LocaleTabs } from './LocaleTabs';
import { PushFields } from './PushFields';
import { SmsFields } from './SmsFields';
import { TelegramFields } from './TelegramFields';
import { t } from '../../i18n';

interface Props {
  content: TemplateContent;
  defaultLocale: string;
  locale: string;
  channel: ContentChannel;
  smsPrice: number | null;
  onContent: (content: TemplateContent) => void;
  onLocale: (locale: string) => void;
  onChannel: (channel: ContentChannel) => void;
}

export function ContentEditor({
  content,
  defaultLocale,
  locale,
  channel,
  smsPrice,
  onContent,
  onLocale,
  onChannel,
}: Props) {
  const locales = Object.keys(content);
  const variant = content[locale] ?? {};
  const set =
    <C extends ContentChannel>(c: C) =>
    (v: (typeof variant)[C] | undefined) =>
      onContent(withChannel(content, locale, c, v));

  const fields = () => {
    if (channel === 'email' && variant.email) return <EmailFields value={variant.email} onChange={set('email')} />;
    if (channel === 'sms' && variant.sms)
      return <SmsFields value={variant.sms} onChange={set('sms')} pricePerSegment={smsPrice} />;
    if (channel === 'push' && variant.push) return <PushFields value={variant.push} onChange={set('push')} />;
    if (channel === 'telegram' && variant.telegram)
      return <TelegramFields value={variant.telegram} onChange={set('telegram')} />;
    return (
      <p className="muted empty">
        No {CHANNEL_LABELS[channel]} content in {locale}.{' '}
        <button type="button" className="button secondary small" onClick={() => set(channel)(blankChannel(channel))}>
          Add {CHANNEL_LABELS[channel]}
        </button>
      </p>
    );
  };

  return (
    <>
      <LocaleTabs
        locales={locales}
        current={locale}
        defaultLocale={defaultLocale}
        onSelect={onLocale}
        onAdd={(l) => {
          onContent(withLocale(content, l, locale));
          onLocale(l);
        }}
        onRemove={(l) => {
          const next = withoutLocale(content, l);
          onContent(next);
          onLocale(Object.keys(next)[0]!);
        }}
      />
      <div className="tpl-channel-head">
        <div className="toggle" role="tablist" aria-label={t('nav.channels')}>
          {CONTENT_CHANNELS.map((c) => (
            <button
              key={c}
              type="button"
              role="tab"
              aria-selected={c === channel}
              className={c === channel ? 'on' : undefined}
              onClick={() => onChannel(c)}
            >
              {CHANNEL_LABELS[c]}
              {!variant[c] && <span className="muted"> +</span>}
            </button>
          ))}
        </div>
        {variant[channel] && (
          <button type="button" className="button secondary small danger" onClick={() => set(channel)(undefined)}>
            {t('content.remove', { channel: CHANNEL_LABELS[channel], locale })}
          </button>
        )}
      </div>
      <div role="tabpanel" aria-label={t('content.panel', { channel: CHANNEL_LABELS[channel], locale })}>
        {fields()}
      </div>
    </>
  );
}
