// The template editor's draft (pure): blank channel content, adding and removing locales and channels, the content as
// it is saved (empty optional fields left out), and which locale / channel tab a problem's JSON path points at.
import { CONTENT_CHANNELS, type ContentChannel, type LocaleContent, type TemplateContent } from './types';

export const STARTER_MJML = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Hello {{ customer.first_name | default: 'there' }},</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

export const CHANNEL_LABELS: Record<ContentChannel, string> = {
  email: 'Email',
  sms: 'SMS',
  push: 'Push',
  telegram: 'Telegram',
};

export function blankChannel<C extends ContentChannel>(channel: C): NonNullable<LocaleContent[C]> {
  const blank: { [K in ContentChannel]: NonNullable<LocaleContent[K]> } = {
    email: { subject: '', mjml: STARTER_MJML },
    sms: { text: '' },
    push: { title: '', body: '' },
    telegram: { text: '' },
  };
  return blank[channel];
}

export const BLANK_CONTENT: TemplateContent = { en: { email: blankChannel('email') } };

/** A locale tag as templates name their variants: en, pl, pt-BR, zh-Hant-TW. */
export const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export function withChannel<C extends ContentChannel>(
  content: TemplateContent,
  locale: string,
  channel: C,
  value: LocaleContent[C] | undefined,
): TemplateContent {
  const variant: LocaleContent = { ...content[locale] };
  if (value === undefined) delete variant[channel];
  else variant[channel] = value;
  return { ...content, [locale]: variant };
}

/** Adds a locale as a copy of `copyFrom` (its texts are the starting point of the translation), or empty. */
export function withLocale(content: TemplateContent, locale: string, copyFrom?: string): TemplateContent {
  return { ...content, [locale]: copyFrom && content[copyFrom] ? structuredClone(content[copyFrom]) : {} };
}

export function withoutLocale(content: TemplateContent, locale: string): TemplateContent {
  const next = { ...content };
  delete next[locale];
  return next;
}

/** The channels any variant has content for. */
export function channelsOf(content: TemplateContent): ContentChannel[] {
  return CONTENT_CHANNELS.filter((c) => Object.values(content).some((v) => v[c]));
}

const dropEmpty = <T extends object>(o: T, keys: (keyof T)[]): T => {
  const copy = { ...o };
  for (const k of keys) if (copy[k] === '' || copy[k] === undefined) delete copy[k];
  return copy;
};

/** The content as sent to the API: optional fields left empty are left out. */
export function cleanContent(content: TemplateContent): TemplateContent {
  const out: TemplateContent = {};
  for (const [locale, v] of Object.entries(content)) {
    const variant: LocaleContent = { ...v };
    if (variant.email) variant.email = dropEmpty(variant.email, ['preheader', 'text', 'mjml', 'html']);
    if (variant.push) variant.push = dropEmpty(variant.push, ['url', 'icon']);
    if (variant.telegram?.buttons && variant.telegram.buttons.length === 0)
      variant.telegram = { text: variant.telegram.text };
    out[locale] = variant;
  }
  return out;
}

/** The locale and channel a problem's path names ($.pl.email.subject, $["pt-BR"].sms.text), if any. */
export function problemTarget(path: string): { locale: string; channel?: ContentChannel } | null {
  const m = /^\$(?:\.([A-Za-z_][\w-]*)|\["((?:[^"\\]|\\.)*)"\])(?:\.(\w+))?/.exec(path);
  if (!m) return null;
  const locale = m[1] ?? JSON.parse(`"${m[2]}"`);
  if (locale === 'defaultLocale') return null;
  const channel = (CONTENT_CHANNELS as readonly string[]).includes(m[3] ?? '') ? (m[3] as ContentChannel) : undefined;
  return { locale, channel };
}
