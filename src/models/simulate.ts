// Synthetic customer bases drawn from a BG/NBD process (pure given a seeded generator), for parameter-recovery tests
// and benchmarks. Purchases are simulated in continuous time, then seen at day resolution exactly as summarizeTransactions
// would see them: same-day purchases merged, t_x and T in periods rounded to 2 decimals.
import type { BgNbdParams } from './bgnbd.ts';
import type { RecencyFrequency } from './summary.ts';

export type Random = () => number;

/** A small seeded generator (sfc32) returning uniforms in [0, 1) with 53 random bits. */
export function seededRandom(seed: number): Random {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) next();
  return () => (next() * 2 ** 21 + (next() >>> 11)) / 2 ** 53;
}

/** Gamma(shape, rate) variate (Marsaglia & Tsang 2000; shape < 1 by the boost u^(1/shape)). */
export function randomGamma(rng: Random, shape: number, rate: number): number {
  if (shape < 1) return randomGamma(rng, shape + 1, rate) * rng() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = randomNormal(rng);
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

function randomNormal(rng: Random): number {
  // Box–Muller; u1 in (0, 1]
  const u1 = 1 - rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng());
}

export function randomBeta(rng: Random, a: number, b: number): number {
  const x = randomGamma(rng, a, 1);
  return x / (x + randomGamma(rng, b, 1));
}

export interface SimulationOptions {
  rng: Random;
  /** First purchases are spread uniformly over this many days before the calibration end. */
  cohortDays: number;
  /** Days per model period. Default 7 (weeks), matching the params' time unit. */
  periodDays?: number;
  /**
   * 'day' (default): purchases seen by calendar day like real data (same-day purchases merged, T in whole days) —
   * slightly off the model for heavy buyers. 'continuous': exactly the BG/NBD process, for parameter-recovery tests.
   */
  resolution?: 'day' | 'continuous';
}

/** Draws `customers` summaries (x, t_x, T) from BG/NBD with the given parameters (time unit: periods). */
export function simulateBgNbd(params: BgNbdParams, customers: number, options: SimulationOptions): RecencyFrequency[] {
  const { rng, cohortDays } = options;
  const periodDays = options.periodDays ?? 7;
  const toPeriods = (days: number) => Math.round((days * 100) / periodDays) / 100;
  const out: RecencyFrequency[] = new Array(customers);
  const continuous = options.resolution === 'continuous';
  for (let i = 0; i < customers; i++) {
    const ageDays = continuous ? rng() * cohortDays : Math.floor(rng() * cohortDays);
    const observedUntil = continuous ? ageDays : ageDays + 1; // the calibration end day counts in full
    const ratePerDay = randomGamma(rng, params.r, params.alpha) / periodDays;
    const p = randomBeta(rng, params.a, params.b);
    let t = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      t += -Math.log(1 - rng()) / ratePerDay;
      if (t >= observedUntil) break;
      const at = continuous ? t : Math.floor(t);
      if (at === last) continue; // same day as the previous purchase: merged (and no dropout chance)
      x++;
      last = at;
      if (rng() < p) break; // dropped out after this purchase
    }
    out[i] = { x, tx: toPeriods(last), T: toPeriods(ageDays) };
  }
  return out;
}
