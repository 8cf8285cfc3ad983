// E-mail decoration (pure): every http(s) link of an <a> / <area> becomes a tracked link (with UTM parameters added
// first, for marketing), and the open pixel goes in before </body>. Left alone: links to our own /c/ pages
// (unsubscribe, preferences, view in browser: they carry their own signed token and must work without a detour),
// links already tracked (/t/), mailto:, tel:, anchors, and anything that is not a valid absolute http(s) URL.
// Only <a> and <area> are touched: <link href> (web fonts, styles) in the head must stay as it is.
import { withUtm, type Utm } from './utm.ts';

export interface EmailDecoration {
  /** Public base URL of this Retain (https://retain.example.com, perhaps with a path). */
  baseUrl: string;
  /** The open pixel's URL for this message. */
  pixelUrl: string;
  /** The tracked link that leads to target (it signs target into its token). */
  clickUrl(target: string): string;
  /** UTM parameters for every link (marketing messages), or null. */
  utm: Utm | null;
}

const TAG = /<(a|area)(\s(?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
/** One attribute: name, and its value double-quoted, single-quoted or bare. */
const ATTRIBUTE = /(\s+([^\s"'>/=]+)\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))|\s+[^\s"'>/=]+|\s*\//g;
const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** An attribute value as the browser reads it (the character references e-mail HTML uses in URLs). */
export function decodeAttribute(value: string): string {
  return value.replace(ENTITY, (_m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name) return NAMED[name.toLowerCase()]!;
    const code = dec ? Number(dec) : parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
  });
}

const escapeAttribute = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Paths under our base URL whose links are never rewritten: our pages (/c/) and tracked links themselves (/t/). */
function ownPages(baseUrl: string): (url: URL) => boolean {
  const base = new URL(baseUrl);
  const root = base.pathname.replace(/\/+$/, '');
  const prefixes = [`${root}/c/`, `${root}/t/`];
  return (url) => url.origin === base.origin && prefixes.some((p) => url.pathname.startsWith(p));
}
/** The same test for every message from one base URL (the dispatcher has one). */
const ownPagesOf = new Map<string, (url: URL) => boolean>();
const ownPagesFor = (baseUrl: string) => {
  let test = ownPagesOf.get(baseUrl);
  if (!test) {
    if (ownPagesOf.size > 100) ownPagesOf.clear();
    ownPagesOf.set(baseUrl, (test = ownPages(baseUrl)));
  }
  return test;
};

/** The tracked href for a link, or null to leave it as written. */
function trackedHref(raw: string, d: EmailDecoration, isOwn: (u: URL) => boolean): string | null {
  const href = decodeAttribute(raw).trim();
  if (!/^https?:\/\//i.test(href)) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (isOwn(url)) return null;
  return d.clickUrl(d.utm ? withUtm(href, d.utm) : href);
}

/** The HTML with tracked links and the open pixel; the rest of the markup is kept byte for byte. */
export function decorateEmail(html: string, d: EmailDecoration): string {
  const isOwn = ownPagesFor(d.baseUrl);
  const linked = html.replace(TAG, (tag: string, name: string, attrs: string) => {
    const m = [...attrs.matchAll(ATTRIBUTE)].find((a) => a[2]?.toLowerCase() === 'href');
    if (!m) return tag;
    const tracked = trackedHref(m[3] ?? m[4] ?? m[5] ?? '', d, isOwn);
    if (tracked === null) return tag;
    const rewritten =
      attrs.slice(0, m.index) + `${m[1]}"${escapeAttribute(tracked)}"` + attrs.slice(m.index + m[0].length);
    return `<${name}${rewritten}>`;
  });
  const pixel = `<img src="${escapeAttribute(d.pixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" />`;
  let end = -1;
  for (const m of linked.matchAll(/<\/body\s*>/gi)) end = m.index;
  return end < 0 ? linked + pixel : linked.slice(0, end) + pixel + linked.slice(end);
}
