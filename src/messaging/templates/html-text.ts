// HTML → plain text for the text part of an e-mail (pure): blocks become line breaks, links "text (url)", images their
// alt text, entities decoded, no tags; what mail clients do not show (head, styles, hidden elements, Outlook-only
// conditional comments) is left out.

const blocks = new Set(
  'address article aside blockquote center dd details div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody tfoot thead tr ul'.split(
    ' ',
  ),
);
/** Blocks set apart by an empty line. */
const paragraphs = new Set('blockquote h1 h2 h3 h4 h5 h6 hr ol p pre table ul'.split(' '));
/** Elements whose content is never shown as text. */
const unseen = new Set('head noscript script style template title xml'.split(' '));
const voids = new Set('area base br col embed hr img input link meta source track wbr'.split(' '));

const blank = /^[ \t\n\r\f]*$/;
const token =
  /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|[^<]+|</g;

/** The text a reader of `html` sees, as plain text. */
export function htmlToText(html: string): string {
  const out = new TextOut();
  const links: { href: string; start: number }[] = [];
  let pre = 0;
  let skip: { name: string; depth: number } | null = null;
  for (const m of html.matchAll(token)) {
    const [whole, closing, rawName, attrText = ''] = m;
    const name = rawName?.toLowerCase();
    if (skip) {
      if (name === skip.name && !voids.has(name) && !attrText.endsWith('/')) skip.depth += closing ? -1 : 1;
      if (skip.depth === 0) skip = null;
      continue;
    }
    if (!name) {
      if (whole.startsWith('<!') || whole.startsWith('<?')) continue; // comments (also Outlook's <!--[if mso]> … <![endif]-->), doctype, CDATA
      if (!pre && blank.test(whole))
        out.space(); // most of an e-mail's text nodes are indentation
      else out.text(decodeEntities(whole), pre > 0);
      continue;
    }
    if (closing) {
      if (name === 'pre') pre = Math.max(0, pre - 1);
      if (name === 'a' && links.length) out.link(links.pop()!);
      if (name === 'td' || name === 'th') out.space();
      if (blocks.has(name)) out.breakLine(paragraphs.has(name) ? 2 : 1);
      continue;
    }
    const attrs = name === 'a' || name === 'img' || /hidden|display/i.test(attrText) ? attributes(attrText) : {};
    const selfClosing = voids.has(name) || attrText.trimEnd().endsWith('/');
    if (unseen.has(name) || isHidden(attrs)) {
      if (!selfClosing) skip = { name, depth: 1 };
      continue;
    }
    if (name === 'br') out.lineBreak();
    else if (name === 'img' && attrs.alt) out.text(attrs.alt, false);
    else if (name === 'a' && !selfClosing) links.push({ href: attrs.href ?? '', start: out.mark() });
    if (blocks.has(name)) out.breakLine(paragraphs.has(name) ? 2 : 1);
    if (name === 'hr') {
      out.text('---', false);
      out.breakLine(2);
    }
    if (name === 'li') out.text('- ', false);
    if (name === 'pre') pre++;
  }
  return out.done();
}

function isHidden(attrs: Record<string, string>): boolean {
  return 'hidden' in attrs || /display\s*:\s*none/i.test(attrs.style ?? '');
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    out[m[1]!.toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

/** The text being written: collapses white space as a browser does, and keeps line breaks as asked. */
class TextOut {
  private out = '';
  private breaks = 0;
  private spaced = true;

  text(text: string, preformatted: boolean) {
    if (!preformatted) text = text.replace(/[ \t\n\r\f]+/g, ' ');
    if (!text) return;
    if (this.breaks) {
      if (this.out) this.out += '\n'.repeat(Math.min(this.breaks, 3));
      this.breaks = 0;
      this.spaced = true;
      if (!preformatted) text = text.replace(/^ /, '');
    } else if (this.spaced && !preformatted) text = text.replace(/^ /, '');
    if (!text) return;
    this.out += text;
    this.spaced = /[ \n]$/.test(text);
  }
  space() {
    if (!this.spaced && !this.breaks) this.text(' ', false);
  }
  /** A block boundary: at least `n` line breaks before the next text (2 = an empty line). */
  breakLine(n: number) {
    this.breaks = Math.max(this.breaks, n);
  }
  /** <br>: one more line break (two in a row make an empty line). */
  lineBreak() {
    this.breaks++;
  }
  mark(): number {
    return this.out.length;
  }
  /** Closes a link: "text (url)", or the url alone when it has no text, or the text alone when it is the url. */
  link({ href, start }: { href: string; start: number }) {
    const url = href.trim();
    if (!url || url.startsWith('#') || /^javascript:/i.test(url)) return;
    const label = this.out.slice(start).trim();
    if (!label) {
      this.space();
      return this.text(url, false);
    }
    const plain = (s: string) => s.replace(/^(mailto:|tel:|https?:\/\/)/i, '').replace(/\/$/, '');
    if (plain(label) === plain(url)) return;
    this.out = `${this.out.replace(/ $/, '')} (${url})`; // before a line break the link's block may have asked for
    this.spaced = false;
  }
  done(): string {
    return this.out
      .split('\n')
      .map((line) => line.replace(/[ \t]+$/, ''))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
}

const named: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  shy: '',
  zwnj: '',
  zwj: '',
  lrm: '',
  rlm: '',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  laquo: '«',
  raquo: '»',
  lsaquo: '‹',
  rsaquo: '›',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  frac12: '½',
  frac14: '¼',
  frac34: '¾',
  iexcl: '¡',
  iquest: '¿',
  rarr: '→',
  larr: '←',
  uarr: '↑',
  darr: '↓',
  hearts: '♥',
  check: '✓',
  thinsp: '\u2009',
  ensp: '\u2002',
  emsp: '\u2003',
  numsp: '\u2007',
  puncsp: '\u2008',
  hairsp: '\u200a',
  NewLine: '\n',
  Tab: '\t',
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&#(\d+);?|&#[xX]([\da-fA-F]+);?|&([A-Za-z][A-Za-z\d]*);/g,
    (whole, dec?: string, hex?: string, name?: string) => {
      if (name) return Object.hasOwn(named, name) ? named[name]! : whole;
      const code = dec ? Number(dec) : parseInt(hex!, 16);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    },
  );
}
