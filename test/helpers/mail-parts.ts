// Reading a received mail as a mail client would: headers unfolded with their RFC 2047 words decoded, and the text and
// HTML parts decoded from their transfer encoding (7bit, quoted-printable or base64). For tests that check what arrived.

const decodeQp = (body: string) =>
  Buffer.from(
    body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  ).toString('utf8');

/** RFC 2047 encoded words (=?UTF-8?Q|B?…?=), with the whitespace between adjacent words dropped. */
export function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQp(text.replace(/_/g, ' ')),
    );
}

function decodeBody(encoding: string | undefined, body: string): string {
  const e = (encoding ?? '7bit').toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') return decodeQp(body);
  return body;
}

export interface ReadMail {
  header(name: string): string | undefined;
  /** The raw header block, unfolded. */
  head: string;
  text: string | undefined;
  html: string | undefined;
  /** The transfer encoding of each part, by content type. */
  encodings: Record<string, string>;
}

const headerIn = (head: string, name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];

export function readMail(raw: string): ReadMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const parts: Record<string, string> = {};
  const encodings: Record<string, string> = {};
  const boundary = /boundary="?([^";]+)"?/i.exec(headerIn(head, 'Content-Type') ?? '')?.[1];
  const chunks = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const chunk of chunks) {
    const at = chunk.indexOf('\r\n\r\n');
    const partHead = chunk.slice(0, at).replace(/\r?\n[ \t]+/g, ' ');
    const type = /^content-type: ([^;\s]+)/im.exec(partHead)?.[1]?.toLowerCase() ?? 'text/plain';
    const encoding = /^content-transfer-encoding: (\S+)/im.exec(partHead)?.[1] ?? '7bit';
    encodings[type] = encoding.toLowerCase();
    parts[type] = decodeBody(encoding, chunk.slice(at + 4).replace(/\r\n$/, ''));
  }
  return {
    head,
    header: (name) => {
      const v = headerIn(head, name);
      return v === undefined ? undefined : decodeWords(v);
    },
    text: parts['text/plain'],
    html: parts['text/html'],
    encodings,
  };
}
