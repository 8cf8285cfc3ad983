// RFM page: the 5×5 grid of recency (rows, most recent on top) by frequency (columns) as a heatmap with customers and
// net revenue per cell and the segment each cell belongs to, then the customers and revenue of every named segment.
// Revenue is in the base currency, with amounts in currencies without a rate shown apart. A click on a cell opens
// its customers or makes a segment of them.
import { useState } from 'react';
import { apiPath, apiSend } from '../api';
import { Money, MoneyNoteLine } from '../components/money/Money';
import { formatDate, formatNumber } from '../format';
import { formatAmount } from '../money';
import type { RfmGridResponse } from '../modelTypes';
import { useApi } from '../useApi';
import { rfmCustomersHref, segmentHref, type RfmCell } from '../router';
import type { Segment } from '../types';
import '../models.css';
import { t } from '../i18n';
import { rfmSegmentName } from '../i18n/terms';
import { formatPercent } from '../format';

export function Rfm() {
  const { data, error } = useApi<RfmGridResponse>(apiPath('/rfm/grid'));
  const [picked, setPicked] = useState<RfmCell | null>(null);
  const [making, setMaking] = useState(false);
  const [makeError, setMakeError] = useState<string | null>(null);
  const pickedCell = picked && data ? data.cells.find((c) => c.r === picked.r && c.f === picked.f) : undefined;

  /** A segment of the cell's customers (R and F scores), computed at once, then opened. */
  async function makeSegment(cell: RfmCell, name: string) {
    setMaking(true);
    setMakeError(null);
    try {
      const definition = {
        and: [
          { score: 'rfm_r', op: 'equals', value: cell.r },
          { score: 'rfm_f', op: 'equals', value: cell.f },
        ],
      };
      const created = await apiSend<Segment>('POST', apiPath('/segments'), { name, definition });
      await apiSend('POST', apiPath(`/segments/${encodeURIComponent(created.id)}/evaluate`)).catch(() => undefined); // the segment run computes it otherwise
      window.location.hash = segmentHref(created.id);
    } catch (err) {
      setMakeError(err instanceof Error ? err.message : String(err));
    } finally {
      setMaking(false);
    }
  }

  const max = data ? Math.max(1, ...data.cells.map((c) => c.customers)) : 1;
  const share = (n: number) => (data && data.customers > 0 ? formatPercent(n / data.customers) : '—');

  return (
    <>
      <h1>{t('nav.rfm')}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && data.customers === 0 && (
        <p className="muted empty" data-testid="rfm-empty">
          {t('rfm.noneBefore')} <a href="#/models">{t('nav.models')}</a> {t('rfm.noneAfter')}
        </p>
      )}
      {data && data.customers > 0 && (
        <>
          <section className="card">
            <h2>{t('rfm.grid')}</h2>
            <p className="muted">
              Quintile scores over the {formatNumber(data.customers)} customers with orders (5 = most recent, most
              frequent). Scored {formatDate(data.scoredAt)}.
            </p>
            <table className="rfm-grid" data-testid="rfm-grid">
              <thead>
                <tr>
                  <th />
                  {[1, 2, 3, 4, 5].map((f) => (
                    <th key={f}>F {f}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[5, 4, 3, 2, 1].map((r) => (
                  <tr key={r}>
                    <th>R {r}</th>
                    {data.cells
                      .filter((c) => c.r === r)
                      .sort((a, b) => a.f - b.f)
                      .map((c) => {
                        const heat = c.customers / max;
                        return (
                          <td
                            key={c.f}
                            tabIndex={0}
                            role="button"
                            aria-pressed={picked?.r === c.r && picked?.f === c.f}
                            className="rfm-cell"
                            onClick={() => setPicked({ r: c.r, f: c.f })}
                            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && setPicked({ r: c.r, f: c.f })}
                            data-testid={`rfm-cell-${c.r}-${c.f}`}
                            data-customers={c.customers}
                            style={{
                              background: `rgba(79, 107, 237, ${(0.06 + 0.8 * heat).toFixed(3)})`,
                              color: heat > 0.55 ? '#fff' : undefined,
                            }}
                            title={t('rfm.cellTitle', {
                              r: c.r,
                              f: c.f,
                              count: c.customers,
                              revenue:
                                Object.entries(c.revenueByCurrency)
                                  .map(([k, v]) => formatAmount(v, k))
                                  .join(' + ') || formatAmount(0, data.money.currency),
                            })}
                          >
                            <div className="rfm-count">{formatNumber(c.customers)}</div>
                            <div className="rfm-revenue">
                              <Money figure={c} note={data.money} />
                            </div>
                            {c.segment && <div className="rfm-name">{rfmSegmentName(c.segment)}</div>}
                          </td>
                        );
                      })}
                  </tr>
                ))}
              </tbody>
            </table>
            <MoneyNoteLine note={data.money} testId="rfm-money-note" />
            {pickedCell ? (
              <div className="rfm-picked" data-testid="rfm-picked">
                <strong>
                  R {pickedCell.r}, F {pickedCell.f}
                  {pickedCell.segment ? ` (${rfmSegmentName(pickedCell.segment)})` : ''}:{' '}
                  {t('rfm.customers', { count: pickedCell.customers })}
                </strong>{' '}
                <a
                  className="button secondary small"
                  href={rfmCustomersHref(pickedCell)}
                  data-testid="rfm-open-customers"
                >
                  {t('rfm.open')}
                </a>{' '}
                <button
                  type="button"
                  className="button small"
                  disabled={making}
                  data-testid="rfm-make-segment"
                  onClick={() =>
                    void makeSegment(
                      pickedCell,
                      `RFM R${pickedCell.r} F${pickedCell.f}${pickedCell.segment ? ` · ${pickedCell.segment}` : ''}`,
                    )
                  }
                >
                  {t('rfm.make')}
                </button>
                {makeError && (
                  <p className="error" role="alert">
                    {makeError}
                  </p>
                )}
              </div>
            ) : (
              <p className="muted">{t('rfm.clickHint')}</p>
            )}
          </section>
          <section className="card">
            <h2>{t('nav.segments')}</h2>
            <table className="table" data-testid="rfm-segments">
              <thead>
                <tr>
                  <th>{t('title.segment')}</th>
                  <th className="num">{t('nav.customers')}</th>
                  <th className="num">{t('rfm.share')}</th>
                  <th className="num">{t('overview.netRevenue')}</th>
                </tr>
              </thead>
              <tbody>
                {data.segments.map((s) => (
                  <tr key={s.name} data-testid="rfm-segment-row">
                    <td>{rfmSegmentName(s.name)}</td>
                    <td className="num" data-testid={`rfm-segment-${s.name}`}>
                      {formatNumber(s.customers)}
                    </td>
                    <td className="num">{share(s.customers)}</td>
                    <td className="num">
                      <Money figure={s} note={data.money} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </>
  );
}
