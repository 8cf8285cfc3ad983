// Models page: the BG/NBD and Gamma-Gamma models in use with their diagnostics, the day the live scores are as of,
// "Fit now", the fit history (the live fits marked) and the holdout check, a what-if (predicted against actual purchases
// per calibration frequency, drawn with uPlot).
import { useCallback, useEffect, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../api';
import { formatDate, formatNumber, EMPTY } from '../format';
import { HoldoutChart } from '../components/HoldoutChart';
import type {
  BgNbdParams,
  FitResponse,
  GammaGammaParams,
  LiveCalibration,
  ModelsResponse,
  StoredFit,
  ValidationResponse,
} from '../modelTypes';
import '../models.css';
import { t } from '../i18n';
import { formatFixed } from '../format';

const p4 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? EMPTY : formatFixed(v, 4));
const ll = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? EMPTY : formatFixed(v, 2));
const ms = (v: number | undefined) =>
  v === undefined ? EMPTY : `${v < 10 ? formatFixed(v, 1) : formatFixed(v, 0)} ms`;

function paramsText(f: StoredFit): string {
  if (!f.params) return EMPTY;
  if (f.kind === 'bgnbd') {
    const p = f.params as BgNbdParams;
    return `r ${p4(p.r)}, α ${p4(p.alpha)}, a ${p4(p.a)}, b ${p4(p.b)}`;
  }
  const p = f.params as GammaGammaParams;
  return `p ${p4(p.p)}, q ${p4(p.q)}, γ ${p4(p.gamma)}`;
}

const KIND = { bgnbd: 'BG/NBD', gamma_gamma: 'Gamma-Gamma' } as const;

export function Models() {
  const [data, setData] = useState<ModelsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [calibrationEnd, setCalibrationEnd] = useState('');
  const [fitting, setFitting] = useState(false);
  const [fitResult, setFitResult] = useState<FitResponse | null>(null);
  const [fitError, setFitError] = useState<string | null>(null);

  const load = useCallback(() => {
    return apiGet<ModelsResponse>(apiPath('/models'))
      .then((d) => {
        setData(d);
        // "Fit now" keeps the live day unless it is changed (emptied: follow today)
        if (d.live.calibrationEnd) setCalibrationEnd((typed) => typed || d.live.calibrationEnd!);
      })
      .catch((err: Error) => setError(err.message));
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function fitNow() {
    setFitting(true);
    setFitError(null);
    setFitResult(null);
    try {
      const res = await apiSend<FitResponse>('POST', apiPath('/models/fit'), calibrationEnd ? { calibrationEnd } : {});
      setFitResult(res);
      await load();
    } catch (err) {
      setFitError(err instanceof Error ? err.message : String(err));
    } finally {
      setFitting(false);
    }
  }

  const bg = data?.current.bgnbd ?? null;
  const gg = data?.current.gammaGamma ?? null;

  return (
    <>
      <h1>{t('nav.models')}</h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      <section className="card">
        <h2>{t('models.fit')}</h2>
        <p className="muted">{t('models.fitIntro')}</p>
        {data && <LiveNotice live={data.live} everyHours={data.settings.fitEveryHours} />}
        <div className="fit-form">
          <label className="field">
            {t('models.calibrationEnd')}
            <input
              type="date"
              name="calibrationEnd"
              value={calibrationEnd}
              onChange={(e) => setCalibrationEnd(e.target.value)}
            />
          </label>
          <button type="button" className="button" onClick={() => void fitNow()} disabled={fitting}>
            {fitting ? t('models.fitting') : t('models.fitNow')}
          </button>
          <span className="muted">{t('models.fitHint')}</span>
        </div>
        {fitError && (
          <p className="error" role="alert">
            {fitError}
          </p>
        )}
        {fitResult && (
          <p
            data-testid="fit-result"
            className={
              fitResult.fit.bgnbd.status === 'ok' && fitResult.fit.gammaGamma.status === 'ok' ? 'notice' : 'error'
            }
          >
            {fitResult.fit.bgnbd.status === 'ok'
              ? t('models.fitted', { model: 'BG/NBD' })
              : t('models.notFitted', { model: 'BG/NBD', reason: fitResult.fit.bgnbd.message ?? '' })}
            {'; '}
            {fitResult.fit.gammaGamma.status === 'ok'
              ? t('models.fitted', { model: 'Gamma-Gamma' })
              : t('models.notFitted', { model: 'Gamma-Gamma', reason: fitResult.fit.gammaGamma.message ?? '' })}
            {`. ${t('models.scored', { count: fitResult.scoring.scored, asOf: fitResult.scoring.asOf, seconds: formatFixed(fitResult.scoring.durationMs / 1000, 1) })}`}
            {(fitResult.fit.bgnbd.status !== 'ok' || fitResult.fit.gammaGamma.status !== 'ok') &&
              ` ${t('models.lastGood')}`}
            {fitResult.live.calibrationEnd
              ? ` ${t('models.liveNow', { day: fitResult.live.calibrationEnd })}`
              : fitResult.live.was
                ? ` ${t('models.followToday', { day: fitResult.live.was })}`
                : ''}
          </p>
        )}
      </section>

      <section className="card">
        <h2>{t('models.inUse')}</h2>
        {!data && !error && <p className="muted">{t('common.loading')}</p>}
        {data && !bg && !gg && <p className="muted empty">{t('models.none')}</p>}
        {data && (bg || gg) && (
          <table className="table" data-testid="current-models">
            <thead>
              <tr>
                <th>{t('models.model')}</th>
                <th>{t('models.estimates')}</th>
                <th className="num">{t('models.ll')}</th>
                <th className="num">{t('models.iterations')}</th>
                <th>{t('models.converged')}</th>
                <th className="num">{t('nav.customers')}</th>
                <th className="num">{t('models.groups')}</th>
                <th className="num">{t('models.fitTime')}</th>
                <th>{t('models.calibrationEnd')}</th>
                <th>{t('models.fittedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {bg && (
                <tr data-testid="model-bgnbd">
                  <td>BG/NBD</td>
                  <td className="params">
                    r <b data-testid="param-r">{p4(bg.params?.r)}</b>, α{' '}
                    <b data-testid="param-alpha">{p4(bg.params?.alpha)}</b>, a{' '}
                    <b data-testid="param-a">{p4(bg.params?.a)}</b>, b <b data-testid="param-b">{p4(bg.params?.b)}</b>
                  </td>
                  <td className="num" data-testid="ll-bgnbd">
                    {ll(bg.diagnostics.logLikelihood)}
                  </td>
                  <td className="num">{formatNumber(bg.diagnostics.iterations)}</td>
                  <td>{bg.diagnostics.converged ? t('graph.yes') : t('graph.no')}</td>
                  <td className="num">{formatNumber(bg.diagnostics.customers)}</td>
                  <td className="num">{formatNumber(bg.diagnostics.groups)}</td>
                  <td className="num">{ms(bg.diagnostics.durationMs)}</td>
                  <td className="nowrap">{bg.calibrationEnd}</td>
                  <td className="nowrap">{formatDate(bg.createdAt)}</td>
                </tr>
              )}
              {gg && (
                <tr data-testid="model-gamma-gamma">
                  <td>Gamma-Gamma</td>
                  <td className="params">
                    p <b data-testid="param-p">{p4(gg.params?.p)}</b>, q <b data-testid="param-q">{p4(gg.params?.q)}</b>
                    , γ <b data-testid="param-gamma">{p4(gg.params?.gamma)}</b>
                  </td>
                  <td className="num" data-testid="ll-gamma-gamma">
                    {ll(gg.diagnostics.logLikelihood)}
                  </td>
                  <td className="num">{formatNumber(gg.diagnostics.iterations)}</td>
                  <td>{gg.diagnostics.converged ? t('graph.yes') : t('graph.no')}</td>
                  <td className="num">{formatNumber(gg.diagnostics.customers)}</td>
                  <td className="num">{EMPTY}</td>
                  <td className="num">{ms(gg.diagnostics.durationMs)}</td>
                  <td className="nowrap">{gg.calibrationEnd}</td>
                  <td className="nowrap">{formatDate(gg.createdAt)}</td>
                </tr>
              )}
            </tbody>
          </table>
        )}
        {data?.lastRun?.scoring && (
          <p className="muted" data-testid="last-run">
            {t('models.lastRun', { when: formatDate(data.lastRun.fittedAt) })}
            {data.lastRun.origin === 'schedule'
              ? ` ${t('models.scheduled')}`
              : data.lastRun.origin === 'manual'
                ? ` ${t('models.askedFor')}`
                : ''}
            :{' '}
            {t('models.lastRunScored', {
              count: data.lastRun.scoring.scored,
              asOf: data.lastRun.calibrationEnd ?? '',
              seconds: formatFixed(data.lastRun.scoring.durationMs / 1000, 1),
              changed: data.lastRun.scoring.changed,
            })}
          </p>
        )}
      </section>

      <Holdout />

      <section className="card">
        <h2>{t('models.history')}</h2>
        {data && data.history.length === 0 && <p className="muted empty">{t('models.noFits')}</p>}
        {data && data.history.length > 0 && (
          <table className="table" data-testid="fit-history">
            <thead>
              <tr>
                <th>{t('models.fittedAt')}</th>
                <th>{t('models.by')}</th>
                <th>{t('models.model')}</th>
                <th>{t('common.status')}</th>
                <th>{t('models.calibrationEnd')}</th>
                <th>{t('models.estimatesOrReason')}</th>
                <th className="num">{t('models.ll')}</th>
                <th className="num">{t('nav.customers')}</th>
                <th className="num">{t('models.fitTime')}</th>
              </tr>
            </thead>
            <tbody>
              {data.history.map((f) => (
                <tr key={f.id} data-testid="history-row" data-live={f.live ? 'yes' : 'no'}>
                  <td className="nowrap">{formatDate(f.createdAt)}</td>
                  <td>
                    {f.origin === 'schedule'
                      ? t('models.bySchedule')
                      : f.origin === 'manual'
                        ? t('models.byYou')
                        : EMPTY}
                  </td>
                  <td>{KIND[f.kind]}</td>
                  <td className="nowrap">
                    <span className={`status ${f.status}`}>
                      {f.status === 'ok' ? t('models.ok') : f.status === 'failed' ? t('status.failed') : f.status}
                    </span>
                    {f.live && (
                      <>
                        {' '}
                        <span className="status live">{t('models.live')}</span>
                      </>
                    )}
                  </td>
                  <td className="nowrap">{f.calibrationEnd}</td>
                  <td>{f.status === 'ok' ? paramsText(f) : f.message}</td>
                  <td className="num">{ll(f.diagnostics.logLikelihood)}</td>
                  <td className="num">{formatNumber(f.diagnostics.customers)}</td>
                  <td className="num">{ms(f.diagnostics.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

/** Which day the live scores are as of, and what the worker's scheduled fit will do with them. */
function LiveNotice({ live, everyHours }: { live: LiveCalibration; everyHours: number }) {
  const next = live.nextFitAt ? ` ${t('models.next', { when: formatDate(live.nextFitAt) })}` : '';
  return (
    <p className={live.calibrationEnd ? 'notice' : 'muted'} data-testid="live-calibration">
      {live.calibrationEnd
        ? t('models.liveFixed', {
            day: live.calibrationEnd,
            setAt: live.setAt ? formatDate(live.setAt) : EMPTY,
            hours: everyHours,
            next,
          })
        : t('models.liveToday', { hours: everyHours, next })}
    </p>
  );
}

/** The holdout check: without dates the server holds out the last quarter of the purchase history. */
function Holdout() {
  const [calibrationEnd, setCalibrationEnd] = useState('');
  const [holdoutEnd, setHoldoutEnd] = useState('');
  const [data, setData] = useState<ValidationResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const check = useCallback(async (cal: string, hold: string) => {
    setLoading(true);
    setError(null);
    try {
      const res = await apiGet<ValidationResponse>(
        apiPath('/models/validation', { calibrationEnd: cal, holdoutEnd: hold }),
      );
      setData(res);
      setCalibrationEnd(res.calibrationEnd);
      setHoldoutEnd(res.holdoutEnd);
    } catch (err) {
      setData(null);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void check('', '');
  }, [check]);

  return (
    <section className="card">
      <h2>{t('models.holdout')}</h2>
      <p className="muted">{t('models.holdoutIntro')}</p>
      <div className="fit-form">
        <label className="field">
          {t('models.calibrationEnd')}
          <input
            type="date"
            name="validationCalibrationEnd"
            value={calibrationEnd}
            onChange={(e) => setCalibrationEnd(e.target.value)}
          />
        </label>
        <label className="field">
          {t('models.holdoutEnd')}
          <input
            type="date"
            name="validationHoldoutEnd"
            value={holdoutEnd}
            onChange={(e) => setHoldoutEnd(e.target.value)}
          />
        </label>
        <button
          type="button"
          className="button secondary"
          onClick={() => void check(calibrationEnd, holdoutEnd)}
          disabled={loading}
        >
          {loading ? t('journey.checking') : t('template.check')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="holdout-error">
          {error}
        </p>
      )}
      {data && (
        <>
          <p className="muted" data-testid="holdout-summary">
            {t('models.holdoutSummary', {
              customers: data.total.customers,
              weeks: formatFixed(data.holdoutWeeks, 1),
              actual: data.total.actual,
              predicted: formatFixed(data.total.predicted, 1),
            })}
          </p>
          <HoldoutChart bins={data.bins} />
          <table className="table" data-testid="holdout-table">
            <thead>
              <tr>
                <th>x</th>
                <th className="num">{t('nav.customers')}</th>
                <th className="num">{t('chart.actual')}</th>
                <th className="num">{t('models.predicted')}</th>
                <th className="num">{t('models.actualPer')}</th>
                <th className="num">{t('models.predictedPer')}</th>
              </tr>
            </thead>
            <tbody>
              {data.bins.map((b) => (
                <tr key={b.bin} data-testid="holdout-row">
                  <td>{b.bin}</td>
                  <td className="num">{formatNumber(b.customers)}</td>
                  <td className="num">{formatNumber(b.actual)}</td>
                  <td className="num">{formatFixed(b.predicted, 1)}</td>
                  <td className="num">{formatFixed(b.actualMean, 3)}</td>
                  <td className="num">{formatFixed(b.predictedMean, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
