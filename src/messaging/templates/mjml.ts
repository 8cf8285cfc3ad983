// MJML → HTML for e-mail bodies, once per template version: strict MJML validation, no file includes, the language set,
// and a check that MJML kept every piece of Liquid (it silently drops text outside its elements, such as a {% for %}
// between two sections).
import mjml2html from 'mjml';
import type { Coded } from '../../lib/index.ts';
import type { TemplateProblemCode } from './problem-codes.ts';

export interface MjmlProblem extends Coded<TemplateProblemCode> {
  line: number;
  column?: number;
  message: string;
}

export type MjmlResult = { html: string; problems?: undefined } | { html?: undefined; problems: MjmlProblem[] };

/** Compiles an MJML document whose text holds Liquid markup; the HTML keeps the markup, to be rendered per customer. */
export async function compileMjml(source: string, locale: string): Promise<MjmlResult> {
  const include = source.search(/<mj-include\b/);
  if (include >= 0)
    return {
      problems: [
        {
          ...lineColumn(source, include),
          message: '<mj-include> would read a file on the server: paste the content here instead.',
          code: 'mjml_include',
        },
      ],
    };
  if (!/^\s*(<!--[\s\S]*?-->\s*)*<mjml[\s>]/.test(source))
    return {
      problems: [
        {
          line: 1,
          column: 1,
          message: 'An MJML body is <mjml><mj-body>…</mj-body></mjml>: write MJML, or put HTML in "html" instead.',
          code: 'not_mjml',
        },
      ],
    };
  let html: string;
  try {
    ({ html } = await mjml2html(withLang(source, locale), {
      validationLevel: 'strict',
      ignoreIncludes: true,
      keepComments: false,
      fonts: {},
    }));
  } catch (err) {
    const errors = (err as { errors?: { line: number; message: string }[] }).errors;
    if (Array.isArray(errors) && errors.length)
      return {
        problems: errors.map((e) => ({
          line: e.line,
          message: mjmlAdvice(e.message.trim()),
          code: 'mjml' as const,
          values: { detail: e.message.trim() },
        })),
      };
    return {
      problems: [
        {
          line: 1,
          message: `${(err as Error).message} The document must be <mjml><mj-body>…</mj-body></mjml>.`,
          code: 'not_mjml',
        },
      ],
    };
  }
  const dropped = droppedLiquid(source, html);
  if (dropped) return { problems: [dropped] };
  return { html };
}

/** `<mjml>` without a lang attribute gets the template's locale (MJML would write lang="und"). */
function withLang(source: string, locale: string): string {
  return source.replace(/<mjml(?![^>]*\blang=)(?=[\s>])/, `<mjml lang="${locale}"`);
}

function mjmlAdvice(message: string): string {
  return /has invalid value/.test(message) && /\{\{|\{%/.test(message)
    ? `${message}: MJML checks this attribute before Liquid runs, so it needs a literal value here.`
    : message.endsWith('.')
      ? message
      : `${message}.`;
}

const liquidMarkup = /\{\{-?[\s\S]*?-?\}\}|\{%-?[\s\S]*?-?%\}/g;

/** The first Liquid tag or output of the source that MJML's HTML has fewer times than the source (MJML reorders
 * attributes and copies some texts, such as the title, so only counts can be compared), or null. */
function droppedLiquid(source: string, html: string): MjmlProblem | null {
  const kept = new Map<string, number>();
  for (const m of html.matchAll(liquidMarkup)) kept.set(m[0], (kept.get(m[0]) ?? 0) + 1);
  const seen = new Map<string, number>();
  const missing = [...source.matchAll(liquidMarkup)].find((m) => {
    seen.set(m[0], (seen.get(m[0]) ?? 0) + 1);
    return seen.get(m[0])! > (kept.get(m[0]) ?? 0);
  });
  if (!missing) return null;
  const shown = missing[0].length > 60 ? `${missing[0].slice(0, 57)}…` : missing[0];
  return {
    ...lineColumn(source, missing.index),
    message: `MJML drops ${shown} because it is outside any MJML element: wrap it in <mj-raw>…</mj-raw>.`,
    code: 'mjml_drops_liquid',
    values: { markup: shown },
  };
}

function lineColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}
