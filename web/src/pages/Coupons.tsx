// Coupons page (#/coupons): the pools with their stock (a low-stock warning), the form that creates one, and the chosen
// pool's codes: add them by pattern or from a list, and see each one's status.
import { useEffect, useState } from 'react';
import { apiGet, apiPath } from '../api';
import { t } from '../i18n';
import { formatNumber } from '../format';
import { PoolForm } from '../components/coupons/PoolForm';
import { CodesPanel } from '../components/coupons/CodesPanel';
import type { PoolView } from '../coupons/types';
import '../coupons.css';

/** A pool's value in words: "20 PLN", "15 %", "Free shipping"; "by RFM segment" when a value map applies. */
function valueText(p: PoolView): string {
  const base =
    p.value.kind === 'free_shipping'
      ? t('coupons.kind.freeShipping')
      : p.value.kind === 'percent'
        ? t('coupons.valuePercent', { amount: p.value.amount ?? 0 })
        : t('coupons.valueAmount', { amount: p.value.amount ?? 0, currency: p.value.currency ?? '' });
  if (!p.valueMap) return base;
  return `${base} · ${p.valueMap.by === 'tier' ? t('coupons.valueBy.tier') : t('coupons.valueBy.rfm')}`;
}

export function Coupons() {
  const [pools, setPools] = useState<PoolView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    apiGet<{ pools: PoolView[] }>(apiPath('/coupons/pools'))
      .then((r) => live && setPools(r.pools))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [version]);

  const pool = pools?.find((p) => p.id === chosen) ?? null;
  return (
    <>
      <h1>{t('nav.coupons')}</h1>
      <p className="muted">{t('coupons.lead')}</p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section className="card">
        {!pools && !error && <p className="muted">{t('common.loading')}</p>}
        {pools && pools.length === 0 && (
          <p className="muted empty" data-testid="pools-empty">
            {t('coupons.none')}
          </p>
        )}
        {pools && pools.length > 0 && (
          <div className="table-scroll">
            <table className="table" data-testid="pools-table">
              <thead>
                <tr>
                  <th>{t('common.name')}</th>
                  <th>{t('coupons.value')}</th>
                  <th className="num">{t('coupons.status.available')}</th>
                  <th className="num">{t('coupons.status.assigned')}</th>
                  <th className="num">{t('coupons.status.redeemed')}</th>
                  <th className="num">{t('coupons.status.expired')}</th>
                </tr>
              </thead>
              <tbody>
                {pools.map((p) => (
                  <tr key={p.id} data-testid="pool-row" className={p.id === chosen ? 'selected' : undefined}>
                    <td>
                      <button type="button" className="link" onClick={() => setChosen(p.id)}>
                        {p.name}
                      </button>
                      {p.stock.lowStock && (
                        <span className="tag coupon-low" data-testid="low-stock">
                          {t('coupons.lowStockTag')}
                        </span>
                      )}
                    </td>
                    <td>{valueText(p)}</td>
                    <td className="num" data-testid="stock-available">
                      {formatNumber(p.stock.available)}
                    </td>
                    <td className="num">{formatNumber(p.stock.assigned)}</td>
                    <td className="num">{formatNumber(p.stock.redeemed)}</td>
                    <td className="num">{formatNumber(p.stock.expired)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {pool && <CodesPanel key={pool.id} pool={pool} onChanged={() => setVersion((v) => v + 1)} />}
      <section className="card">
        <h2>{t('coupons.new')}</h2>
        <PoolForm
          onCreated={(p) => {
            setChosen(p.id);
            setVersion((v) => v + 1);
          }}
        />
      </section>
    </>
  );
}
