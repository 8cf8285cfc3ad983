// Form bodies (pure) for the consent pages and SMS gateways: application/x-www-form-urlencoded and the plain text
// fields of multipart/form-data (RFC 8058 one-click unsubscribe may send either). A field sent once is a string, a
// field sent several times (checkboxes) an array.
export type FormFields = Record<string, string | string[]>;

function add(out: FormFields, name: string, value: string) {
  const before = out[name];
  out[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
}

export function parseUrlEncoded(body: string): FormFields {
  const out: FormFields = {};
  for (const [name, value] of new URLSearchParams(body)) add(out, name, value);
  return out;
}

/** The text fields of a multipart/form-data body (files are ignored); {} when the boundary is missing. */
export function parseMultipart(body: string, contentType: string): FormFields {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  const out: FormFields = {};
  if (!boundary) return out;
  for (const part of body.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined || /\bfilename=/i.test(head)) continue;
    add(out, name, part.slice(split + 4).replace(/\r\n$/, ''));
  }
  return out;
}

/** The values of a field as a list (none, one or several). */
export const allOf = (fields: FormFields | undefined, name: string): string[] => {
  const v = fields?.[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** The first value of a field, or undefined. */
export const oneOf = (fields: FormFields | undefined, name: string): string | undefined => allOf(fields, name)[0];
