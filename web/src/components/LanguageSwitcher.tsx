// The dashboard's language: English, Polski, Русский, each named in itself; the choice is kept in this browser.
import { LANGUAGE_NAMES, LANGUAGES, setLanguage, t, useLanguage, type Language } from '../i18n';

export function LanguageSwitcher() {
  const language = useLanguage();
  return (
    <label className="language-switcher">
      <span className="muted">{t('layout.language')}</span>
      <select
        name="language"
        data-testid="language"
        value={language}
        onChange={(e) => setLanguage(e.target.value as Language)}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
