// Lifetime value with and without messages: realised revenue per customer summed by months since assignment for the
// customers marketing reached and those the control group kept out (SVG lines), the models' 12-month CLV of each,
// and the table of both with the difference; CSV export.
import { apiPath } from '../../api';
import { useApi } from '../../useApi';
import { t } from '../../i18n';
import { formatNumber } from '../../format';
import { formatAmount } from '../../money';
import type { LtvResponse } from '../../results/types';
import { ExportButton } from './ExportButton';

const W = 640;
const H = 220;
const PAD = { left: 70, right: 16, top: 12, bottom: 28 };
const COLOURS = { treated: '#2f9e44', control: '#868e96' } as const;

function LtvChart({ data }: { data: LtvResponse }) {
  const values = data.arms.flatMap((a) => a.months.map((m) => m.cumulative)).filter((v): v is number => v !== null);
  const max = Math.max(1e-9, ...values);
  const x = (month: number) => PAD.left + ((month - 1) / Math.max(1, data.horizon - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" data-testid="ltv-chart">
      <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} stroke="#d1d5db" />
      <text x={PAD.left - 6} y={y(max) + 4} textAnchor="end" fontSize="11" fill="#6b7280">
        {formatAmount(max, data.currency)}
      </text>
      <text x={PAD.left - 6} y={y(0) + 4} textAnchor="end" fontSize="11" fill="#6b7280">
        {formatAmount(0, data.currency)}
      </text>
      {data.arms[0]!.months.map((m) => (
        <text key={m.month} x={x(m.month)} y={H - 8} textAnchor="middle" fontSize="11" fill="#6b7280">
          {m.month}
        </text>
      ))}
      {data.arms.map((a) => {
        const known = a.months.filter((m) => m.cumulative !== null);
        if (!known.length) return null;
        return (
          <g key={a.arm} data-testid={`ltv-line-${a.arm}`} stroke={COLOURS[a.arm]} fill={COLOURS[a.arm]}>
            <polyline
              points={known.map((m) => `${x(m.month)},${y(m.cumulative!)}`).join(' ')}
              fill="none"
              strokeWidth="2.5"
            />
            {known.map((m) => (
              <circle key={m.month} cx={x(m.month)} cy={y(m.cumulative!)} r="3.5" />
            ))}
          </g>
        );
      })}
    </svg>
  );
}

export function LtvSection() {
  const { data, error } = useApi<LtvResponse>(apiPath('/measure/ltv'));
  const armName = (arm: 'treated' | 'control') =>
    arm === 'treated' ? t('results.ltv.treated') : t('results.ltv.control');
  const empty = data ? data.arms.every((a) => a.customers === 0) : false;
  return (
    <section className="card" data-testid="ltv">
      <h2>{t('results.ltv.title')}</h2>
      {error && <p className="error">{error}</p>}
      {!data && !error && <p className="muted">{t('common.loading')}</p>}
      {data && empty && <p className="muted">{t('results.ltv.none')}</p>}
      {data && !empty && (
        <>
          <p className="muted">{t('results.ltv.note', { months: data.horizon })}</p>
          <div className="cards">
            {data.arms.map((a) => (
              <div className="card" key={a.arm} data-testid={`ltv-arm-${a.arm}`}>
                <div className="stat-label">
                  <span className="swatch" style={{ background: COLOURS[a.arm] }} /> {armName(a.arm)}
                </div>
                <div className="stat-value stat-small">
                  {t('results.ltv.customers', { count: a.customers, customers: formatNumber(a.customers) })}
                </div>
                <div className="muted" data-testid={`ltv-clv-${a.arm}`}>
                  {a.clv.mean === null
                    ? t('results.ltv.noClv')
                    : t('results.ltv.clv', { amount: formatAmount(a.clv.mean, data.currency) })}
                </div>
              </div>
            ))}
          </div>
          <LtvChart data={data} />
          <div className="table-scroll">
            <table className="table results-table" data-testid="ltv-table">
              <thead>
                <tr>
                  <th>{t('results.ltv.month')}</th>
                  <th className="num">{armName('treated')}</th>
                  <th className="num">{armName('control')}</th>
                  <th className="num">{t('results.ltv.difference')}</th>
                </tr>
              </thead>
              <tbody>
                {data.difference.map((d, i) => {
                  const cell = (v: number | null) => (v === null ? '—' : formatAmount(v, data.currency));
                  return (
                    <tr key={d.month} data-testid="ltv-row">
                      <td>{d.month}</td>
                      <td className="num">{cell(data.arms[0]!.months[i]!.cumulative)}</td>
                      <td className="num">{cell(data.arms[1]!.months[i]!.cumulative)}</td>
                      <td className="num">{cell(d.cumulative)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <ExportButton
            name="ltv"
            testId="ltv-csv"
            rows={() => [
              [t('results.ltv.month'), armName('treated'), armName('control'), t('results.ltv.difference')],
              ...data.difference.map((d, i) => [
                d.month,
                data.arms[0]!.months[i]!.cumulative,
                data.arms[1]!.months[i]!.cumulative,
                d.cumulative,
              ]),
            ]}
          />
        </>
      )}
    </section>
  );
}
