// The worker jobs of messaging: dispatch the outbox several times a second; give back the claims of stopped workers
// and settle their interrupted sends every few seconds; drop delivery reports kept for a day without finding their
// message every minute.
import type { Job } from '../../lib/index.ts';
import { loadConfig } from '../../config.ts';
import { dispatchDue } from './dispatcher.ts';
import { configuredProviders, templateRenderer } from './adapters.ts';
import { recoverInterrupted } from './recover.ts';
import { dropStaleReceipts } from './receipts.ts';

/** Where links in messages point: RETAIN_PUBLIC_URL, else the local server. */
export const publicUrl = () => loadConfig().publicUrl;

/** Every 100 ms, up to 50 claims a tick (the worker skips a tick while the previous one still runs). */
export const dispatchMessagesJob: Job = {
  name: 'dispatch-messages',
  everyMs: 100,
  async run(db, now, clock) {
    const opts = {
      providers: configuredProviders(),
      renderer: templateRenderer,
      baseUrl: publicUrl(),
      leaseMs: loadConfig().claimLeaseMs,
    };
    for (let i = 0; i < 50; i++) {
      const r = await dispatchDue(db, clock ? clock() : now, opts);
      if (r.claimed === 0) break;
    }
  },
};

/** Every few seconds: a stopped worker's messages that never left are sent again within a lease and this interval. */
export const recoverSendsJob: Job = {
  name: 'recover-interrupted-sends',
  everyMs: 5_000,
  async run(db, now) {
    await recoverInterrupted(db, now, loadConfig().sendTimeoutMs);
  },
};

export const dropStaleReceiptsJob: Job = {
  name: 'drop-stale-delivery-reports',
  everyMs: 60_000,
  async run(db, now) {
    await dropStaleReceipts(db, now);
  },
};
