// The small HTML pages behind consent links (pure): confirmation, unsubscribe with its button, the preference centre,
// and what went wrong with a link. Every value is escaped; forms post back to our own fixed paths only.
import type { LinkKind } from './links.ts';
import { LINK_PATHS } from './links.ts';

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Headers for every consent page: no caching, no referrer (the token is in the URL), no framing, no scripts. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
} as const;

const STYLE = 'body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#222}' +
  'button{font:inherit;padding:.5rem 1.2rem;border-radius:.4rem;border:1px solid #345;background:#2d5be3;color:#fff;cursor:pointer}' +
  'label{display:block;margin:.3rem 0}fieldset{border:1px solid #ccc;border-radius:.4rem;margin:1rem 0}small{color:#666}';

export function page(title: string, body: string, from?: string): string {
  const sender = from ? `<p><small>${escapeHtml(from)}</small></p>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><h1>${escapeHtml(title)}</h1>${body}${sender}</body></html>`;
}

const action = (kind: LinkKind, token: string) => escapeHtml(`${LINK_PATHS[kind]}?t=${encodeURIComponent(token)}`);

const LINK_PROBLEMS: Record<string, string> = {
  expired: 'This link has expired. Sign up again to get a new one.',
  unknown: 'This link is not known here (it may have been replaced by a newer one, or the data was erased).',
};

/** What is wrong with a link, in words for the person who clicked it. */
export const linkProblemPage = (reason: string) =>
  page('This link does not work', `<p>${escapeHtml(LINK_PROBLEMS[reason] ?? 'This link is incomplete or was changed. Open it again from the message you received.')}</p>`);

export const confirmedPage = (already: boolean, from?: string) =>
  page('Subscription confirmed', `<p>${already ? 'You had already confirmed: nothing more to do.' : 'Thank you: your subscription is confirmed.'}</p>`, from);

/** " from Shop" when the sender is known. */
const fromWhom = (from?: string) => (from ? ` from ${escapeHtml(from)}` : '');

export const unsubscribePage = (token: string, what: string, from?: string) =>
  page('Unsubscribe', `<p>Stop receiving ${escapeHtml(what)}${fromWhom(from)}?</p>` +
    `<form method="post" action="${action('unsubscribe', token)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
    `<button type="submit">Unsubscribe</button></form>`, from);

export const unsubscribedPage = (what: string, token: string | null, from?: string) =>
  page('You are unsubscribed', `<p>You will no longer receive ${escapeHtml(what)}${fromWhom(from)}.</p>` +
    (token ? `<p><a href="${action('preferences', token)}">Manage all your preferences</a></p>` : ''), from);

export interface PreferenceChoices {
  channels: { channel: string; label: string; checked: boolean }[];
  topics: { id: string; name: string; description: string | null; checked: boolean }[];
}

export function preferencesPage(token: string, choices: PreferenceChoices, saved: boolean, from?: string): string {
  const box = (name: string, value: string, checked: boolean, label: string, note?: string | null) =>
    `<label><input type="checkbox" name="${name}" value="${escapeHtml(value)}"${checked ? ' checked' : ''}> ${escapeHtml(label)}` +
    `${note ? ` <small>${escapeHtml(note)}</small>` : ''}</label>`;
  const channels = choices.channels.length
    ? `<fieldset><legend>Marketing messages by</legend>${choices.channels.map((c) => box('channel', c.channel, c.checked, c.label)).join('')}</fieldset>` : '';
  const topics = choices.topics.length
    ? `<fieldset><legend>Topics</legend>${choices.topics.map((t) => box('topic', t.id, t.checked, t.name, t.description)).join('')}</fieldset>` : '';
  return page('Your preferences', (saved ? '<p><strong>Saved.</strong></p>' : '') +
    `<form method="post" action="${action('preferences', token)}">${channels}${topics}` +
    '<input type="hidden" name="save" value="1"><button type="submit">Save</button></form>' +
    '<p><small>Messages about your orders and account are not affected.</small></p>', from);
}
