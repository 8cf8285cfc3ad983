// The dashboard's language in the browser: chosen in the layout's switcher, remembered in localStorage, at first the
// browser's preferred language we have, else English. The function t, called with a literal key, is the one way a component says a word: the
// catalogue test finds every key by that call. Changing language re-renders the whole app (App is keyed by it).
import { useSyncExternalStore } from 'react';
import {
  formatLocaleFor,
  formatWith,
  makeIntl,
  pickLanguage,
  type Language,
  type MessageKey,
  type MessageValues,
} from './core.ts';
export { LANGUAGES, LANGUAGE_NAMES, type Language, type MessageKey } from './core.ts';

const STORAGE_KEY = 'retain.language';

function preferred(): readonly string[] {
  return typeof navigator === 'undefined'
    ? []
    : navigator.languages?.length
      ? navigator.languages
      : [navigator.language];
}

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

let language: Language = pickLanguage(stored(), preferred());
let locale = formatLocaleFor(language, preferred());
let intl = makeIntl(language, locale);
const listeners = new Set<() => void>();

function apply(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
apply();

/** The message `key` in the chosen language, ICU placeholders and plurals filled from `values`. */
export function t(key: MessageKey, values?: MessageValues): string {
  return formatWith(intl, key, values);
}

/** The chosen language. */
export function currentLanguage(): Language {
  return language;
}

/** The locale for Intl formatting of numbers, dates and money. */
export function currentLocale(): string {
  return locale;
}

export function setLanguage(next: Language): void {
  if (next === language) return;
  language = next;
  locale = formatLocaleFor(next, preferred());
  intl = makeIntl(next, locale);
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // private mode: the choice lasts for this page
  }
  apply();
  for (const l of listeners) l();
}

/** The chosen language as React state: a component using it re-renders when it changes. */
export function useLanguage(): Language {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => language,
  );
}
