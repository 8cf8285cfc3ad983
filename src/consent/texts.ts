// The words of what a customer sees from consent: the pages behind links (confirmation, unsubscribe, preference
// centre, a link that does not work) and the double opt-in e-mail, in texts/{en,pl,ru}.json (ICU MessageFormat).
import { catalogues, type Language, type Translate } from '../i18n/index.ts';
import en from './texts/en.json' with { type: 'json' };
import pl from './texts/pl.json' with { type: 'json' };
import ru from './texts/ru.json' with { type: 'json' };

export type ConsentTextKey = keyof typeof en;

/** The catalogues as loaded (the completeness test compares them). */
export const CONSENT_TEXTS: Record<Language, Record<ConsentTextKey, string>> = { en, pl, ru };

/** The consent texts in one language. */
export const consentText: (language: Language) => Translate<ConsentTextKey> = catalogues('consent', CONSENT_TEXTS);
