// I18n: the public surface of src/i18n/, what other capabilities import from it (see docs/architecture.md, Layers).
export {
  catalogues,
  headerLanguage,
  type Language,
  languageOf,
  LANGUAGES,
  pickLanguage,
  type Translate,
} from './catalogue.ts';
