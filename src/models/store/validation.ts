// Holdout validation: fit as of a calibration end, then compare, per calibration frequency x (0 … 7+), the purchases
// BG/NBD predicts for the holdout period (calibration end, holdout end] with the purchase days that really happened.
// Nothing is stored: this is how anyone checks the model on their own data (`retain models validate`).
import { DomainError } from '../../lib/index.ts';
import type { Db, Queryable } from '../../store/index.ts';
import { expectedPurchases, type BgNbdParams } from '../bgnbd.ts';
import type { GammaGammaParams } from '../gammagamma.ts';
import { calibrationOf, holdoutGroups, parseDay, purchaseSpan, weeks } from './derive.ts';
import { fitAsOf, type FitAttempt } from './fits.ts';
import { DAY_MS } from '../../time/index.ts';

export const BINS = ['0', '1', '2', '3', '4', '5', '6', '7+'] as const;

export interface ValidationBin {
  bin: (typeof BINS)[number];
  customers: number;
  /** Holdout purchase days: really, and predicted (sums over the bin's customers). */
  actual: number;
  predicted: number;
  /** The same per customer of the bin (0 when the bin is empty). */
  actualMean: number;
  predictedMean: number;
}

export interface Validation {
  calibrationEnd: string;
  holdoutEnd: string;
  holdoutWeeks: number;
  bgnbd: FitAttempt<BgNbdParams>;
  gammaGamma: FitAttempt<GammaGammaParams>;
  bins: ValidationBin[];
  total: { customers: number; actual: number; predicted: number };
}

/** Holdout validation that cannot run on these data or dates: 422 `cannot_validate`. */
export class ValidationError extends DomainError {
  constructor(message: string) {
    super('cannot_validate', 422, message);
  }
}

/**
 * Without dates: the holdout ends on the last purchase day and is the last quarter of the purchase history, so the
 * check fits on most of the data, as the live fit does, and never reaches past the data (not "today").
 */
async function periods(db: Queryable, ws: string, calibrationEnd?: string, holdoutEnd?: string) {
  let cal = calibrationEnd;
  let hold = holdoutEnd;
  if (!cal || !hold) {
    const span = await purchaseSpan(db, ws);
    if (!span) throw new ValidationError('no purchases yet: import or send orders first');
    hold ??= span.last;
    if (!cal) {
      const first = parseDay(span.first).getTime();
      cal = new Date(first + Math.floor(((parseDay(hold).getTime() - first) / DAY_MS) * 0.75) * DAY_MS)
        .toISOString()
        .slice(0, 10);
    }
  }
  const c = calibrationOf(parseDay(cal));
  const h = calibrationOf(parseDay(hold));
  if (h.day <= c.day) throw new ValidationError(`holdoutEnd (${h.day}) must be after calibrationEnd (${c.day})`);
  return { cal: c, hold: h };
}

export async function validateModels(
  db: Db,
  ws: string,
  opts: { calibrationEnd?: string; holdoutEnd?: string; minCustomers?: number } = {},
): Promise<Validation> {
  const { cal, hold } = await periods(db, ws, opts.calibrationEnd, opts.holdoutEnd);
  const { bgnbd, gammaGamma } = await fitAsOf(db, ws, cal, { minCustomers: opts.minCustomers ?? 30 });
  if (bgnbd.status !== 'ok' || !bgnbd.params) {
    throw new ValidationError(
      `cannot validate with calibration up to ${cal.day} (holdout to ${hold.day}): ${bgnbd.message ?? 'the BG/NBD fit failed'}`,
    );
  }
  const holdoutWeeks = (hold.start.getTime() - cal.start.getTime()) / DAY_MS / 7;
  const bins = BINS.map((bin) => ({ bin, customers: 0, actual: 0, predicted: 0, actualMean: 0, predictedMean: 0 }));
  for (const g of await holdoutGroups(db, ws, cal, hold)) {
    const b = bins[Math.min(g.x, 7)]!;
    b.customers += g.n;
    b.actual += g.holdout;
    b.predicted += g.n * expectedPurchases(bgnbd.params, g.x, weeks(g.span), weeks(g.age), holdoutWeeks);
  }
  for (const b of bins) {
    b.actualMean = b.customers ? b.actual / b.customers : 0;
    b.predictedMean = b.customers ? b.predicted / b.customers : 0;
  }
  const total = bins.reduce(
    (t, b) => ({
      customers: t.customers + b.customers,
      actual: t.actual + b.actual,
      predicted: t.predicted + b.predicted,
    }),
    {
      customers: 0,
      actual: 0,
      predicted: 0,
    },
  );
  return { calibrationEnd: cal.day, holdoutEnd: hold.day, holdoutWeeks, bgnbd, gammaGamma, bins, total };
}
