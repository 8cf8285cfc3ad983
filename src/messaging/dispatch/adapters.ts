// The dispatcher's real parts: the workspace's configured providers with their rate limits (counted in the database,
// so the limit holds across workers), and templates rendered from the library (templates/renderer.ts).
import type { Db } from '../../store/index.ts';
import type { ProviderSource } from './dispatcher.ts';
import { getProvider, takeSlot } from '../../channels/index.ts';

export { templateRenderer } from '../templates/renderer.ts';

/** Providers as configured with PUT /api/v1/channels/{channel}. Read in the caller's transaction (PGlite has one connection). */
export function configuredProviders(): ProviderSource {
  return {
    async get(tx, ws, channel) {
      const p = await getProvider(tx as Db, ws, channel);
      return p ? { provider: p, perSecond: p.perSecond, price: p.pricePerMessage } : null;
    },
    slot: (d, ws, channel, perSecond, now) => takeSlot(d, ws, channel, perSecond, now),
  };
}
