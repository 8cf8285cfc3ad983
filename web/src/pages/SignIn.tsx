// Sign-in page: asks for the workspace admin key and checks it against GET /api/v1/me.
import { useState, type FormEvent } from 'react';
import { ApiError, apiGet, apiPath } from '../api';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { t } from '../i18n';
import type { MeResponse } from '../types';

const REJECTED = () => t('signIn.rejected');

export function SignIn({ onSignedIn }: { onSignedIn: (key: string, me: MeResponse) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // Never rejects (a failure becomes the form's error), so the form calls it with `void`.
  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError(REJECTED());
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await apiGet<MeResponse>(apiPath('/me'), trimmed);
      onSignedIn(trimmed, me);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setError(REJECTED());
      else setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={(e) => void submit(e)}>
        <div className="brand">Retain</div>
        <h1>{t('signIn.title')}</h1>
        <label className="field">
          <span>{t('signIn.adminKey')}</span>
          <input
            type="password"
            name="adminKey"
            autoComplete="current-password"
            autoFocus
            value={key}
            onChange={(e) => setKey(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="signin-error">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy}>
          {t('signIn.submit')}
        </button>
        <LanguageSwitcher />
      </form>
    </div>
  );
}
