// Sign-in page: asks for the workspace admin key and checks it against GET /api/v1/me.
import { useState, type FormEvent } from 'react';
import { ApiError, apiGet, apiPath } from '../api';
import type { MeResponse } from '../types';

const REJECTED =
  'That key was not accepted: use the admin key printed when the workspace was created (retain workspace create)';

export function SignIn({ onSignedIn }: { onSignedIn: (key: string, me: MeResponse) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError(REJECTED);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await apiGet<MeResponse>(apiPath('/me'), trimmed);
      onSignedIn(trimmed, me);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setError(REJECTED);
      else setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <div className="signin">
      <form className="card signin-card" onSubmit={submit}>
        <div className="brand">Retain</div>
        <h1>Sign in</h1>
        <label className="field">
          <span>Admin key</span>
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
          Sign in
        </button>
      </form>
    </div>
  );
}
