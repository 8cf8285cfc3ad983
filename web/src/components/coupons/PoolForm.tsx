// The form that creates a coupon pool: name, value (amount, percent, free shipping), validity, low-stock threshold, and
// the value by RFM segment or tier as rows of "segment → amount". A refusal is shown next to the field it names.
import { useState, type FormEvent } from 'react';
import { apiPath, apiSend, ApiError } from '../../api';
import { t } from '../../i18n';
import { emptyDraft, poolBody, type PoolDraft, type PoolView } from '../../coupons/types';

/** The field a refusal names (`value.amount`, `validity.days`…), from the API's answer. */
function fieldOf(err: unknown): string | null {
  if (!(err instanceof ApiError)) return null;
  const body = err.body as { details?: { field?: string }; issues?: { field: string }[] } | null;
  return body?.details?.field ?? body?.issues?.[0]?.field ?? null;
}

export function PoolForm({ onCreated }: { onCreated: (pool: PoolView) => void }) {
  const [d, setD] = useState<PoolDraft>(emptyDraft);
  const [error, setError] = useState<{ field: string | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<PoolDraft>) => setD((old) => ({ ...old, ...patch }));
  const problem = (...fields: string[]) =>
    error && error.field && fields.some((f) => error.field === f || error.field!.startsWith(`${f}.`)) ? (
      <span className="error small" data-testid="field-problem">
        {error.text}
      </span>
    ) : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const pool = await apiSend<PoolView>('POST', apiPath('/coupons/pools'), poolBody(d));
      setD(emptyDraft());
      onCreated(pool);
    } catch (err) {
      setError({ field: fieldOf(err), text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="coupon-form" onSubmit={(e) => void submit(e)} data-testid="pool-form">
      <div className="coupon-grid">
        <label className="field">
          {t('coupons.name')}
          <input name="pool-name" value={d.name} onChange={(e) => set({ name: e.target.value })} />
          {problem('name')}
        </label>
        <label className="field">
          {t('coupons.id')}
          <input
            name="pool-id"
            value={d.id}
            placeholder={t('coupons.idHint')}
            onChange={(e) => set({ id: e.target.value })}
          />
          {problem('id')}
        </label>
        <label className="field">
          {t('coupons.kind')}
          <select name="pool-kind" value={d.kind} onChange={(e) => set({ kind: e.target.value as PoolDraft['kind'] })}>
            <option value="amount">{t('coupons.kind.amount')}</option>
            <option value="percent">{t('coupons.kind.percent')}</option>
            <option value="free_shipping">{t('coupons.kind.freeShipping')}</option>
          </select>
        </label>
        {d.kind !== 'free_shipping' && (
          <label className="field">
            {d.kind === 'percent' ? t('coupons.percent') : t('coupons.amount')}
            <input
              name="pool-amount"
              inputMode="decimal"
              value={d.amount}
              onChange={(e) => set({ amount: e.target.value })}
            />
            {problem('value.amount', 'value.kind')}
          </label>
        )}
        {d.kind === 'amount' && (
          <label className="field">
            {t('coupons.currency')}
            <input
              name="pool-currency"
              value={d.currency}
              maxLength={3}
              onChange={(e) => set({ currency: e.target.value })}
            />
            {problem('value.currency')}
          </label>
        )}
        <label className="field">
          {t('coupons.validity')}
          <select
            name="pool-validity"
            value={d.validity}
            onChange={(e) => set({ validity: e.target.value as PoolDraft['validity'] })}
          >
            <option value="days">{t('coupons.validity.days')}</option>
            <option value="until">{t('coupons.validity.until')}</option>
          </select>
        </label>
        {d.validity === 'days' ? (
          <label className="field">
            {t('coupons.days')}
            <input
              name="pool-days"
              inputMode="numeric"
              value={d.days}
              onChange={(e) => set({ days: e.target.value })}
            />
            {problem('validity')}
          </label>
        ) : (
          <label className="field">
            {t('coupons.until')}
            <input
              name="pool-until"
              type="datetime-local"
              value={d.until}
              onChange={(e) => set({ until: e.target.value })}
            />
            {problem('validity')}
          </label>
        )}
        <label className="field">
          {t('coupons.lowStock')}
          <input
            name="pool-low-stock"
            inputMode="numeric"
            value={d.lowStock}
            onChange={(e) => set({ lowStock: e.target.value })}
          />
          {problem('lowStock')}
        </label>
      </div>
      {d.kind !== 'free_shipping' && (
        <fieldset className="coupon-map">
          <legend>{t('coupons.valueBy')}</legend>
          <select name="pool-by" value={d.by} onChange={(e) => set({ by: e.target.value as PoolDraft['by'] })}>
            <option value="">{t('coupons.valueBy.none')}</option>
            <option value="rfm_segment">{t('coupons.valueBy.rfm')}</option>
            <option value="tier">{t('coupons.valueBy.tier')}</option>
          </select>
          {d.by && (
            <>
              {d.rows.map((row, k) => (
                <div className="coupon-map-row" key={k}>
                  <input
                    name={`map-key-${k}`}
                    aria-label={d.by === 'tier' ? t('coupons.tier') : t('coupons.segment')}
                    placeholder={d.by === 'tier' ? t('coupons.tier') : t('coupons.segment')}
                    value={row.key}
                    onChange={(e) => set({ rows: d.rows.map((r, j) => (j === k ? { ...r, key: e.target.value } : r)) })}
                  />
                  <span aria-hidden="true">→</span>
                  <input
                    name={`map-amount-${k}`}
                    aria-label={t('coupons.amount')}
                    inputMode="decimal"
                    value={row.amount}
                    onChange={(e) =>
                      set({ rows: d.rows.map((r, j) => (j === k ? { ...r, amount: e.target.value } : r)) })
                    }
                  />
                  <button
                    type="button"
                    className="button secondary"
                    onClick={() => set({ rows: d.rows.filter((_, j) => j !== k) })}
                  >
                    {t('common.remove')}
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="button secondary"
                onClick={() => set({ rows: [...d.rows, { key: '', amount: '' }] })}
              >
                {t('coupons.addRow')}
              </button>
              <label className="field">
                {t('coupons.default')}
                <input
                  name="pool-default"
                  inputMode="decimal"
                  value={d.fallback}
                  onChange={(e) => set({ fallback: e.target.value })}
                />
              </label>
              {problem('valueMap')}
            </>
          )}
        </fieldset>
      )}
      {error && !error.field && (
        <p className="error" role="alert">
          {error.text}
        </p>
      )}
      {error && error.field && (
        <p className="error" role="alert" data-testid="form-problem">
          {t('coupons.fixFields')}
        </p>
      )}
      <button type="submit" className="button" disabled={busy}>
        {t('coupons.create')}
      </button>
    </form>
  );
}
