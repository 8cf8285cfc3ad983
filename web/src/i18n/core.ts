// The dashboard's languages without the browser: the three catalogues, picking a language from what the browser
// prefers, and an ICU MessageFormat formatter (FormatJS) per language. `index.ts` adds the browser's side.
import { createIntl, createIntlCache, type IntlShape } from 'react-intl';
import en from './en.json' with { type: 'json' };
import pl from './pl.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };

export const LANGUAGES = ['en', 'pl', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Every message key: the English catalogue is the reference the other two must match key for key. */
export type MessageKey = keyof typeof en;
export type MessageValues = Record<string, string | number | Date>;

export const CATALOGUES: Record<Language, Record<string, string>> = { en, pl, ru };

/** Each language named in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', pl: 'Polski', ru: 'Русский' };

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

/** The stored choice if any, else the first of the browser's languages we have ("pl-PL" → pl), else English. */
export function pickLanguage(stored: string | null | undefined, preferred: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/**
 * The locale Intl formats with: the browser's own tag for that language when it has one ("en-GB" keeps British
 * dates), else the language itself.
 */
export function formatLocaleFor(language: Language, preferred: readonly string[]): string {
  const own = preferred.find((tag) => tag.toLowerCase().split('-')[0] === language);
  try {
    if (own) return Intl.getCanonicalLocales(own)[0] ?? language;
  } catch {
    // a malformed tag from the browser: the language alone
  }
  return language;
}

const cache = createIntlCache();

/** The formatter of one language; messages missing from it (never, the catalogue test sees to it) fall back to English. */
export function makeIntl(language: Language, locale: string = language): IntlShape {
  return createIntl(
    {
      locale,
      defaultLocale: 'en',
      messages: { ...CATALOGUES.en, ...CATALOGUES[language] },
      onError: (err) => {
        if (err.code !== 'MISSING_TRANSLATION') console.error(err);
      },
    },
    cache,
  );
}

/** One message of `intl` as text. */
export function formatWith(intl: IntlShape, key: MessageKey, values?: MessageValues): string {
  return intl.formatMessage({ id: key }, values);
}
