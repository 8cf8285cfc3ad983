// Message templates (pure): Liquid rendered by LiquidJS, strict, with money and dates as each customer reads them.
// Also: filter-argument checks, no NaN or Infinity in a message, partials from memory only (never the disk), value tags
// (`{% unsubscribe_url %}`), HTML escaping for HTML bodies, and errors that say what to fix, where.
import {
  Liquid,
  Filter,
  LiquidError,
  RenderTag,
  Tag,
  TypeGuards,
  type Variable,
  type Context,
  type Emitter,
  type Template,
  type TagToken,
  type TopLevelToken,
  type Parser,
  type FilterImplOptions,
} from 'liquidjs';
import { DateTime } from 'luxon';
import { didYouMean, nearest } from '../suggest.ts';
import type { Coded } from '../lib/index.ts';
import type { TemplateProblemCode } from './templates/problem-codes.ts';

/** Where a customer reads their messages: how money and dates must look to them. */
export interface Locality {
  /** BCP 47 tag, e.g. pl-PL. */
  locale: string;
  /** IANA zone, e.g. Europe/Warsaw. */
  timezone: string;
  /** ISO 4217 code that `money` uses when the template names none, e.g. PLN. */
  currency: string;
}

export interface LiquidOptions extends Partial<Locality> {
  /** An undefined variable is an error naming it (default). `false` renders it as nothing, as standard Liquid does. */
  strictVariables?: boolean;
  /** Snippets for `{% render 'name' %}` and `{% include 'name' %}`, by name. */
  partials?: Record<string, string>;
  /** Tags without arguments that print a value of the data, by tag name: `{ unsubscribe_url: 'links.unsubscribe' }` makes
   * `{% unsubscribe_url %}` print `links.unsubscribe`. An empty value is an error at the tag. */
  valueTags?: Record<string, string>;
  /** HTML-escape what `{{ … }}` and value tags print (for HTML bodies; `| raw` prints as is). Default false. */
  escapeHtml?: boolean;
}

/** A template problem at a place in the source (1-based line and column; in `partial` when it is in one), with a
 * message that says what to fix. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly partial?: string,
    /** The problem as a stable code (templates/problem-codes.ts); none: the words are Liquid's own. */
    readonly coded?: Coded<TemplateProblemCode>,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** A variable a template reads from its data: its path (a key given by another variable, as in `traits[name]`, is
 * null), as written, and where (in `partial` when it is in one). Assigned, captured and loop variables are not listed. */
export interface VariableUse {
  path: (string | number | null)[];
  text: string;
  line: number;
  column: number;
  partial?: string;
  /** When the first name is a loop's (`p` in `{% for p in cart.items %}…{{ p.name }}`): the path the loop goes over. */
  loopsOver?: string[];
}

/** A template parsed once, to render for many customers. */
export interface ParsedTemplate {
  readonly source: string;
  readonly templates: Template[];
}

export interface RetainLiquid {
  /** Parses and checks the filters' arguments; throws TemplateError. */
  parse(source: string): ParsedTemplate;
  /** The first problem of a template, or null when it has none. */
  validate(source: string): TemplateError | null;
  /** The variables a template reads from its data (LiquidJS's static analysis, partials included), in the order of the
   * source; throws TemplateError for a partial that does not exist. */
  variables(template: ParsedTemplate): VariableUse[];
  /** Renders for one customer, whose `customer` settings override the engine's. Throws TemplateError, or RangeError for a
   * locale, zone or currency that does not exist. */
  render(template: string | ParsedTemplate, data: object, customer?: Partial<Locality>): Promise<string>;
  /** `render` without promises (our tags and filters are synchronous): about twice as fast for a broadcast. `limits`
   * tighten the engine's own for this render (a render thread gives each message its time budget). */
  renderSync(
    template: string | ParsedTemplate,
    data: object,
    customer?: Partial<Locality>,
    limits?: RenderLimits,
  ): string;
}

/** LiquidJS's own limits for one render: a first line before the render thread's hard time limit (see render-pool.ts). */
export interface RenderLimits {
  /** Time the render may take, in ms (checked between template nodes). */
  renderMs?: number;
  /** Bytes the render may allocate in ranges, strings and arrays it builds (LiquidJS's accounting). */
  memoryBytes?: number;
}

/** How a render cut off by a limit starts its message (the message log and previews show it). */
export const TOO_SLOW = 'too slow';
export const TOO_LARGE = 'too large';

export const defaultLocality: Locality = { locale: 'en-US', timezone: 'UTC', currency: 'USD' };

/** Positional arguments each filter takes, [least, most]: Shopify Liquid's signatures, and ours. */
const filterArity: Record<string, [number, number]> = Object.fromEntries(
  (<[[number, number], string][]>[
    [
      [0, 0],
      'abs base64_decode base64_encode base64_url_safe_decode base64_url_safe_encode capitalize ceil downcase escape escape_once first floor last lstrip newline_to_br reverse rstrip size strip strip_html strip_newlines upcase url_decode url_encode',
    ],
    [[0, 1], 'compact default join round sort sort_natural sum uniq money local_date'],
    [[0, 2], 'truncate truncatewords'],
    [
      [1, 1],
      'append at_least at_most concat date divided_by map minus modulo plus prepend remove remove_first remove_last split times',
    ],
    [[1, 2], 'find find_index has reject replace replace_first slice where'],
    [[2, 2], 'replace_last'],
  ]).flatMap(([range, names]) => names.split(' ').map((name) => [name, range])),
);

/** `local_date`'s named formats; any other format is a luxon format string such as "d MMMM yyyy, HH:mm". */
const dateStyles: Record<string, Intl.DateTimeFormatOptions> = {
  short: DateTime.DATE_SHORT,
  medium: DateTime.DATE_MED,
  long: DateTime.DATE_FULL,
  full: DateTime.DATE_HUGE,
  time: DateTime.TIME_SIMPLE,
  datetime: DateTime.DATETIME_MED,
};

/** What a filter sees as `this` (LiquidJS's FilterImpl, which the package does not export). */
interface FilterImpl {
  context: { globals: object };
  token: FilterToken;
}
interface FilterToken {
  args: unknown[];
  file?: string;
  getPosition(): number[];
}

/** A mistake our filters explain themselves; it becomes a TemplateError at the filter. */
class FilterMistake extends Error {}

/** The customer's locality travels in the render globals under a key that no template can name. */
const localityKey = Symbol('retain.locality');

export function createLiquid(opts: LiquidOptions = {}): RetainLiquid {
  const defaults = checkLocality({ ...defaultLocality, ...definedOnly(opts) });
  const engine = new Liquid({
    strictVariables: opts.strictVariables ?? true,
    lenientIf: true, // with strict variables, `{% if x %}` and `x | default: …` still work when x is missing
    strictFilters: true,
    ownPropertyOnly: true,
    templates: { ...opts.partials }, // also keeps `include` and `render` off the file system
    timezoneOffset: defaults.timezone,
    // a runaway template fails instead of stalling the sender (the render threads give each render tighter limits)
    memoryLimit: 1e8,
    renderLimit: 1_000,
    ...(opts.escapeHtml ? { outputEscape: 'escape' as const } : {}),
  });
  const locality = (impl: FilterImpl): Locality =>
    (impl.context.globals as Record<symbol, Locality>)[localityKey] ?? defaults;

  engine.registerFilter('money', function (this: FilterImpl, amount: unknown, currency?: unknown) {
    const where = locality(this);
    return moneyFormat(where.locale, currency == null ? where.currency : String(currency)).format(toAmount(amount));
  });
  engine.registerFilter('local_date', function (this: FilterImpl, value: unknown, format?: unknown) {
    const where = locality(this);
    const when = toDateTime(value, where.timezone).setLocale(where.locale);
    const style = format == null ? 'medium' : String(format);
    return dateStyles[style] ? when.toLocaleString(dateStyles[style]) : when.toFormat(style);
  });
  const standardDate = handlerOf(engine.filters.date);
  engine.registerFilter('date', function (this: FilterImpl, value: unknown, format: unknown) {
    const zone = locality(this).timezone;
    return format == null || format === '' ? value : standardDate.call(this, inZone(value, zone), format, zone);
  });
  engine.registerFilter('base64_url_safe_encode', (value: unknown) =>
    Buffer.from(String(value ?? ''))
      .toString('base64')
      .replace(/\+/g, '-')
      .replace(/\//g, '_'),
  );
  engine.registerFilter('base64_url_safe_decode', (value: unknown) => {
    const text = String(value ?? '');
    if (!/^[\w-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1)
      throw new FilterMistake(`"${text.slice(0, 40)}" is not URL-safe base64.`);
    return Buffer.from(text, 'base64url').toString();
  });
  for (const [name, arity] of Object.entries(filterArity)) guardFilter(engine, name, arity);
  engine.registerTag('render', RenderForEachTag);
  engine.registerTag('comment', SilentBlock);
  engine.registerTag('doc', SilentBlock);
  for (const [name, path] of Object.entries(opts.valueTags ?? {}))
    engine.registerTag(name, valueTag(path, !!opts.escapeHtml));

  const parse = (source: string): ParsedTemplate => {
    try {
      const templates = engine.parse(source);
      checkFilterArguments(templates);
      return { source, templates };
    } catch (err) {
      throw toTemplateError(err, engine);
    }
  };
  return {
    parse,
    validate(source) {
      try {
        parse(source);
        return null;
      } catch (err) {
        if (err instanceof TemplateError) return err;
        throw err;
      }
    },
    variables({ templates }) {
      const globals = (nodes: Template[]) => {
        try {
          return Object.values(engine.analyzeSync(nodes, { partials: true }).globals).flat();
        } catch (err) {
          throw toTemplateError(err, engine, partialTag(templates, err));
        }
      };
      // (LiquidJS's analysis misses the forloop that `{% render 'x' for list %}` gives its partial)
      const uses: VariableUse[] = globals(templates)
        .filter((v) => !(v.location.file && v.segments[0] === 'forloop'))
        .map((v) => useOf(v));
      // LiquidJS counts a loop's variable as local: what follows it is checked against the items of the list looped over
      for (const loop of loopsIn(templates))
        uses.push(
          ...globals(loop.body)
            .filter((v) => v.segments[0] === loop.alias)
            .map((v) => useOf(v, loop.over)),
        );
      return uses.sort(
        (a, b) => (a.partial ?? '').localeCompare(b.partial ?? '') || a.line - b.line || a.column - b.column,
      );
    },
    async render(template, data, customer = {}) {
      const { templates } = typeof template === 'string' ? parse(template) : template;
      const where = checkLocality({ ...defaults, ...definedOnly(customer) });
      try {
        return await engine.render(templates, data, { globals: { [localityKey]: where } });
      } catch (err) {
        throw toTemplateError(err, engine);
      }
    },
    renderSync(template, data, customer = {}, limits = {}) {
      const { templates } = typeof template === 'string' ? parse(template) : template;
      const where = checkLocality({ ...defaults, ...definedOnly(customer) });
      try {
        return engine.renderSync(templates, data, {
          globals: { [localityKey]: where },
          renderLimit: limits.renderMs,
          memoryLimit: limits.memoryBytes,
        });
      } catch (err) {
        throw toTemplateError(err, engine);
      }
    },
  };
}

/** `{% render 'product' for products %}` names each item after the partial, as Liquid does (LiquidJS leaves it unnamed). */
class RenderForEachTag extends RenderTag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remainTokens, liquid, parser);
    const self = this as unknown as { file: unknown; forBinding?: { alias?: string } };
    if (self.forBinding && !self.forBinding.alias && typeof self.file === 'string') self.forBinding.alias = self.file;
  }
}

/** `{% comment %}` and `{% doc %}` render nothing, and nest (LiquidJS's comment ends at the first endcomment; it has no doc). */
class SilentBlock extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    if (token.name === 'doc' && token.args.trim())
      throw new TemplateError(
        '{% doc %} takes no arguments: put the text between {% doc %} and {% enddoc %}.',
        ...position(token),
        undefined,
        { code: 'tag_no_arguments', values: { tag: '{% doc %}' } },
      );
    for (let depth = 1; remainTokens.length; ) {
      const next = remainTokens.shift();
      if (TypeGuards.isTagToken(next) && next.name === token.name) depth++;
      if (TypeGuards.isTagToken(next) && next.name === `end${token.name}` && --depth === 0) return;
    }
    throw new Error(`tag ${token.getText()} not closed`);
  }
  render(): void {}
}

/** A tag that prints one value of the data (`{% unsubscribe_url %}` → links.unsubscribe); it takes no arguments. */
function valueTag(path: string, escape: boolean) {
  const keys = path.split('.');
  return class ValueTag extends Tag {
    constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
      super(token, remainTokens, liquid);
      if (token.args.trim())
        throw new TemplateError(
          `{% ${token.name} %} takes no arguments: write it as {% ${token.name} %}.`,
          ...position(token),
          undefined,
          { code: 'tag_no_arguments', values: { tag: `{% ${token.name} %}` } },
        );
    }
    render(ctx: Context, emitter: Emitter): void {
      let value: unknown = ctx.getAll();
      for (const key of keys)
        value =
          value !== null && typeof value === 'object' && Object.hasOwn(value, key)
            ? (value as Record<string, unknown>)[key]
            : undefined;
      if (value === undefined || value === null || value === '')
        throw new TemplateError(
          `{% ${this.token.name} %} prints ${path}, which is empty for this message: check that the message's data has ${path}.`,
          ...position(this.token),
          undefined,
          { code: 'value_tag_empty', values: { tag: `{% ${this.token.name} %}`, path } },
        );
      emitter.write(escape ? escapeHtml(String(value)) : String(value));
    }
  };
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
/** HTML escaping as our Liquid layer prints values into HTML bodies. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => htmlEscapes[c]!);
}

function handlerOf(impl: FilterImplOptions): (this: FilterImpl, ...args: unknown[]) => unknown {
  return (typeof impl === 'function' ? impl : impl.handler) as unknown as (
    this: FilterImpl,
    ...args: unknown[]
  ) => unknown;
}

/** Re-registers a filter so that a wrong number of arguments (LiquidJS ignores extra or missing ones) or a NaN or
 * Infinity (a division by zero, a word where a number belongs) is an error instead of text in a customer's message. */
function guardFilter(engine: Liquid, name: string, arity: [number, number]): void {
  const impl = engine.filters[name];
  if (!impl) return;
  const handler = handlerOf(impl);
  engine.registerFilter(name, {
    raw: typeof impl !== 'function' && impl.raw,
    handler(this: FilterImpl, ...args: unknown[]) {
      try {
        const problem = argumentProblem(name, this.token, arity);
        if (problem) throw new FilterMistake(problem);
        const result = handler.apply(this, args);
        if (typeof result === 'number' && !Number.isFinite(result))
          throw new FilterMistake(
            `The filter "${name}" gave ${result}: check for a division by zero, or an argument that is not a number.`,
          );
        return result;
      } catch (err) {
        throw err instanceof FilterMistake
          ? new TemplateError(err.message, ...position(this.token), this.token.file, {
              code: 'filter_misused',
              values: { filter: name, detail: err.message },
            })
          : err;
      }
    },
  });
}

/** The argument check at parse time too, so that `validate` finds it without rendering. */
function checkFilterArguments(templates: Template[]): void {
  eachNode(templates, (node) => {
    if (!(node instanceof Filter)) return;
    const token = (node as unknown as { token: FilterToken }).token;
    const problem = filterArity[node.name] && argumentProblem(node.name, token, filterArity[node.name]);
    if (problem)
      throw new TemplateError(problem, ...position(token), undefined, {
        code: 'filter_misused',
        values: { filter: node.name, detail: problem },
      });
    return 'skip';
  });
}

/** Visits every object of parsed templates (tags, values, tokens) once, depth first; 'skip' leaves out what is below. */
function eachNode(root: unknown, visit: (node: object) => 'skip' | void): void {
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node) || node instanceof Liquid) return;
    seen.add(node);
    if (visit(node) !== 'skip') for (const value of Object.values(node)) walk(value);
  };
  walk(root);
}

function argumentProblem(name: string, token: FilterToken, [least, most]: [number, number]): string | null {
  const given = token.args.filter((arg) => !Array.isArray(arg)).length; // [key, value] pairs are keyword arguments
  if (given >= least && given <= most) return null;
  const takes = `${least === most ? '' : least ? `${least} or ` : 'at most '}${most || 'no'} argument${most === 1 ? '' : 's'}`;
  const fix = given > most ? 'remove the extra ones' : `add the missing ones after a colon, e.g. {{ … | ${name}: … }}`;
  return `The filter "${name}" takes ${takes}, but was given ${given}: ${fix}.`;
}

function toAmount(amount: unknown): number {
  const n =
    typeof amount === 'number' ? amount : typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : NaN;
  if (Number.isFinite(n)) return n;
  throw new FilterMistake(
    `The filter "money" needs an amount (a number such as 1234.5), but got ${JSON.stringify(amount) ?? 'nothing'}: check the variable, or guard it with {% if … %}.`,
  );
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    if (!/^[A-Za-z]{3}$/.test(currency))
      throw new FilterMistake(
        `"${currency}" is not a currency code: use a three-letter ISO 4217 code such as PLN, EUR or USD.`,
      );
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(key, format);
  }
  return format;
}

function toDateTime(value: unknown, zone: string): DateTime {
  const when =
    value instanceof Date
      ? DateTime.fromJSDate(value, { zone })
      : typeof value === 'string'
        ? DateTime.fromISO(value, { zone })
        : null;
  if (when?.isValid) return when;
  throw new FilterMistake(
    `The filter "local_date" needs an ISO 8601 date such as 2026-11-24 or 2026-11-24T18:30:00Z, but got ${JSON.stringify(value) ?? 'nothing'}.`,
  );
}

/** A date string without an offset is a wall-clock time in the customer's zone. (JavaScript would read '2026-11-24' as
 * UTC midnight, the day before in America, and 'March 14, 2016' in the server's zone.) Other values pass unchanged. */
function inZone(value: unknown, zone: string): unknown {
  if (typeof value !== 'string' || /^\d+$/.test(value) || value === 'now' || value === 'today') return value;
  const iso = DateTime.fromISO(value, { zone });
  if (iso.isValid) return iso.toJSDate();
  const read = new Date(value);
  if (Number.isNaN(read.getTime()) || /(?:Z|[+-]\d\d:?\d\d|\bUTC|\bGMT)(?:\s*\(.*\))?\s*$/i.test(value)) return value;
  const wallClock = {
    year: read.getFullYear(),
    month: read.getMonth() + 1,
    day: read.getDate(),
    hour: read.getHours(),
    minute: read.getMinutes(),
    second: read.getSeconds(),
  };
  return DateTime.fromObject(wallClock, { zone }).toJSDate();
}

/** Localities already checked (a broadcast renders the same few again and again). */
const checkedLocalities = new Set<string>();

function checkLocality(where: Locality): Locality {
  const key = `${where.locale}|${where.timezone}|${where.currency}`;
  if (checkedLocalities.has(key)) return where;
  try {
    Intl.getCanonicalLocales(where.locale);
  } catch {
    throw new RangeError(`"${where.locale}" is not a locale: use a BCP 47 tag such as pl-PL, ru-RU or en-US.`);
  }
  if (!DateTime.local().setZone(where.timezone).isValid)
    throw new RangeError(
      `"${where.timezone}" is not a time zone: use an IANA name such as Europe/Warsaw or America/New_York.`,
    );
  if (!/^[A-Za-z]{3}$/.test(where.currency))
    throw new RangeError(
      `"${where.currency}" is not a currency code: use a three-letter ISO 4217 code such as PLN, EUR or USD.`,
    );
  if (checkedLocalities.size >= 10_000) checkedLocalities.clear();
  checkedLocalities.add(key);
  return where;
}

function definedOnly(where: Partial<Locality>): Partial<Locality> {
  const { locale, timezone, currency } = where;
  return Object.fromEntries(Object.entries({ locale, timezone, currency }).filter(([, v]) => v !== undefined));
}

function useOf(v: Variable, loopsOver?: string[]): VariableUse {
  return {
    path: v.segments.map((s) => (typeof s === 'object' ? null : s)),
    text: String(v),
    line: v.location.row,
    column: v.location.col,
    ...(v.location.file ? { partial: v.location.file } : {}),
    ...(loopsOver ? { loopsOver } : {}),
  };
}

/** Every `{% for %}` and `{% tablerow %}` over a plain dotted path (`p in cart.items`), nested ones too. */
function loopsIn(templates: Template[]): { alias: string; over: string[]; body: Template[] }[] {
  const loops: { alias: string; over: string[]; body: Template[] }[] = [];
  eachNode(templates, (node) => {
    const tag = node as { token?: unknown; variable?: unknown; templates?: unknown };
    if (
      !TypeGuards.isTagToken(tag.token) ||
      (tag.token.name !== 'for' && tag.token.name !== 'tablerow') ||
      typeof tag.variable !== 'string' ||
      !Array.isArray(tag.templates)
    )
      return;
    const over = /^\s*[\w-]+\s+in\s+([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)(?=\s|$)/.exec(tag.token.args)?.[1];
    if (over) loops.push({ alias: tag.variable, over: over.split('.'), body: tag.templates as Template[] });
  });
  return loops;
}

/** For a partial that could not be found: the `{% render %}` or `{% include %}` tag naming it (static analysis loses the
 * place), else the start of the template (a partial named in a partial). */
function partialTag(templates: Template[], err: unknown): Placed | undefined {
  const name = err instanceof Error ? /Failed to lookup "([^"]+)"/.exec(err.message)?.[1] : undefined;
  if (!name) return undefined;
  let found: Placed | undefined;
  eachNode(templates, (node) => {
    if (
      !found &&
      TypeGuards.isTagToken(node) &&
      (node.name === 'render' || node.name === 'include') &&
      [`'${name}'`, `"${name}"`].some((q) => node.args.trim().startsWith(q))
    )
      found = node;
  });
  return found ?? { getPosition: () => [1, 1] };
}

function position(token: { getPosition(): number[] } | undefined): [number, number] {
  const [line = 1, column = 1] = token?.getPosition() ?? [];
  return [line, column];
}

type Placed = { getPosition(): number[]; file?: string };

/** LiquidJS's error, reworded to say what to fix, at its place in the source (or at `near` when it has none). */
function toTemplateError(err: unknown, engine: Liquid, near?: Placed): unknown {
  if (err instanceof TemplateError) return err;
  if (!LiquidError.is(err)) {
    if (!near || !(err instanceof Error)) return err;
    const [message, coded] = explain(err.message, engine);
    return new TemplateError(message, ...position(near), undefined, coded);
  }
  const { originalError, token } = err as LiquidError & { originalError?: Error; token?: Placed };
  if (originalError instanceof TemplateError)
    return originalError.partial || !token?.file
      ? originalError
      : new TemplateError(
          originalError.message,
          originalError.line,
          originalError.column,
          token.file,
          originalError.coded,
        );
  const said = (originalError?.message ?? err.message).replace(/(, file:.*?)?, line:\d+, col:\d+$/, '');
  const [message, coded] = explain(said, engine);
  return new TemplateError(message, ...position(token), token?.file, coded);
}

/** LiquidJS's words as Retain's: what to fix, and the same as a code with its values. */
function explain(said: string, engine: Liquid): [string, Coded<TemplateProblemCode>] {
  let m: RegExpMatchArray | null;
  if ((m = said.match(/^undefined variable: (.+)$/)))
    return [
      `Unknown variable "${m[1]}": this message's data has no such field. Check the spelling, or guard it with {% if ${m[1]} %} … {% endif %} or {{ ${m[1]} | default: "…" }}.`,
      { code: 'unknown_variable', values: { variable: m[1]! } },
    ];
  if ((m = said.match(/^undefined filter: (.+)$/))) {
    return [
      `Unknown filter "${m[1]}"${didYouMean(nearest(m[1]!, Object.keys(engine.filters), { maxDistance: 2 }))}: check its name in the list of filters.`,
      { code: 'unknown_filter', values: { filter: m[1]! } },
    ];
  }
  if ((m = said.match(/^tag "(.+)" not found$/)))
    return [
      `Unknown tag "${m[1]}": check its spelling, or whether it closes a block that is not open.`,
      { code: 'unknown_tag', values: { tag: m[1]! } },
    ];
  if ((m = said.match(/^tag (\{%-?\s*(\w+).*?) not closed$/s)))
    return [
      `The tag ${m[1]!.slice(0, 60)} is never closed: add {% end${m[2]} %} where its block ends.`,
      { code: 'tag_not_closed', values: { tag: m[1]!.slice(0, 60), end: `{% end${m[2]} %}` } },
    ];
  if ((m = said.match(/^output "(.{0,40}).*" not closed$/s)))
    return [
      `The output ${m[1]} is never closed: add }} where it ends.`,
      { code: 'output_not_closed', values: { output: m[1]! } },
    ];
  if ((m = said.match(/Failed to lookup "([^"]+)"/)))
    return [
      `There is no partial named "${m[1]}": add it to the workspace's partials, or fix the name.`,
      { code: 'no_partial', values: { partial: m[1]! } },
    ];
  if (/^template render limit exceeded$/.test(said))
    return [
      `${TOO_SLOW}: rendering it took longer than allowed (a loop over a huge range, or loops inside loops?). Make it do less work.`,
      { code: 'too_slow' },
    ];
  if (/^memory alloc limit exceeded$/.test(said))
    return [
      `${TOO_LARGE}: it builds more text or lists than allowed (a loop over a huge range?). Make it smaller.`,
      { code: 'too_large' },
    ];
  if (/limit exceeded$/.test(said))
    return ['The template does too much work (a loop over a huge range?): make it smaller.', { code: 'too_slow' }];
  return [
    `${said.charAt(0).toUpperCase()}${said.slice(1)}: fix the template at this place.`,
    { code: 'liquid', values: { detail: said } },
  ];
}
