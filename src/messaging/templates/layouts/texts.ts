// The words of the e-mail layouts (their legal footer, greeting, headings and buttons) in texts/{en,pl,ru}.json (ICU
// MessageFormat): each layout is built once per language, its arguments filled with Liquid that prints at send time.
import { catalogues, type Language, type Translate } from '../../../i18n/index.ts';
import en from './texts/en.json' with { type: 'json' };
import pl from './texts/pl.json' with { type: 'json' };
import ru from './texts/ru.json' with { type: 'json' };

export type LayoutTextKey = keyof typeof en;

export const LAYOUT_TEXTS: Record<Language, Record<LayoutTextKey, string>> = { en, pl, ru };

export const layoutText: (language: Language) => Translate<LayoutTextKey> = catalogues('e-mail layouts', LAYOUT_TEXTS);
