// Templates parsed once per version: every Liquid field of one locale and channel parsed, and MJML compiled to HTML,
// kept per (workspace, template id, updated_at) so that a broadcast parses and lays out each template once.
import { TemplateError, type ParsedTemplate } from '../liquid.ts';
import { htmlLiquid, textLiquid } from './engines.ts';
import { jsonPath, TemplateRenderError } from './errors.ts';
import { compileMjml } from './mjml.ts';
import { liquidFields, type ContentChannel, type TemplateContent } from './schema.ts';

/** What rendering needs of a template; with workspaceId, id and updatedAt its compiled form is cached. */
export interface RenderableTemplate {
  workspaceId?: string;
  id?: string;
  updatedAt?: Date | string;
  defaultLocale: string;
  content: TemplateContent;
}

export interface CompiledField {
  /** Where the printed value goes in the channel's content (an MJML body goes to `html`). */
  keys: (string | number)[];
  /** Its path in the template, for errors: $.pl.email.subject. */
  path: string;
  template: ParsedTemplate;
  /** Printed into HTML (output is escaped). */
  html: boolean;
  /** The MJML source's own Liquid: rendered only to place an error in the source instead of in MJML's HTML. */
  origin?: ParsedTemplate;
}

export interface CompiledChannel {
  locale: string;
  channel: ContentChannel;
  fields: CompiledField[];
}

const MAX_CACHED = 1000;
const cache = new Map<string, Promise<CompiledChannel>>();

/** The parsed fields of one variant and channel, from the cache when this version of the template was seen before. */
export function compiledChannel(
  template: RenderableTemplate,
  locale: string,
  channel: ContentChannel,
  onLayout?: (path: string) => void,
): Promise<CompiledChannel> {
  if (!template.id || !template.updatedAt) return compile(template.content, locale, channel, onLayout);
  const key = [
    template.workspaceId ?? '',
    template.id,
    new Date(template.updatedAt).toISOString(),
    locale,
    channel,
  ].join('\u0000');
  let found = cache.get(key);
  if (found) {
    cache.delete(key); // most recently used last
    cache.set(key, found);
    return found;
  }
  found = compile(template.content, locale, channel, onLayout);
  found.catch(() => cache.delete(key));
  cache.set(key, found);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return found;
}

/** `onLayout` is told the path of each MJML body before it is laid out (the render thread reports it). */
async function compile(
  content: TemplateContent,
  locale: string,
  channel: ContentChannel,
  onLayout?: (path: string) => void,
): Promise<CompiledChannel> {
  const fields = await Promise.all(
    liquidFields(channel, content[locale]![channel]!).map(async (field): Promise<CompiledField> => {
      const path = jsonPath([locale, channel, ...field.keys]);
      if (field.kind === 'text')
        return { keys: field.keys, path, template: parse(textLiquid.parse, field.source, path), html: false };
      const origin = parse(htmlLiquid.parse, field.source, path);
      if (field.kind === 'html') return { keys: field.keys, path, template: origin, html: true };
      onLayout?.(path);
      const compiled = await compileMjml(field.source, locale);
      if (compiled.problems) {
        const [first] = compiled.problems;
        throw new TemplateRenderError(path, first!.message, first!.line, first!.column, {
          code: first!.code,
          ...(first!.values ? { values: first!.values } : {}),
        });
      }
      return { keys: ['html'], path, template: parse(htmlLiquid.parse, compiled.html, path), html: true, origin };
    }),
  );
  return { locale, channel, fields };
}

function parse(parser: (source: string) => ParsedTemplate, source: string, path: string): ParsedTemplate {
  try {
    return parser(source);
  } catch (err) {
    if (err instanceof TemplateError) throw new TemplateRenderError(path, err.message, err.line, err.column, err.coded);
    throw err;
  }
}
