// One e-mail as a finished MIME message in a single Buffer (pure but for the random boundary and Message-ID): text
// and HTML as multipart/alternative, each part 7bit when it is ASCII in short lines, else quoted-printable (base64 when
// most of it is not Latin script, as nodemailer decides), headers made ASCII with nodemailer's own RFC 2047 encoder and
// folded at 76. nodemailer then only sends it (its `raw` option; DKIM still applied): composing the same mail with
// its stream pipeline costs it ~0.6–1 ms of CPU, this a few hundredths of that.
import { randomBytes, randomUUID } from 'node:crypto';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import addressparser from 'nodemailer/lib/addressparser';

export interface MimeMail {
  /** "Name <address>" or a bare address. */
  from: string;
  /** One bare address. */
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  date?: Date;
}

export interface Composed {
  /** The envelope sender and recipient (SMTP MAIL FROM / RCPT TO). */
  envelope: { from: string; to: string[] };
  messageId: string;
  raw: Buffer;
}

const ASCII = /^[\x20-\x7e]*$/;
/** nodemailer's encoder with its fourth argument (encode the whole value once any of it needs it), which its types omit. */
const encodeAll = encodeWords as unknown as (
  value: string,
  encoding: 'Q' | 'B',
  maxLength: number,
  all: boolean,
) => string;
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** A display name as a header phrase: plain atoms as they are, specials quoted, anything else an encoded word. */
function phrase(name: string): string {
  if (!ASCII.test(name)) return encodeAll(name, 'Q', 52, true);
  return /^[\w !#$%&'*+\-/=?^`{|}~]*$/.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
}

/** Base64 of the UTF-8 bytes in lines of 76 characters (RFC 2045). */
function base64Lines(bytes: Buffer): string {
  const b64 = bytes.toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += 76) out += (i ? '\r\n' : '') + b64.slice(i, i + 76);
  return out;
}

const HEX = '0123456789ABCDEF';

/** A line that quoted-printable leaves as it is: printable ASCII but "=", at most 76 long, not ending in a space or tab. */
const QP_LITERAL_LINE = /^(?:[\x20\x09\x21-\x3c\x3e-\x7e]{0,75}[\x21-\x3c\x3e-\x7e])?$/;

/** Quoted-printable of a text: lines that need nothing are copied, the others encoded byte by byte (most HTML lines are the first kind). */
export function quotedPrintableText(text: string): string {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!QP_LITERAL_LINE.test(line)) lines[i] = quotedPrintable(Buffer.from(line, 'utf8'));
  }
  return lines.join('\r\n');
}

/** Quoted-printable (RFC 2045 §6.7) of the UTF-8 bytes: lines of at most 76 characters, CRLF line ends, one pass. */
export function quotedPrintable(bytes: Buffer): string {
  const out = Buffer.allocUnsafe(bytes.length * 3 + Math.ceil((bytes.length * 3) / 73) * 3 + 3);
  let o = 0;
  let line = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] === 0x0a)) {
      if (b === 0x0d) i++;
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      line = 0;
      continue;
    }
    const next = bytes[i + 1];
    // only LF or CRLF end a line: a bare CR is a byte like any other (encoded as =0D), so it ends nothing
    const atLineEnd = next === undefined || next === 0x0a || (next === 0x0d && bytes[i + 2] === 0x0a);
    const literal = (b >= 0x21 && b <= 0x7e && b !== 0x3d) || ((b === 0x20 || b === 0x09) && !atLineEnd);
    const width = literal ? 1 : 3;
    // a soft break keeps each line within 76 characters, the "=" included
    if (line + width > (atLineEnd ? 76 : 75)) {
      out[o++] = 0x3d;
      out[o++] = 0x0d;
      out[o++] = 0x0a;
      line = 0;
    }
    if (literal) out[o++] = b;
    else {
      out[o++] = 0x3d;
      out[o++] = HEX.charCodeAt(b >> 4);
      out[o++] = HEX.charCodeAt(b & 15);
    }
    line += width;
  }
  return out.toString('latin1', 0, o);
}

/** The part's transfer encoding and body: 7bit when nothing needs encoding (lines within the 998 limit), else QP or base64. */
function encodePart(text: string): { encoding: string; body: string } {
  if (ASCII_TEXT.test(text) && !LONG_LINE.test(text) && !BARE_CR.test(text))
    return { encoding: '7bit', body: text.replace(/\r?\n/g, '\r\n') };
  const extraBytes = Buffer.byteLength(text, 'utf8') - text.length;
  // more than half of the characters outside ASCII (Cyrillic, Greek, CJK): base64 is shorter
  return extraBytes > text.length / 2
    ? { encoding: 'base64', body: base64Lines(Buffer.from(text, 'utf8')) }
    : { encoding: 'quoted-printable', body: quotedPrintableText(text) };
}
const ASCII_TEXT = /^[\x09\x0a\x0d\x20-\x7e]*$/;
/** A CR that is not part of a CRLF: not allowed alone in a 7bit body, so such a text goes quoted-printable (=0D). */
const BARE_CR = /\r(?!\n)/;
const LONG_LINE = /[^\r\n]{998}/;

/**
 * The finished message, or null when it needs what only nodemailer's full composer does (an address that is not plain
 * ASCII, which needs punycode or SMTPUTF8): the caller then hands the fields to nodemailer instead.
 */
export function composeMime(mail: MimeMail): Composed | null {
  const [sender] = addressparser(mail.from, { flatten: true }) as { name: string; address: string }[];
  if (!sender?.address || !ASCII.test(sender.address) || !ASCII.test(mail.to)) return null;
  const domain = sender.address.slice(sender.address.lastIndexOf('@') + 1) || 'localhost';
  const messageId = `<${randomUUID()}@${domain}>`;
  const boundary = `--_retain_${randomBytes(12).toString('hex')}`;
  const header = (key: string, value: string) => foldLines(`${key}: ${value}`, 76) + '\r\n';
  const name = oneLine(sender.name ?? '').trim();
  let head =
    header('From', name ? `${phrase(name)} <${sender.address}>` : sender.address) +
    header('To', mail.to) +
    header('Subject', encodeAll(oneLine(mail.subject), 'Q', 52, true)) +
    header('Message-ID', messageId) +
    header('Date', (mail.date ?? new Date()).toUTCString().replace(/GMT$/, '+0000'));
  for (const [key, value] of Object.entries(mail.headers ?? {})) {
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(key)) continue; // not a header name
    head += header(key, encodeWords(oneLine(value), 'Q', 52));
  }
  head += 'MIME-Version: 1.0\r\n' + `Content-Type: multipart/alternative;\r\n boundary="${boundary}"\r\n\r\n`;
  const part = (type: string, content: string) => {
    const { encoding, body } = encodePart(content);
    return `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${body}\r\n`;
  };
  const raw = Buffer.from(
    head + part('text/plain', mail.text) + part('text/html', mail.html) + `--${boundary}--\r\n`,
    'latin1',
  );
  return { envelope: { from: sender.address, to: [mail.to] }, messageId, raw };
}
