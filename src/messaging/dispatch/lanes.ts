// Lanes: a claim's messages go to each provider at most as many at a time as it has connections. A lane takes the next
// message, waits for a rate-limit slot, hands it off (claimed → 'sending', committed), calls the provider and waits
// until the answer is marked before taking the next one; so when a worker dies, at most one message per lane is in
// doubt, and every other message it held was never handed off and is sent by another worker.
import type { Provider } from '../../channels/index.ts';

/** Provider connections when the provider does not say (HTTP APIs). */
export const DEFAULT_LANES = 8;

/** How many messages a provider takes at once: its connections. */
export const lanesOf = (provider: Provider): number => Math.max(1, provider.connections ?? DEFAULT_LANES);

/**
 * Runs `work` on every item, the items of each provider in at most lanesOf(provider) lanes at once. After a failure
 * no lane takes another item (what is left stays claimed until its lease ends); the first failure is thrown once
 * every lane has stopped.
 */
export async function inLanes<T extends { provider: Provider }>(
  items: T[],
  work: (item: T) => Promise<void>,
): Promise<void> {
  const byProvider = new Map<Provider, T[]>();
  for (const item of items) byProvider.set(item.provider, [...(byProvider.get(item.provider) ?? []), item]);
  let failure: { err: unknown } | null = null;
  const lane = async (queue: T[]) => {
    for (let item = queue.shift(); item && !failure; item = queue.shift()) {
      try {
        await work(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  const lanes = [...byProvider].flatMap(([provider, queue]) =>
    Array.from({ length: Math.min(lanesOf(provider), queue.length) }, () => lane(queue)),
  );
  await Promise.all(lanes);
  if (failure) throw (failure as { err: unknown }).err;
}

/** The number of lanes inLanes will run for these items (the most messages in flight at once). */
export function laneCount<T extends { provider: Provider }>(items: T[]): number {
  const counts = new Map<Provider, number>();
  for (const item of items) counts.set(item.provider, (counts.get(item.provider) ?? 0) + 1);
  return [...counts].reduce((sum, [provider, n]) => sum + Math.min(lanesOf(provider), n), 0);
}
