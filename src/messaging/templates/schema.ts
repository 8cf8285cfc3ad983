// A template's content (pure but for MJML, laid out on a render thread): locale variants, each with content per channel, checked as a whole: the
// shape (zod), the locales, exactly one of mjml / html per e-mail, every Liquid field (its syntax, and every variable
// the message's data cannot provide) and every MJML body, each problem with its path in the content
// ($.pl.email.subject), line and column.
import { z } from 'zod';
import { schemaCode } from '../../lib/index.ts';
import { TemplateError, type ParsedTemplate, type RetainLiquid } from '../liquid.ts';
import { htmlLiquid, textLiquid } from './engines.ts';
import { jsonPath, TemplateRenderError, type TemplateProblem } from './errors.ts';
import { normalizeLocale } from './locale.ts';
import { layoutOnThread } from './render-pool.ts';
import { unknownVariables } from './variables.ts';

const liquid = (what: string) =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? `${what} is missing: add it` : `${what} must be text (Liquid)`),
    })
    .min(1, `${what} is empty: write it, or leave the field out`);

export const emailContent = z.strictObject({
  subject: liquid('the subject'),
  preheader: z.string().optional().describe('the line mail clients show after the subject; hidden in the message'),
  mjml: z.string().optional().describe('the body in MJML (laid out for every mail client); or html'),
  html: z.string().optional().describe('the body in HTML; or mjml'),
  text: z.string().optional().describe('the plain-text part; made from the HTML when absent'),
});
export const smsContent = z.strictObject({ text: liquid('the SMS text') });
export const pushContent = z.strictObject({
  title: liquid('the title'),
  body: liquid('the body'),
  url: z.string().optional().describe('opened when the notification is tapped'),
  icon: z.string().optional().describe('URL of the icon'),
});
export const telegramContent = z.strictObject({
  text: liquid('the message'),
  buttons: z
    .array(z.strictObject({ text: liquid('the button text'), url: liquid('the button URL') }))
    .max(20, 'at most 20 buttons')
    .optional(),
});
export const webhookContent = z.strictObject({
  body: z.record(z.string(), z.unknown(), { error: 'the body: a JSON object whose strings are Liquid' }),
});
export const localeContent = z.strictObject({
  email: emailContent.optional(),
  sms: smsContent.optional(),
  push: pushContent.optional().describe('mobile and web push'),
  telegram: telegramContent.optional(),
  webhook: webhookContent.optional(),
});
/** `{ [locale]: { email?, sms?, push?, telegram?, webhook? } }` */
export const templateContent = z.record(z.string(), localeContent, {
  error: 'the content: an object of locale variants, e.g. {"pl": {"email": {…}}}',
});

export type LocaleContent = z.infer<typeof localeContent>;
export type TemplateContent = z.infer<typeof templateContent>;
export type ContentChannel = keyof LocaleContent;
export const CONTENT_CHANNELS = [
  'email',
  'sms',
  'push',
  'telegram',
  'webhook',
] as const satisfies readonly ContentChannel[];

/** A Liquid field of a channel's content: where it is (keys inside the channel), and how it is printed. */
export interface LiquidField {
  keys: (string | number)[];
  source: string;
  kind: 'text' | 'html' | 'mjml';
}

/** Every Liquid field of one channel's content, in order (webhook: every string in the body). */
export function liquidFields(
  channel: ContentChannel,
  content: NonNullable<LocaleContent[ContentChannel]>,
): LiquidField[] {
  const fields: LiquidField[] = [];
  const walk = (value: unknown, keys: (string | number)[], kind: LiquidField['kind'] = 'text') => {
    if (typeof value === 'string') fields.push({ keys, source: value, kind });
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...keys, i]));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value))
        walk(v, [...keys, k], channel === 'email' && (k === 'html' || k === 'mjml') ? k : 'text');
  };
  // in the order of the schema (subject before the body), whatever order the JSON came in (jsonb sorts keys)
  const shape = localeContent.shape[channel].unwrap().shape;
  for (const key of Object.keys(shape))
    if (key in content)
      walk(
        (content as Record<string, unknown>)[key],
        [key],
        channel === 'email' && (key === 'html' || key === 'mjml') ? key : 'text',
      );
  return fields;
}

/** Checks a template; returns every problem (none: it can be saved). */
export async function templateProblems(
  defaultLocale: unknown,
  content: unknown,
  workspace = '',
): Promise<TemplateProblem[]> {
  const parsed = templateContent.safeParse(content);
  if (!parsed.success)
    return parsed.error.issues.map((i) => ({
      path: jsonPath(i.path as PropertyKey[]),
      message: i.message,
      ...schemaCode(i, content),
    }));
  const problems: TemplateProblem[] = [];
  const locales = Object.keys(parsed.data);
  if (!locales.length)
    problems.push({
      path: '$',
      message: 'The template has no locale variant: add one, e.g. {"en": {"email": {…}}}.',
      code: 'no_locale',
    });
  if (typeof defaultLocale !== 'string' || !locales.includes(defaultLocale))
    problems.push({
      path: '$.defaultLocale',
      message: `${JSON.stringify(defaultLocale)} is not one of the template's locales (${locales.join(', ') || 'none'}): name one of them, or add that variant.`,
      code: 'default_not_a_locale',
      values: { locale: JSON.stringify(defaultLocale) ?? '', locales: locales.join(', ') },
    });
  const checks: Promise<TemplateProblem[]>[] = [];
  for (const [locale, variant] of Object.entries(parsed.data)) {
    const canonical = normalizeLocale(locale);
    if (canonical !== locale)
      problems.push(
        canonical
          ? {
              path: jsonPath([locale]),
              message: `Write the locale as ${canonical}.`,
              code: 'locale_spelling',
              values: { locale, canonical },
            }
          : {
              path: jsonPath([locale]),
              message: `"${locale}" is not a locale: use a BCP 47 tag such as pl, pl-PL or en-US.`,
              code: 'not_a_locale',
              values: { locale },
            },
      );
    const channels = CONTENT_CHANNELS.filter((c) => variant[c]);
    if (!channels.length)
      problems.push({
        path: jsonPath([locale]),
        message: `The ${locale} variant has no content: add one of ${CONTENT_CHANNELS.join(', ')}.`,
        code: 'variant_empty',
        values: { locale, channels: CONTENT_CHANNELS.join(', ') },
      });
    if (variant.email && (variant.email.mjml === undefined) === (variant.email.html === undefined))
      problems.push({
        path: jsonPath([locale, 'email']),
        message: 'An e-mail needs exactly one body: mjml (laid out for every mail client) or html.',
        code: 'email_one_body',
      });
    for (const channel of channels) {
      for (const field of liquidFields(channel, variant[channel]!))
        checks.push(fieldProblems(jsonPath([locale, channel, ...field.keys]), field, canonical ?? 'en', workspace));
    }
  }
  return [...problems, ...(await Promise.all(checks)).flat()];
}

async function fieldProblems(
  path: string,
  field: LiquidField,
  locale: string,
  workspace: string,
): Promise<TemplateProblem[]> {
  const engine = field.kind === 'text' ? textLiquid : htmlLiquid;
  let parsed: ParsedTemplate;
  try {
    parsed = engine.parse(field.source);
  } catch (err) {
    if (err instanceof TemplateError) return [liquidProblem(path, err)];
    throw err;
  }
  const unknown = variableProblems(engine, parsed).map((err) => liquidProblem(path, err));
  if (field.kind !== 'mjml') return unknown;
  // MJML is laid out on a render thread: a huge body is cut off there instead of stalling the API.
  let compiled;
  try {
    compiled = await layoutOnThread(workspace, field.source, locale, path);
  } catch (err) {
    if (err instanceof TemplateRenderError) return [...unknown, err.toJSON()];
    throw err;
  }
  if (compiled.problems) return [...unknown, ...compiled.problems.map((p) => ({ path, ...p }))];
  const after = htmlLiquid.validate(compiled.html);
  if (!after) return unknown;
  return [
    ...unknown,
    {
      path,
      message: `MJML changed the Liquid markup so that it no longer parses (${after.message}): keep Liquid inside <mj-text>, <mj-raw> or attribute values.`,
      code: 'mjml_broke_liquid',
      values: { detail: after.message },
    },
  ];
}

/** Every variable of a parsed field that the message's data cannot provide (or a partial that does not exist). */
function variableProblems(engine: RetainLiquid, parsed: ParsedTemplate): TemplateError[] {
  try {
    return unknownVariables(engine.variables(parsed));
  } catch (err) {
    if (err instanceof TemplateError) return [err];
    throw err;
  }
}

export function liquidProblem(path: string, err: TemplateError): TemplateProblem {
  const coded = err.coded ?? { code: 'liquid', values: { detail: err.message } };
  return {
    path,
    line: err.line,
    column: err.column,
    message: err.partial ? `In the partial "${err.partial}": ${err.message}` : err.message,
    code: coded.code,
    ...(coded.values || err.partial
      ? { values: { ...coded.values, ...(err.partial ? { partial: err.partial } : {}) } }
      : {}),
  };
}
