// Loyalty in templates: `customer.loyalty.points`, `pending`, `tier`, `points_expiring` (within 30 days) and
// `points_expiring_at`, the tier's benefits (`free_shipping`, `multiplier`) and `card_url`, the signed link to the
// customer's card page (/c/card, made by the caller's `cardUrl`: the link key is consent's), read once for a batch.
import { type Queryable, oncePerTransaction } from '../store/index.ts';
import { EXPIRING_WITHIN_DAYS } from './service.ts';
import { messageLoyalty, readProgram } from './store.ts';

export interface LoyaltyContext {
  points: number;
  pending: number;
  tier: string | null;
  points_expiring: number;
  points_expiring_at: string | null;
  free_shipping: boolean;
  multiplier: number;
  card_url: string;
}

/** Each message's customer's loyalty, in one statement for the batch (and one read of each workspace's programme). */
export async function loyaltyContexts(
  q: Queryable,
  subjects: { ws: string; customerId: string }[],
  now: Date,
  cardUrl: (ws: string, customerId: string) => Promise<string> = async () => '',
): Promise<LoyaltyContext[]> {
  const rows = await messageLoyalty(q, subjects, new Date(now.getTime() + EXPIRING_WITHIN_DAYS * 86_400_000));
  return Promise.all(
    rows.map(async (r, i) => {
      const ws = subjects[i]!.ws;
      const program = await oncePerTransaction(q, `loyalty-program:${ws}`, () => readProgram(q, ws));
      const rule = program.tiers.find((t) => t.name === r.tier);
      const card_url = await cardUrl(ws, subjects[i]!.customerId);
      return {
        points: r.available,
        pending: r.pending,
        tier: r.tier,
        points_expiring: r.expiring,
        points_expiring_at: r.expiringAt?.toISOString() ?? null,
        free_shipping: rule?.freeShipping ?? false,
        multiplier: rule?.multiplier ?? 1,
        card_url,
      };
    }),
  );
}
