// The small HTML pages behind consent links (pure): confirmation, unsubscribe with its button, the preference centre,
// and what went wrong with a link, each in the reader's language (texts/{en,pl,ru}.json). Every value is escaped;
// forms post back to our own fixed paths only.
import type { LinkKind } from './links.ts';
import { LINK_PATHS } from './links.ts';
import type { Channel } from '../channels/index.ts';
import type { Language } from '../i18n/index.ts';
import { consentText, type ConsentTextKey } from './texts.ts';

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Headers for every consent page: no caching, no referrer (the token is in the URL), no framing, no scripts. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
} as const;

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#222}' +
  'button{font:inherit;padding:.5rem 1.2rem;border-radius:.4rem;border:1px solid #345;background:#2d5be3;color:#fff;cursor:pointer}' +
  'label{display:block;margin:.3rem 0}fieldset{border:1px solid #ccc;border-radius:.4rem;margin:1rem 0}small{color:#666}';

export function page(title: string, body: string, from?: string, lang: Language = 'en'): string {
  const sender = from ? `<p><small>${escapeHtml(from)}</small></p>` : '';
  return (
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1>${body}${sender}</body></html>`
  );
}

const action = (kind: LinkKind, token: string) => escapeHtml(`${LINK_PATHS[kind]}?t=${encodeURIComponent(token)}`);

/** One message of the catalogue as HTML text (its values are escaped with it). */
const text = (lang: Language, key: ConsentTextKey, values?: Record<string, string | number>) =>
  escapeHtml(consentText(lang)(key, values));

const LINK_PROBLEMS: Record<string, ConsentTextKey> = {
  expired: 'linkProblem.expired',
  unknown: 'linkProblem.unknown',
};

/** What is wrong with a link, in words for the person who clicked it. */
export const linkProblemPage = (reason: string, lang: Language = 'en') =>
  page(
    consentText(lang)('linkProblem.title'),
    `<p>${text(lang, LINK_PROBLEMS[reason] ?? 'linkProblem.broken')}</p>`,
    undefined,
    lang,
  );

export const confirmedPage = (already: boolean, from?: string, lang: Language = 'en') =>
  page(
    consentText(lang)('confirmed.title'),
    `<p>${text(lang, already ? 'confirmed.already' : 'confirmed.done')}</p>`,
    from,
    lang,
  );

/** What an unsubscribe link stops: marketing on a channel, or a topic (by its name). */
export type UnsubscribeTarget = { channel: Channel; topic?: undefined } | { channel: Channel; topic: string };

/** The values the unsubscribe sentences select on: a topic or a channel, and the sender when known. */
const targetValues = (what: UnsubscribeTarget, from?: string) => ({
  target: what.topic === undefined ? 'channel' : 'topic',
  topic: what.topic ?? '',
  channel: what.channel,
  from: from ? 'yes' : 'no',
  sender: from ?? '',
});

/** The page a link opens: nothing changes until its button is pressed (mail scanners follow links). */
export const unsubscribePage = (token: string, what: UnsubscribeTarget, from?: string, lang: Language = 'en') =>
  page(
    consentText(lang)('unsubscribe.title'),
    `<p>${text(lang, 'unsubscribe.question', targetValues(what, from))}</p>` +
      `<form method="post" action="${action('unsubscribe', token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
      `<button type="submit">${text(lang, 'unsubscribe.button')}</button></form>`,
    from,
    lang,
  );

export const unsubscribedPage = (what: UnsubscribeTarget, token: string | null, from?: string, lang: Language = 'en') =>
  page(
    consentText(lang)('unsubscribed.title'),
    `<p>${text(lang, 'unsubscribed.text', targetValues(what, from))}</p>` +
      (token ? `<p><a href="${action('preferences', token)}">${text(lang, 'unsubscribed.preferences')}</a></p>` : ''),
    from,
    lang,
  );

/** A POST to the unsubscribe link without the one-click field: nothing changed. */
export const nothingChangedPage = (lang: Language = 'en') =>
  page(
    consentText(lang)('unsubscribe.nothingChanged.title'),
    `<p>${text(lang, 'unsubscribe.nothingChanged.text')}</p>`,
    undefined,
    lang,
  );

const CHANNEL_LABELS: Record<Channel, ConsentTextKey> = {
  email: 'channel.email',
  sms: 'channel.sms',
  push: 'channel.push',
  webpush: 'channel.webpush',
  telegram: 'channel.telegram',
  webhook: 'channel.webhook',
};

export interface PreferenceChoices {
  channels: { channel: Channel; checked: boolean }[];
  topics: { id: string; name: string; description: string | null; checked: boolean }[];
}

export function preferencesPage(
  token: string,
  choices: PreferenceChoices,
  saved: boolean,
  from?: string,
  lang: Language = 'en',
): string {
  const box = (name: string, value: string, checked: boolean, label: string, note?: string | null) =>
    `<label><input type="checkbox" name="${name}" value="${escapeHtml(value)}"${checked ? ' checked' : ''}> ${escapeHtml(label)}` +
    `${note ? ` <small>${escapeHtml(note)}</small>` : ''}</label>`;
  const t = consentText(lang);
  const channels = choices.channels.length
    ? `<fieldset><legend>${text(lang, 'preferences.channels')}</legend>${choices.channels.map((c) => box('channel', c.channel, c.checked, t(CHANNEL_LABELS[c.channel]))).join('')}</fieldset>`
    : '';
  const topics = choices.topics.length
    ? `<fieldset><legend>${text(lang, 'preferences.topics')}</legend>${choices.topics.map((tp) => box('topic', tp.id, tp.checked, tp.name, tp.description)).join('')}</fieldset>`
    : '';
  return page(
    t('preferences.title'),
    (saved ? `<p><strong>${text(lang, 'preferences.saved')}</strong></p>` : '') +
      `<form method="post" action="${action('preferences', token)}">${channels}${topics}` +
      `<input type="hidden" name="save" value="1"><button type="submit">${text(lang, 'preferences.save')}</button></form>` +
      `<p><small>${text(lang, 'preferences.note')}</small></p>`,
    from,
    lang,
  );
}
