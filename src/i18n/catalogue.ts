// What a customer reads from us is in their language: Polish, Russian or English (pure). A capability keeps its words
// in one catalogue per language (ICU MessageFormat, e.g. src/consent/texts/pl.json); this module picks the language of
// a person (their locale, else the workspace's default, else English) and formats a catalogue's messages in it.
import { IntlMessageFormat } from 'intl-messageformat';

export const LANGUAGES = ['en', 'pl', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (v: unknown): v is Language =>
  typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

/** The language of a locale tag when we write in it: pl-PL → pl, ru → ru, en_GB → en; anything else null. */
export function languageOf(tag: string | null | undefined): Language | null {
  if (typeof tag !== 'string' || !tag.trim()) return null;
  try {
    const language = new Intl.Locale(tag.trim().replace(/_/g, '-')).language;
    return isLanguage(language) ? language : null;
  } catch {
    return null;
  }
}

/** The first of the tags in a language we write (the customer's locale, then the workspace's default), else English. */
export function pickLanguage(...tags: (string | null | undefined)[]): Language {
  for (const tag of tags) {
    const language = languageOf(tag);
    if (language) return language;
  }
  return 'en';
}

/** The browser's best language of ours from an Accept-Language header (pl-PL,pl;q=0.9,en;q=0.8), or null. */
export function headerLanguage(header: string | null | undefined): Language | null {
  if (typeof header !== 'string') return null;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined) ?? 1);
      return { language: languageOf(tag), q: Number.isFinite(q) ? q : 0, i };
    });
  const best = ranked.filter((r) => r.language && r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i)[0];
  return best?.language ?? null;
}

/** Values a message's arguments take ({name}, {count, plural, …}, {kind, select, …}). */
export type MessageValues = Record<string, string | number>;

/** Formats one message of a catalogue in one language. */
export type Translate<K extends string> = (key: K, values?: MessageValues) => string;

/** The names of a message's arguments ({name}, {n, plural, …}), nested ones too. */
export function argumentsOf(message: string, language: Language = 'en'): Set<string> {
  const names = new Set<string>();
  const walk = (elements: unknown[]) => {
    for (const e of elements as { type: number; value?: unknown; options?: Record<string, { value: unknown[] }> }[]) {
      if (e.type !== 0 && e.type !== 7 && typeof e.value === 'string') names.add(e.value); // 0 literal, 7 pound
      for (const option of Object.values(e.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, language).getAst());
  return names;
}

/**
 * What is wrong with a capability's catalogues: a key missing from a language (or there only), an empty message, a
 * message that does not parse, an argument that English does not give. Empty when they are complete.
 */
export function catalogueProblems(texts: Record<Language, Record<string, string>>): string[] {
  const problems: string[] = [];
  const keys = new Set(LANGUAGES.flatMap((l) => Object.keys(texts[l] ?? {})));
  for (const key of keys) {
    const given = new Set(texts.en?.[key] ? safeArguments(texts.en[key], 'en', problems, key) : []);
    for (const language of LANGUAGES) {
      const message = texts[language]?.[key];
      if (message === undefined) {
        problems.push(`${language}: "${key}" is missing`);
        continue;
      }
      if (!message.trim()) problems.push(`${language}: "${key}" is empty`);
      if (language === 'en') continue;
      for (const arg of safeArguments(message, language, problems, key)) {
        if (!given.has(arg))
          problems.push(
            `${language}: "${key}" uses {${arg}}, which the English message does not have (nobody gives it)`,
          );
      }
    }
  }
  return problems;
}

function safeArguments(message: string, language: Language, problems: string[], key: string): Set<string> {
  try {
    return argumentsOf(message, language);
  } catch (err) {
    problems.push(`${language}: "${key}" is not ICU MessageFormat: ${(err as Error).message}`);
    return new Set();
  }
}

/**
 * A capability's catalogues, one per language, each key → ICU message; all checked and parsed once, here (a key
 * missing from a language or a syntax error fails at start, naming the catalogue, language and key). Answers the
 * formatter of a language.
 */
export function catalogues<K extends string>(
  name: string,
  texts: Record<Language, Record<K, string>>,
): (language: Language) => Translate<K> {
  const problems = catalogueProblems(texts);
  if (problems.length) throw new Error(`${name} texts: ${problems.join('; ')}`);
  const compiled = Object.fromEntries(
    LANGUAGES.map((language) => {
      const messages = new Map<string, IntlMessageFormat>();
      for (const [key, message] of Object.entries<string>(texts[language])) {
        try {
          messages.set(key, new IntlMessageFormat(message, language));
        } catch (err) {
          throw new Error(`${name} texts, ${language}, "${key}": ${(err as Error).message}`, { cause: err });
        }
      }
      return [language, messages];
    }),
  ) as Record<Language, Map<string, IntlMessageFormat>>;
  return (language) => (key, values) => {
    const message = compiled[language].get(key) ?? compiled.en.get(key);
    if (!message) throw new Error(`${name} texts: no message "${key}"`);
    return String(message.format(values));
  };
}
