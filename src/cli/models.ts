// `retain models fit|validate`: fit and score on demand, and the holdout check anyone can run on their own data.
import type { Db } from '../store/index.ts';
import { pickWorkspace } from '../workspaces/index.ts';
import {
  runModels,
  type ModelRun,
  validateModels,
  type Validation,
  loadModelSettings,
  parseDay,
  type StoredFit,
  type BgNbdParams,
  type GammaGammaParams,
} from '../models/index.ts';
import { readCommandLine } from '../lib/index.ts';

export const MODELS_USAGE = `usage: retain models fit [--calibration-end YYYY-MM-DD] [--workspace ID]
       retain models validate [--calibration-end YYYY-MM-DD] [--holdout-end YYYY-MM-DD] [--workspace ID]
  fit       fit BG/NBD and Gamma-Gamma as of the calibration end (default today) and score every customer; a past
            calibration end stays the live one (the worker's scheduled fit keeps to it) until a fit without one
  validate  a what-if that stores nothing: fit as of the calibration end and compare predicted with actual
            purchases up to the holdout end, per calibration frequency 0 … 7+ (defaults: the holdout ends on the
            last purchase day and is the last quarter of the purchase history)`;

interface Out {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface ModelsIo {
  stdout?: Out;
  stderr?: Out;
  now?: () => Date;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const sig = (v: number) => (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toPrecision(4) : v.toFixed(4));
const fixed = (v: number, d: number) =>
  v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function parseArgs(args: string[]) {
  const flags: Record<string, string> = {};
  const { positional, options } = readCommandLine(args, (message) => {
    throw new Error(`${message}\n${MODELS_USAGE}`);
  });
  for (const [name, value] of options) {
    if (!['calibration-end', 'holdout-end', 'workspace'].includes(name))
      throw new Error(`unknown option --${name}\n${MODELS_USAGE}`);
    if (name !== 'workspace') parseDay(value); // a clear error for a bad date
    flags[name] = value;
  }
  return { positional, flags };
}

export const bgnbdText = (p: BgNbdParams) => `r = ${sig(p.r)}, α = ${sig(p.alpha)}, a = ${sig(p.a)}, b = ${sig(p.b)}`;
export const gammaGammaText = (p: GammaGammaParams) => `p = ${sig(p.p)}, q = ${sig(p.q)}, γ = ${sig(p.gamma)}`;

function fitLines(
  label: string,
  f: { status: string; params: unknown; message: string | null; diagnostics: StoredFit['diagnostics'] },
  text: (p: never) => string,
): string[] {
  const d = f.diagnostics;
  if (f.status !== 'ok' || !f.params) return [`${label.padEnd(12)} FAILED  ${f.message}`];
  const size =
    d.groups !== undefined
      ? `${int(d.customers)} customers in ${int(d.groups)} (x, t_x, T) groups`
      : `${int(d.customers)} repeat buyers`;
  return [
    `${label.padEnd(12)} ${text(f.params as never)}`,
    `${''.padEnd(12)} log-likelihood ${fixed(d.logLikelihood!, 2)}, ${d.iterations} iterations, converged; ${size}; ${d.durationMs} ms fitting + ${d.dataMs} ms reading`,
  ];
}

export function formatRun(run: ModelRun): string {
  const lines = [`Fitted as of ${run.fit.calibrationEnd} (run ${run.fit.runId}).`];
  lines.push(
    ...fitLines('BG/NBD', run.fit.bgnbd, bgnbdText),
    ...fitLines('Gamma-Gamma', run.fit.gammaGamma, gammaGammaText),
  );
  for (const [kind, fit, used] of [
    ['BG/NBD', run.fit.bgnbd, run.used.bgnbd],
    ['Gamma-Gamma', run.fit.gammaGamma, run.used.gammaGamma],
  ] as const) {
    if (fit.status === 'ok') continue;
    lines.push(
      used
        ? `  ${kind}: the last good model (fit ${used}) keeps scoring.`
        : `  ${kind}: there is no good model yet, so its scores stay empty.`,
    );
  }
  const s = run.scoring;
  lines.push(
    `Scored ${int(s.scored)} customers as of ${s.asOf} in ${(s.durationMs / 1000).toFixed(1)} s: ${int(s.changed)} with a new RFM segment, churn risk or stage (queued for segments), ${int(s.stageChanges)} stage changes logged.`,
  );
  lines.push(...liveLines(run));
  return lines.join('\n');
}

/** Which scores are live after the run, and what the worker's scheduled fit will do with them. */
function liveLines(run: ModelRun): string[] {
  const { calibrationEnd: live, was } = run.live;
  if (live) {
    return [
      `These are the live scores now, as of ${live}: the worker's scheduled fit keeps this calibration end (it refits as of ${live} and does not move the scores to today).`,
      'To follow today again: retain models fit (without --calibration-end). To compare a past day without changing the live scores: retain models validate.',
    ];
  }
  return was
    ? [
        `The live scores follow today again (they were kept as of ${was}); the scheduled fit refits as of the day it runs.`,
      ]
    : [];
}

const BAR = 44;

export function formatValidation(v: Validation): string {
  const lines = [
    `Holdout validation: calibration up to ${v.calibrationEnd}, holdout after it up to ${v.holdoutEnd} (${v.holdoutWeeks.toFixed(1)} weeks).`,
    'A what-if: nothing is stored, the live scores do not change.',
    ...fitLines('BG/NBD', v.bgnbd, bgnbdText),
    ...fitLines('Gamma-Gamma', v.gammaGamma, gammaGammaText),
    '',
    'Holdout purchases by calibration frequency x (repeat purchase days up to the calibration end):',
  ];
  const head = ['x', 'customers', 'actual', 'predicted', 'actual/customer', 'predicted/customer'];
  const rows = v.bins.map((b) => [
    b.bin,
    int(b.customers),
    int(b.actual),
    fixed(b.predicted, 1),
    fixed(b.actualMean, 3),
    fixed(b.predictedMean, 3),
  ]);
  rows.push(['total', int(v.total.customers), int(v.total.actual), fixed(v.total.predicted, 1), '', '']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  lines.push(fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt));

  lines.push('', 'Holdout purchases per customer (# actual, = predicted):');
  const max = Math.max(1e-9, ...v.bins.flatMap((b) => [b.actualMean, b.predictedMean]));
  const bar = (value: number, ch: string) => ch.repeat(Math.round((value / max) * BAR)).padEnd(BAR);
  for (const b of v.bins) {
    lines.push(`${b.bin.padStart(3)} |${bar(b.actualMean, '#')} ${fixed(b.actualMean, 3)}`);
    lines.push(`    |${bar(b.predictedMean, '=')} ${fixed(b.predictedMean, 3)}`);
  }
  return lines.join('\n');
}

/** Runs `retain models …`; returns the exit code (fit: 1 when a model could not be fitted; bad arguments throw). */
export async function runModelsCommand(db: Db, argv: string[], io: ModelsIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const { positional, flags } = parseArgs(argv[0] === 'models' ? argv.slice(1) : argv);
  const [sub, ...extra] = positional;
  if (extra.length) throw new Error(`unexpected argument ${extra[0]}\n${MODELS_USAGE}`);
  const ws = await pickWorkspace(db, flags.workspace, (line) => stderr.write(line + '\n'));
  if (sub === 'fit') {
    if (flags['holdout-end']) throw new Error(`--holdout-end is for validate\n${MODELS_USAGE}`);
    const tty = !!stderr.isTTY;
    const run = await runModels(db, ws, {
      calibrationEnd: flags['calibration-end'],
      now: io.now?.(),
      onProgress: tty ? (p) => stderr.write(`\r\x1b[Kscoring ${int(p.done)} / ${int(p.total)} customers`) : undefined,
    });
    if (tty) stderr.write('\r\x1b[K');
    stdout.write(formatRun(run) + '\n');
    return run.fit.bgnbd.status === 'ok' && run.fit.gammaGamma.status === 'ok' ? 0 : 1;
  }
  if (sub === 'validate') {
    const settings = await loadModelSettings(db, ws);
    const v = await validateModels(db, ws, {
      calibrationEnd: flags['calibration-end'],
      holdoutEnd: flags['holdout-end'],
      minCustomers: settings.minCustomers,
    });
    stdout.write(formatValidation(v) + '\n');
    return 0;
  }
  throw new Error(`${sub ? `unknown models command "${sub}"` : 'fit or validate?'}\n${MODELS_USAGE}`);
}
