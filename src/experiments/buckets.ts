// Stable random draws (pure): a customer always lands in the same A/B arm, holdout and control-group period.
import { createHash } from 'node:crypto';

/** A number in [0, 1) from the parts, the same in every process: the first 32 bits of md5(parts joined by ':'). */
export function unitHash(...parts: (string | number)[]): number {
  const hex = createHash('md5').update(parts.join(':')).digest('hex').slice(0, 8);
  return parseInt(hex, 16) / 4294967296;
}

/** The index of the arm that u falls into when [0, 1) is cut in proportion to the weights. */
export function pickArm(weights: number[], u: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let edge = 0;
  for (let i = 0; i < weights.length; i++) {
    edge += weights[i]! / total;
    if (u < edge) return i;
  }
  return weights.length - 1;
}

/** Control-group periods are whole blocks of `months` counted from January 2020 (UTC), so every process agrees on them. */
export function controlPeriod(now: Date, months: number): { index: number; from: Date; until: Date } {
  const monthsSince = (now.getUTCFullYear() - 2020) * 12 + now.getUTCMonth();
  const index = Math.floor(monthsSince / months);
  const start = index * months;
  const from = new Date(Date.UTC(2020 + Math.floor(start / 12), start % 12, 1));
  const end = start + months;
  const until = new Date(Date.UTC(2020 + Math.floor(end / 12), end % 12, 1));
  return { index, from, until };
}

export interface ControlSettings {
  share: number; // 0 … 0.5
  periodMonths: number; // 3 … 6
}

/** Whether the customer is in the workspace's global control group for the period that contains `now`. */
export function inControlGroup(ws: string, customerId: string | number, now: Date, s: ControlSettings): boolean {
  if (s.share <= 0) return false;
  return unitHash('control', ws, controlPeriod(now, s.periodMonths).index, customerId) < s.share;
}
