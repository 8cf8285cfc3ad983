// The workspace's currencies: the base currency every report converts to, and the rate of each other currency with
// the day it is from. Saved with PUT /api/v1/settings/currency; a refusal shows the server's message, which names the field.
import { useEffect, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../../api';
import { messageOf } from '../../messages/problems';
import { CURRENCY_CODES, type CurrencySettings } from '../../money';

interface RateRow { currency: string; rate: string; date: string }

const SOURCE: Record<CurrencySettings['source'], string> = {
  settings: 'Saved settings.',
  orders: 'Not saved yet: all your orders so far are in this currency. Save to keep it.',
  default: 'Not saved yet: the default. Choose the currency you report in and save.',
};

const today = () => new Date().toISOString().slice(0, 10);

export function CurrencySettingsForm({ onSaved }: { onSaved?: () => void }) {
  const [settings, setSettings] = useState<CurrencySettings | null>(null);
  const [base, setBase] = useState('');
  const [rows, setRows] = useState<RateRow[]>([]);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  function adopt(s: CurrencySettings) {
    setSettings(s);
    setBase(s.base);
    setRows(Object.entries(s.rates).map(([currency, r]) => ({ currency, rate: String(r.rate), date: r.date })));
  }

  useEffect(() => {
    apiGet<CurrencySettings>(apiPath('/settings/currency'))
      .then(adopt)
      .catch((err) => setResult({ ok: false, text: messageOf(err) }));
  }, []);

  async function save() {
    const rates: Record<string, { rate: number; date: string }> = {};
    for (const r of rows) {
      if (!r.currency) continue;
      const rate = Number(r.rate.replace(',', '.'));
      if (!r.rate.trim() || !Number.isFinite(rate)) return setResult({ ok: false, text: `The rate of ${r.currency} must be a number, such as 0.2315.` });
      rates[r.currency] = { rate, date: r.date };
    }
    setBusy(true);
    setResult(null);
    try {
      adopt(await apiSend<CurrencySettings>('PUT', apiPath('/settings/currency'), { base, rates }));
      setResult({ ok: true, text: 'Currencies saved: the reports now use them.' });
      onSaved?.();
    } catch (err) {
      setResult({ ok: false, text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  const set = (i: number, patch: Partial<RateRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <section className="card" aria-labelledby="currency-heading" data-testid="currency-settings">
      <h2 id="currency-heading">Currencies</h2>
      {!settings && !result && <p className="muted">Loading…</p>}
      {settings && (
        <form className="msg-settings currency-form" onSubmit={(e) => (e.preventDefault(), void save())}>
          <p className="note">
            Revenue is always shown per currency as your orders were sent. With a rate, other currencies are also converted into the base
            currency, so reports can give one total; a currency without a rate is shown apart, never added in.
          </p>
          <label className="field jf">
            Base currency
            <select name="base" value={base} onChange={(e) => setBase(e.target.value)}>
              {CURRENCY_CODES.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
          <p className="note" data-testid="currency-source">{SOURCE[settings.source]}</p>
          <fieldset className="jf-group">
            <legend>Rates to {base}</legend>
            {base !== settings.base && rows.length > 0 && <p className="error" role="alert">The base is now {base}: give each rate below in {base} before saving.</p>}
            {rows.length === 0 && <p className="muted">No rates: amounts in other currencies are shown apart.</p>}
            {rows.length > 0 && (
              <table className="table rates-table">
                <thead>
                  <tr><th>Currency</th><th className="num">1 unit is worth ({base})</th><th>Rate of the day</th><th /></tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr key={i} data-testid="currency-rate-row">
                      <td>
                        <select aria-label={`Currency ${i + 1}`} value={r.currency} onChange={(e) => set(i, { currency: e.target.value })}>
                          {CURRENCY_CODES.filter((c) => c !== base).map((c) => <option key={c} value={c}>{c}</option>)}
                        </select>
                      </td>
                      <td className="num"><input type="text" inputMode="decimal" aria-label={`Rate of ${r.currency} in ${base}`} value={r.rate} onChange={(e) => set(i, { rate: e.target.value })} /></td>
                      <td><input type="date" aria-label={`Day of the ${r.currency} rate`} value={r.date} onChange={(e) => set(i, { date: e.target.value })} /></td>
                      <td><button type="button" className="button secondary" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>Remove</button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <button type="button" className="button secondary" onClick={() => setRows((rs) => [...rs, { currency: CURRENCY_CODES.find((c) => c !== base && !rs.some((r) => r.currency === c)) ?? '', rate: '', date: today() }])}>
              Add a rate
            </button>
          </fieldset>
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>Save currencies</button>
          </div>
        </form>
      )}
      {result && <p className={result.ok ? 'notice' : 'error'} role={result.ok ? 'status' : 'alert'} data-testid="currency-result">{result.text}</p>}
    </section>
  );
}
