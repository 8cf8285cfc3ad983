// Rendering a template for one customer and channel: the locale variant by the fallback chain, Liquid in every field,
// e-mail HTML with the preheader as its hidden first element and a text part made from the HTML when the template has
// none, SMS segments and price; within the limits a render thread gives (render-thread.ts): time, and size per field.
import type { Channel } from '../../channels/index.ts';
import { defaultLocality, TemplateError, TOO_LARGE, TOO_SLOW, type Locality, type RenderLimits } from '../liquid.ts';
import { smsPrice, smsSegments, type SmsEncoding } from '../sms-segments.ts';
import { compiledChannel, type CompiledField, type RenderableTemplate } from './compile.ts';
import { htmlLiquid, textLiquid } from './engines.ts';
import { TemplateRenderError } from './errors.ts';
import { htmlToText } from './html-text.ts';
import { chooseLocale, type LocaleSource, type MessageLocality } from './locale.ts';
import { CONTENT_CHANNELS, type ContentChannel } from './schema.ts';
import { assertNever, type Coded } from '../../lib/index.ts';
import type { TemplateProblemCode } from './problem-codes.ts';

export interface RenderedMessage {
  /** The locale variant used, and why (see locale.ts). */
  locale: string;
  localeSource: LocaleSource;
  /** How money and dates were written. */
  locality: Locality;
  email?: { subject: string; preheader: string; html: string; text: string };
  sms?: { text: string; segments: number; encoding: SmsEncoding; units: number; nonGsmChars: string[]; price?: number };
  push?: { title: string; body: string; url?: string; icon?: string };
  telegram?: { text: string; buttons?: { text: string; url: string }[] };
  webhook?: { body: Record<string, unknown> };
}

export interface RenderOptions {
  /** The SMS provider's price per segment: the result says what the SMS costs. */
  smsPricePerSegment?: number;
  /** Characters (UTF-16 code units) one field may print; more fails the render `too large` at that field. */
  maxFieldLength?: number;
  /** LiquidJS's own limits for each field's render, asked before each field (the time left shrinks as fields render). */
  liquidLimits?: () => RenderLimits;
  /** Told the path of each field before it renders (the render thread reports it, so a render cut off names its field). */
  onField?: (path: string) => void;
  /** Told the path of each MJML body before it is laid out (once per template version and thread). */
  onLayout?: (path: string) => void;
}

/** Which content a channel uses: web push and mobile push share `push`. */
export function contentChannel(channel: Channel): ContentChannel {
  return channel === 'webpush' ? 'push' : channel;
}

/** Renders `template` for `channel`; throws TemplateRenderError naming the field, line and column of the problem. */
export async function renderTemplate(
  template: RenderableTemplate,
  channel: Channel,
  context: object,
  locality: MessageLocality = {},
  opts: RenderOptions = {},
): Promise<RenderedMessage> {
  const content = contentChannel(channel);
  const available = Object.keys(template.content).filter((l) => template.content[l]?.[content]);
  const choice = chooseLocale(available, locality.locale, locality.workspaceLocale, template.defaultLocale);
  if (!choice) {
    const has = CONTENT_CHANNELS.filter((c) => Object.values(template.content).some((v) => v[c]));
    throw new TemplateRenderError(
      '$',
      `The template has no ${content} content in any locale (it has ${has.join(', ') || 'none'}): add ${content} to one of its variants, or send on another channel.`,
      undefined,
      undefined,
      { code: 'no_channel_content', values: { channel: content } },
    );
  }
  const where: Locality = {
    locale: choice.formatLocale,
    timezone: locality.timezone ?? defaultLocality.timezone,
    currency: locality.currency ?? defaultLocality.currency,
  };
  const compiled = await compiledChannel(template, choice.locale, content, opts.onLayout);
  const values = compiled.fields.map((field) => {
    opts.onField?.(field.path);
    const value = renderField(field, context, where, opts.liquidLimits?.());
    if (opts.maxFieldLength !== undefined && value.length > opts.maxFieldLength)
      throw tooLarge(field.path, value.length, opts.maxFieldLength);
    return value;
  });
  const out: Record<string, unknown> = structuredClone(template.content[choice.locale]![content]!) as Record<
    string,
    unknown
  >;
  delete out.mjml;
  compiled.fields.forEach((field, i) => setAt(out, field.keys, values[i]));
  const base = { locale: choice.locale, localeSource: choice.source, locality: where };

  switch (content) {
    case 'email': {
      const html = String(out.html);
      const preheader = oneLine(out.preheader);
      return {
        ...base,
        email: {
          subject: oneLine(out.subject),
          preheader,
          html: withPreheader(html, preheader),
          text: out.text === undefined ? htmlToText(html) : String(out.text).trim(),
        },
      };
    }
    case 'sms': {
      const text = String(out.text).trim();
      const { segments, encoding, units, nonGsmChars } = smsSegments(text);
      const price = opts.smsPricePerSegment === undefined ? {} : { price: smsPrice(text, opts.smsPricePerSegment) };
      return { ...base, sms: { text, segments, encoding, units, nonGsmChars, ...price } };
    }
    case 'push': {
      const push = out as { title: string; body: string; url?: string; icon?: string };
      return {
        ...base,
        push: {
          title: oneLine(push.title),
          body: push.body.trim(),
          ...optional('url', push.url),
          ...optional('icon', push.icon),
        },
      };
    }
    case 'telegram': {
      const t = out as { text: string; buttons?: { text: string; url: string }[] };
      return {
        ...base,
        telegram: {
          text: t.text.trim(),
          ...(t.buttons ? { buttons: t.buttons.map((b) => ({ text: oneLine(b.text), url: b.url.trim() })) } : {}),
        },
      };
    }
    case 'webhook':
      return { ...base, webhook: { body: out.body as Record<string, unknown> } };
    default:
      return assertNever(content, 'channel');
  }
}

/** A field that printed more than allowed: the failure names it and says by how much. */
function tooLarge(path: string, length: number, max: number): TemplateRenderError {
  return new TemplateRenderError(
    path,
    `${TOO_LARGE}: it printed ${kb(length)} KB for one message, more than the ${kb(max)} KB allowed (a loop over a huge list?). Make it print less.`,
    undefined,
    undefined,
    { code: 'too_large' },
  );
}

const kb = (n: number) => Math.ceil(n / 1024);

function renderField(field: CompiledField, context: object, where: Locality, limits?: RenderLimits): string {
  const engine = field.html ? htmlLiquid : textLiquid;
  try {
    return engine.renderSync(field.template, context, where, limits);
  } catch (err) {
    if (!(err instanceof TemplateError))
      throw err instanceof RangeError ? new TemplateRenderError('$', err.message) : err;
    // An error in MJML's HTML is placed in the MJML source: the same Liquid, rendered there, fails at the same tag (not
    // when a limit cut it off: that render would spend the budget again).
    const cutOff = err.message.startsWith(TOO_SLOW) || err.message.startsWith(TOO_LARGE);
    const e = (field.origin && !cutOff && placeIn(field.origin, engine, context, where)) || err;
    throw new TemplateRenderError(
      field.path,
      e.partial ? `In the partial "${e.partial}": ${e.message}` : e.message,
      e.line,
      e.column,
      withPartial(e),
    );
  }
}

function placeIn(
  source: CompiledField['template'],
  engine: typeof htmlLiquid,
  context: object,
  where: Locality,
): TemplateError | null {
  try {
    engine.renderSync(source, context, where);
    return null;
  } catch (err) {
    return err instanceof TemplateError ? err : null;
  }
}

function setAt(target: Record<string, unknown>, keys: (string | number)[], value: unknown) {
  let node = target as Record<string | number, unknown>;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[keys[keys.length - 1]!] = value;
}

/** Subjects, titles and button texts are one line. */
function oneLine(value: unknown): string {
  return value === undefined
    ? ''
    : String(value)
        .replace(/\s*[\r\n]+\s*/g, ' ')
        .trim();
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  const v = value?.trim();
  return v ? ({ [key]: v } as Record<K, string>) : {};
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** The preheader as the hidden first element of the body (padded so that clients do not pull body text after it). */
export function withPreheader(html: string, preheader: string): string {
  if (!preheader) return html;
  const padding = '&#8204;&nbsp;'.repeat(Math.max(0, 110 - preheader.length));
  const hidden = `<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all">${preheader.replace(/[&<>"]/g, (c) => escapes[c]!)}${padding}</div>`;
  const body = /<body\b[^>]*>/i.exec(html);
  return body
    ? html.slice(0, body.index + body[0].length) + hidden + html.slice(body.index + body[0].length)
    : hidden + html;
}

/** A Liquid error's code, with the partial it is in among its values. */
function withPartial(e: TemplateError): Coded<TemplateProblemCode> {
  const coded = e.coded ?? { code: 'liquid', values: { detail: e.message } };
  return e.partial ? { code: coded.code, values: { ...coded.values, partial: e.partial } } : coded;
}
