// The workspace's default language: what customers without a locale of their own (or with one Retain has no words
// for) read on the consent pages and in the built-in e-mails, and the variant a template falls back to. Saved with
// PATCH /api/v1/workspace.
import { useEffect, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../../api';
import { messageOf } from '../../messages/problems';
import { LANGUAGES, LANGUAGE_NAMES, t, type Language } from '../../i18n';

interface WorkspaceView {
  id: string;
  name: string;
  defaultLocale: Language;
}

export function WorkspaceLanguageForm() {
  const [saved, setSaved] = useState<Language | null>(null);
  const [chosen, setChosen] = useState<Language>('en');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    apiGet<WorkspaceView>(apiPath('/workspace'))
      .then((w) => (setSaved(w.defaultLocale), setChosen(w.defaultLocale)))
      .catch((err) => setResult({ ok: false, text: messageOf(err) }));
  }, []);

  async function save() {
    setBusy(true);
    setResult(null);
    try {
      const w = await apiSend<WorkspaceView>('PATCH', apiPath('/workspace'), { defaultLocale: chosen });
      setSaved(w.defaultLocale);
      setChosen(w.defaultLocale);
      setResult({ ok: true, text: t('defaultLanguage.saved', { language: LANGUAGE_NAMES[w.defaultLocale] }) });
    } catch (err) {
      setResult({ ok: false, text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="ws-language-heading" data-testid="workspace-language">
      <h2 id="ws-language-heading">{t('defaultLanguage.title')}</h2>
      {saved === null && !result && <p className="muted">{t('common.loading')}</p>}
      {saved !== null && (
        <form className="msg-settings" onSubmit={(e) => (e.preventDefault(), void save())}>
          <p className="note">{t('defaultLanguage.note')}</p>
          <label className="field jf">
            {t('defaultLanguage.label')}
            <select name="defaultLocale" value={chosen} onChange={(e) => setChosen(e.target.value as Language)}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </label>
          <div className="actions">
            <button type="submit" className="button" disabled={busy || chosen === saved}>
              {t('defaultLanguage.save')}
            </button>
          </div>
        </form>
      )}
      {result && (
        <p
          className={result.ok ? 'notice' : 'error'}
          role={result.ok ? 'status' : 'alert'}
          data-testid="workspace-language-result"
        >
          {result.text}
        </p>
      )}
    </section>
  );
}
