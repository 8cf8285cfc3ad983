// Models page: the BG/NBD and Gamma-Gamma models in use with their diagnostics, the day the live scores are as of,
// "Fit now", the fit history (the live fits marked) and the holdout check, a what-if (predicted against actual purchases
// per calibration frequency, drawn with uPlot).
import { useCallback, useEffect, useState } from 'react';
import { apiGet, apiPath, apiSend } from '../api';
import { formatDate, formatNumber, EMPTY } from '../format';
import { HoldoutChart } from '../components/HoldoutChart';
import type { BgNbdParams, FitResponse, GammaGammaParams, LiveCalibration, ModelsResponse, StoredFit, ValidationResponse } from '../modelTypes';
import '../models.css';

const p4 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? EMPTY : v.toFixed(4));
const ll = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? EMPTY : v.toFixed(2));
const ms = (v: number | undefined) => (v === undefined ? EMPTY : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);

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
      <h1>Models</h1>
      {error && <p className="error" role="alert">{error}</p>}

      <section className="card">
        <h2>Fit</h2>
        <p className="muted">
          BG/NBD (who is still a customer, and how many purchases to expect) and Gamma-Gamma (the value of an order) are fitted on each
          customer's purchase days up to the calibration end, then every customer is scored as of that day.
        </p>
        {data && <LiveNotice live={data.live} everyHours={data.settings.fitEveryHours} />}
        <div className="fit-form">
          <label className="field">
            Calibration end
            <input type="date" name="calibrationEnd" value={calibrationEnd} onChange={(e) => setCalibrationEnd(e.target.value)} />
          </label>
          <button type="button" className="button" onClick={() => void fitNow()} disabled={fitting}>
            {fitting ? 'Fitting…' : 'Fit now'}
          </button>
          <span className="muted">Empty: today, and the scores follow the clock. Another day: the scores stay as of that day.</span>
        </div>
        {fitError && <p className="error" role="alert">{fitError}</p>}
        {fitResult && (
          <p data-testid="fit-result" className={fitResult.fit.bgnbd.status === 'ok' && fitResult.fit.gammaGamma.status === 'ok' ? 'notice' : 'error'}>
            {fitResult.fit.bgnbd.status === 'ok' ? 'BG/NBD fitted' : `BG/NBD not fitted: ${fitResult.fit.bgnbd.message}`}
            {'; '}
            {fitResult.fit.gammaGamma.status === 'ok' ? 'Gamma-Gamma fitted' : `Gamma-Gamma not fitted: ${fitResult.fit.gammaGamma.message}`}
            {`. Scored ${formatNumber(fitResult.scoring.scored)} customers as of ${fitResult.scoring.asOf} in ${(fitResult.scoring.durationMs / 1000).toFixed(1)} s.`}
            {(fitResult.fit.bgnbd.status !== 'ok' || fitResult.fit.gammaGamma.status !== 'ok') && ' The last good model keeps scoring.'}
            {fitResult.live.calibrationEnd
              ? ` These are the live scores now; scheduled fits keep ${fitResult.live.calibrationEnd}.`
              : fitResult.live.was ? ` The live scores follow today again (they were as of ${fitResult.live.was}).` : ''}
          </p>
        )}
      </section>

      <section className="card">
        <h2>Models in use</h2>
        {!data && !error && <p className="muted">Loading…</p>}
        {data && !bg && !gg && <p className="muted empty">No model yet: press “Fit now”.</p>}
        {data && (bg || gg) && (
          <table className="table" data-testid="current-models">
            <thead>
              <tr>
                <th>Model</th>
                <th>Estimates</th>
                <th className="num">Log-likelihood</th>
                <th className="num">Iterations</th>
                <th>Converged</th>
                <th className="num">Customers</th>
                <th className="num">Groups</th>
                <th className="num">Fit time</th>
                <th>Calibration end</th>
                <th>Fitted</th>
              </tr>
            </thead>
            <tbody>
              {bg && (
                <tr data-testid="model-bgnbd">
                  <td>BG/NBD</td>
                  <td className="params">
                    r <b data-testid="param-r">{p4(bg.params?.r)}</b>, α <b data-testid="param-alpha">{p4(bg.params?.alpha)}</b>, a{' '}
                    <b data-testid="param-a">{p4(bg.params?.a)}</b>, b <b data-testid="param-b">{p4(bg.params?.b)}</b>
                  </td>
                  <td className="num" data-testid="ll-bgnbd">{ll(bg.diagnostics.logLikelihood)}</td>
                  <td className="num">{formatNumber(bg.diagnostics.iterations)}</td>
                  <td>{bg.diagnostics.converged ? 'yes' : 'no'}</td>
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
                    p <b data-testid="param-p">{p4(gg.params?.p)}</b>, q <b data-testid="param-q">{p4(gg.params?.q)}</b>, γ{' '}
                    <b data-testid="param-gamma">{p4(gg.params?.gamma)}</b>
                  </td>
                  <td className="num" data-testid="ll-gamma-gamma">{ll(gg.diagnostics.logLikelihood)}</td>
                  <td className="num">{formatNumber(gg.diagnostics.iterations)}</td>
                  <td>{gg.diagnostics.converged ? 'yes' : 'no'}</td>
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
            Last run {formatDate(data.lastRun.fittedAt)}{data.lastRun.origin === 'schedule' ? ' (scheduled)' : data.lastRun.origin === 'manual' ? ' (asked for)' : ''}: {formatNumber(data.lastRun.scoring.scored)} customers scored as of {data.lastRun.calibrationEnd} in{' '}
            {(data.lastRun.scoring.durationMs / 1000).toFixed(1)} s; {formatNumber(data.lastRun.scoring.changed)} changed segment, risk or stage.
          </p>
        )}
      </section>

      <Holdout />

      <section className="card">
        <h2>History</h2>
        {data && data.history.length === 0 && <p className="muted empty">No fits yet.</p>}
        {data && data.history.length > 0 && (
          <table className="table" data-testid="fit-history">
            <thead>
              <tr>
                <th>Fitted</th>
                <th>By</th>
                <th>Model</th>
                <th>Status</th>
                <th>Calibration end</th>
                <th>Estimates or reason</th>
                <th className="num">Log-likelihood</th>
                <th className="num">Customers</th>
                <th className="num">Fit time</th>
              </tr>
            </thead>
            <tbody>
              {data.history.map((f) => (
                <tr key={f.id} data-testid="history-row" data-live={f.live ? 'yes' : 'no'}>
                  <td className="nowrap">{formatDate(f.createdAt)}</td>
                  <td>{f.origin === 'schedule' ? 'schedule' : f.origin === 'manual' ? 'you' : EMPTY}</td>
                  <td>{KIND[f.kind]}</td>
                  <td className="nowrap">
                    <span className={`status ${f.status}`}>{f.status}</span>
                    {f.live && (
                      <>
                        {' '}
                        <span className="status live">live</span>
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
  const next = live.nextFitAt ? ` (next ${formatDate(live.nextFitAt)})` : '';
  return (
    <p className={live.calibrationEnd ? 'notice' : 'muted'} data-testid="live-calibration">
      {live.calibrationEnd
        ? `The live scores are as of ${live.calibrationEnd}, the calibration end of a fit on ${live.setAt ? formatDate(live.setAt) : EMPTY}. ` +
          `The worker refits every ${formatNumber(everyHours)} hours as of that same day${next}; to let the scores follow today, fit with an empty calibration end.`
        : `The live scores follow today: the worker refits every ${formatNumber(everyHours)} hours as of the day it runs${next}.`}
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
      const res = await apiGet<ValidationResponse>(apiPath('/models/validation', { calibrationEnd: cal, holdoutEnd: hold }));
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
      <h2>Holdout check</h2>
      <p className="muted">
        Fits on the purchases up to the calibration end, predicts each customer's purchases up to the holdout end, and compares with what
        really happened, by the number of repeat purchases in calibration. A what-if: nothing is stored and the live scores do not change.
      </p>
      <div className="fit-form">
        <label className="field">
          Calibration end
          <input type="date" name="validationCalibrationEnd" value={calibrationEnd} onChange={(e) => setCalibrationEnd(e.target.value)} />
        </label>
        <label className="field">
          Holdout end
          <input type="date" name="validationHoldoutEnd" value={holdoutEnd} onChange={(e) => setHoldoutEnd(e.target.value)} />
        </label>
        <button type="button" className="button secondary" onClick={() => void check(calibrationEnd, holdoutEnd)} disabled={loading}>
          {loading ? 'Checking…' : 'Check'}
        </button>
      </div>
      {error && <p className="error" role="alert" data-testid="holdout-error">{error}</p>}
      {data && (
        <>
          <p className="muted" data-testid="holdout-summary">
            {data.total.customers.toLocaleString()} customers; holdout {data.holdoutWeeks.toFixed(1)} weeks: {data.total.actual.toLocaleString()}{' '}
            purchases happened, {data.total.predicted.toFixed(1)} predicted.
          </p>
          <HoldoutChart bins={data.bins} />
          <table className="table" data-testid="holdout-table">
            <thead>
              <tr>
                <th>x</th>
                <th className="num">Customers</th>
                <th className="num">Actual</th>
                <th className="num">Predicted</th>
                <th className="num">Actual / customer</th>
                <th className="num">Predicted / customer</th>
              </tr>
            </thead>
            <tbody>
              {data.bins.map((b) => (
                <tr key={b.bin} data-testid="holdout-row">
                  <td>{b.bin}</td>
                  <td className="num">{formatNumber(b.customers)}</td>
                  <td className="num">{formatNumber(b.actual)}</td>
                  <td className="num">{b.predicted.toFixed(1)}</td>
                  <td className="num">{b.actualMean.toFixed(3)}</td>
                  <td className="num">{b.predictedMean.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
