// One pool's codes: add some by pattern or from a list (refused lines named), and the codes table by status.
import { useEffect, useState, type FormEvent } from 'react';
import { apiGet, apiPath, apiSend } from '../../api';
import { t } from '../../i18n';
import { formatDate, formatNumber } from '../../format';
import { customerHref, journeyHref } from '../../router';
import type { CodeStatus, CodeView, PoolView } from '../../coupons/types';

interface Refused {
  line: number;
  code: string;
  reason: string;
}

const STATUS_WORDS: Record<CodeStatus, () => string> = {
  available: () => t('coupons.status.available'),
  assigned: () => t('coupons.status.assigned'),
  redeemed: () => t('coupons.status.redeemed'),
  expired: () => t('coupons.status.expired'),
};

export function CodesPanel({ pool, onChanged }: { pool: PoolView; onChanged: () => void }) {
  const [pattern, setPattern] = useState('');
  const [count, setCount] = useState('100');
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const [text, setText] = useState('');
  const [status, setStatus] = useState<'' | CodeStatus>('');
  const [codes, setCodes] = useState<CodeView[] | null>(null);
  const [answer, setAnswer] = useState<string | null>(null);
  const [refused, setRefused] = useState<Refused[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    apiGet<{ codes: CodeView[] }>(
      apiPath(`/coupons/pools/${encodeURIComponent(pool.id)}/codes`, { status, limit: 200 }),
    )
      .then((r) => live && setCodes(r.codes))
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [pool.id, status, version]);

  const done = () => {
    setVersion((v) => v + 1);
    onChanged();
  };

  async function generate(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setRefused([]);
    try {
      const r = await apiSend<{ added: number }>(
        'POST',
        apiPath(`/coupons/pools/${encodeURIComponent(pool.id)}/generate`),
        { pattern, count: Number(count) },
      );
      setAnswer(t('coupons.added', { count: r.added }));
      done();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function importList(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const r = await apiSend<{ added: number; refused: Refused[] }>(
        'POST',
        apiPath(`/coupons/pools/${encodeURIComponent(pool.id)}/import`),
        { format, text },
      );
      setAnswer(t('coupons.added', { count: r.added }));
      setRefused(r.refused);
      setText('');
      done();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section className="card" data-testid="codes-panel">
      <h2>{pool.name}</h2>
      <div className="coupon-actions">
        <form onSubmit={(e) => void generate(e)} data-testid="generate-form">
          <h3>{t('coupons.generate')}</h3>
          <label className="field">
            {t('coupons.pattern')}
            <input
              name="pattern"
              value={pattern}
              placeholder="SPRING-####-????"
              onChange={(e) => setPattern(e.target.value)}
            />
            <span className="muted small">{t('coupons.patternHint')}</span>
          </label>
          <label className="field">
            {t('coupons.count')}
            <input name="count" inputMode="numeric" value={count} onChange={(e) => setCount(e.target.value)} />
          </label>
          <button type="submit" className="button">
            {t('coupons.generateButton')}
          </button>
        </form>
        <form onSubmit={(e) => void importList(e)} data-testid="import-form">
          <h3>{t('coupons.import')}</h3>
          <label className="field">
            {t('coupons.format')}
            <select name="format" value={format} onChange={(e) => setFormat(e.target.value as 'csv' | 'json')}>
              <option value="csv">{t('coupons.format.csv')}</option>
              <option value="json">{t('coupons.format.json')}</option>
            </select>
          </label>
          <label className="field">
            {t('coupons.list')}
            <textarea name="codes" rows={5} value={text} onChange={(e) => setText(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={!text.trim()}>
            {t('coupons.importButton')}
          </button>
        </form>
      </div>
      {answer && (
        <p className="notice" role="status" data-testid="codes-answer">
          {answer}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {refused.length > 0 && (
        <ul className="coupon-refused" data-testid="codes-refused">
          {refused.map((r) => (
            <li key={`${r.line}-${r.code}`}>
              {t('coupons.refusedLine', { line: r.line, code: r.code, reason: r.reason })}
            </li>
          ))}
        </ul>
      )}
      <label className="field coupon-filter">
        {t('common.status')}
        <select name="status" value={status} onChange={(e) => setStatus(e.target.value as '' | CodeStatus)}>
          <option value="">{t('coupons.status.all')}</option>
          {(Object.keys(STATUS_WORDS) as CodeStatus[]).map((s) => (
            <option key={s} value={s}>
              {STATUS_WORDS[s]()}
            </option>
          ))}
        </select>
      </label>
      {codes && codes.length === 0 && <p className="muted empty">{t('coupons.noCodes')}</p>}
      {codes && codes.length > 0 && (
        <div className="table-scroll">
          <table className="table" data-testid="codes-table">
            <thead>
              <tr>
                <th>{t('coupons.code')}</th>
                <th>{t('common.status')}</th>
                <th>{t('coupons.customer')}</th>
                <th>{t('coupons.journey')}</th>
                <th>{t('coupons.assignedAt')}</th>
                <th>{t('coupons.expiresAt')}</th>
                <th>{t('coupons.redeemedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {codes.map((c) => (
                <tr key={c.code} data-testid="code-row">
                  <td className="mono">{c.code}</td>
                  <td>
                    <span className={`tag coupon-${c.status}`}>{STATUS_WORDS[c.status]()}</span>
                  </td>
                  <td>{c.customerId ? <a href={customerHref(c.customerId)}>{c.customerId}</a> : '—'}</td>
                  <td>{c.journeyId ? <a href={journeyHref(c.journeyId)}>{c.journeyId}</a> : '—'}</td>
                  <td className="nowrap">{c.assignedAt ? formatDate(c.assignedAt) : '—'}</td>
                  <td className="nowrap">{c.expiresAt ? formatDate(c.expiresAt) : '—'}</td>
                  <td className="nowrap">{c.redeemedAt ? `${formatDate(c.redeemedAt)} · ${c.orderId ?? ''}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">{t('coupons.stockLine', { total: formatNumber(pool.stock.total) })}</p>
    </section>
  );
}
