// A synthetic shop for model tests: purchase histories drawn from BG/NBD (rates Gamma(r, α), dropout Beta(a, b)) and
// spends from Gamma-Gamma, as Order Completed messages, so the models have something real to find. Seeded: the same
// arguments give the same messages.
import { randomBeta, randomGamma, seededRandom } from '../../src/models/simulate.ts';

const DAY = 86_400_000;

export interface ShopOptions {
  customers: number;
  seed: number;
  /** First purchases fall in [start, start + cohortDays); purchases stop at end. */
  start: Date;
  cohortDays: number;
  end: Date;
  prefix?: string;
}

export const order = (userId: string, orderId: string, when: Date, total: number) => ({
  type: 'track',
  userId,
  event: 'Order Completed',
  messageId: `order-${orderId}`,
  properties: { orderId, total, currency: 'EUR' },
  timestamp: when.toISOString(),
});

export function shopOrders(o: ShopOptions): ReturnType<typeof order>[] {
  const rng = seededRandom(o.seed);
  const prefix = o.prefix ?? 'c';
  const out: ReturnType<typeof order>[] = [];
  const endDays = (o.end.getTime() - o.start.getTime()) / DAY;
  for (let i = 0; i < o.customers; i++) {
    const ratePerDay = randomGamma(rng, 0.6, 8) / 7; // r = 0.6, α = 8 weeks
    const dropout = randomBeta(rng, 0.8, 2.5);
    const nu = randomGamma(rng, 4, 15);
    let t = Math.floor(rng() * o.cohortDays);
    for (let k = 0; ; k++) {
      const total = Math.round(randomGamma(rng, 6, nu) * 100) / 100 + 1;
      out.push(
        order(`${prefix}${i}`, `${prefix}${i}-${k}`, new Date(o.start.getTime() + t * DAY + 12 * 3_600_000), total),
      );
      if (k > 0 && rng() < dropout) break;
      t += Math.max(1, Math.round(-Math.log(1 - rng()) / ratePerDay));
      if (t >= endDays) break;
    }
  }
  return out;
}
