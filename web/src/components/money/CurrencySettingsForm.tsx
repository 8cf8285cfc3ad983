// The workspace's currencies: the base currency every report converts to, and the rate of each other currency with
// the day it is from. Saved with PUT /api/v1/settings/currency; a refusal shows the server's message, which names the field.
import { useEffect, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../../api';
import { messageOf } from '../../messages/problems';
import { CURRENCY_CODES, type CurrencySettings } from '../../money';
import { t } from '../../i18n';

interface RateRow {
  currency: string;
  rate: string;
  date: string;
}

const SOURCE: Record<CurrencySettings['source'], string> = {
  get settings() {
    return t('currency.sourceSettings');
  },
  get orders() {
    return t('currency.sourceOrders');
  },
  get default() {
    return t('currency.sourceDefault');
  },
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
      if (!r.rate.trim() || !Number.isFinite(rate))
        return setResult({ ok: false, text: t('currency.rateNumber', { currency: r.currency }) });
      rates[r.currency] = { rate, date: r.date };
    }
    setBusy(true);
    setResult(null);
    try {
      adopt(await apiSend<CurrencySettings>('PUT', apiPath('/settings/currency'), { base, rates }));
      setResult({ ok: true, text: t('currency.saved') });
      onSaved?.();
    } catch (err) {
      setResult({ ok: false, text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  const set = (i: number, patch: Partial<RateRow>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <section className="card" aria-labelledby="currency-heading" data-testid="currency-settings">
      <h2 id="currency-heading">{t('currency.title')}</h2>
      {!settings && !result && <p className="muted">{t('common.loading')}</p>}
      {settings && (
        <form className="msg-settings currency-form" onSubmit={(e) => (e.preventDefault(), void save())}>
          <p className="note">{t('currency.note')}</p>
          <label className="field jf">
            {t('currency.base')}
            <select name="base" value={base} onChange={(e) => setBase(e.target.value)}>
              {CURRENCY_CODES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <p className="note" data-testid="currency-source">
            {SOURCE[settings.source]}
          </p>
          <fieldset className="jf-group">
            <legend>Rates to {base}</legend>
            {base !== settings.base && rows.length > 0 && (
              <p className="error" role="alert">
                The base is now {base}: give each rate below in {base} before saving.
              </p>
            )}
            {rows.length === 0 && <p className="muted">{t('currency.noRates')}</p>}
            {rows.length > 0 && (
              <table className="table rates-table">
                <thead>
                  <tr>
                    <th>{t('currency.currency')}</th>
                    <th className="num">{t('currency.unitWorth', { base })}</th>
                    <th>{t('currency.rateDay')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r, i) => (
                    <tr key={i} data-testid="currency-rate-row">
                      <td>
                        <select
                          aria-label={t('currency.n', { n: i + 1 })}
                          value={r.currency}
                          onChange={(e) => set(i, { currency: e.target.value })}
                        >
                          {CURRENCY_CODES.filter((c) => c !== base).map((c) => (
                            <option key={c} value={c}>
                              {c}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td className="num">
                        <input
                          type="text"
                          inputMode="decimal"
                          aria-label={t('currency.rateOf', { currency: r.currency, base })}
                          value={r.rate}
                          onChange={(e) => set(i, { rate: e.target.value })}
                        />
                      </td>
                      <td>
                        <input
                          type="date"
                          aria-label={t('currency.dayOf', { currency: r.currency })}
                          value={r.date}
                          onChange={(e) => set(i, { date: e.target.value })}
                        />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button secondary"
                          onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}
                        >
                          {t('common.remove')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <button
              type="button"
              className="button secondary"
              onClick={() =>
                setRows((rs) => [
                  ...rs,
                  {
                    currency: CURRENCY_CODES.find((c) => c !== base && !rs.some((r) => r.currency === c)) ?? '',
                    rate: '',
                    date: today(),
                  },
                ])
              }
            >
              {t('currency.addRate')}
            </button>
          </fieldset>
          <div className="actions">
            <button type="submit" className="button" disabled={busy}>
              {t('currency.save')}
            </button>
          </div>
        </form>
      )}
      {result && (
        <p
          className={result.ok ? 'notice' : 'error'}
          role={result.ok ? 'status' : 'alert'}
          data-testid="currency-result"
        >
          {result.text}
        </p>
      )}
    </section>
  );
}
