// A crash between giving a code and sending its message loses nothing and doubles nothing: the retry carries the
// same code, the customer gets one e-mail, and the pool has given exactly one code. Crash points, as a table: inside
// the round's transaction after the code was claimed (rolled back), after it committed but before the hand-off to the
// provider (the lease runs out, recovery gives the message back), and after the provider took it but before its
// answer was recorded (in doubt: never sent again, and the code stays the customer's).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { recoverInterrupted, SENDING_LEASE_MS } from '../../src/messaging/dispatch/recover.ts';
import { CLAIM_LEASE_MS } from '../../src/messaging/dispatch/claim.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import type { DispatchOptions, ProviderSource, Renderer } from '../../src/messaging/dispatch/dispatcher.ts';
import { couponShop, welcome, couponBed } from './shop.ts';

const START = new Date('2026-05-04T08:00:00Z');
const killed = () => new Error('worker killed');

/** Dispatch options that die at one point of the round. */
const CRASHES: {
  point: string;
  options: () => Partial<DispatchOptions>;
  after: string;
  outcome: 'sent' | 'unknown';
  heldAtCrash: string[];
}[] = [
  {
    point: 'rendering, after the code was claimed (the transaction rolls back)',
    options: () => ({
      renderer: {
        ...templateRenderer,
        render: async () => {
          throw killed();
        },
      } satisfies Renderer,
    }),
    after: '+1m',
    outcome: 'sent',
    heldAtCrash: [],
  },
  {
    point: 'after the round committed, before the hand-off to the provider',
    options: () => {
      const real = configuredProviders();
      const dying: ProviderSource = {
        get: async (db, ws, ch) => {
          const p = await real.get(db, ws, ch);
          return p && { ...p, perSecond: 1000 };
        },
        slot: async () => {
          throw killed();
        },
      };
      return { providers: dying };
    },
    after: `+${Math.ceil(CLAIM_LEASE_MS / 1000) + 1}s`,
    outcome: 'sent',
    heldAtCrash: ['ann CR-0001'],
  },
  {
    point: 'after the provider took it, before its answer was recorded',
    // The worker dies once the SMTP server has the mail: the provider's answer never comes back to it.
    options: () => {
      const real = configuredProviders();
      const dying: ProviderSource = {
        get: async (db, ws, ch) => {
          const p = await real.get(db, ws, ch);
          return (
            p && {
              ...p,
              provider: {
                name: p.provider.name,
                channel: p.provider.channel,
                deduplicates: p.provider.deduplicates,
                connections: p.provider.connections,
                send: async (m) => {
                  await p.provider.send(m);
                  return new Promise<never>(() => {});
                },
              },
            }
          );
        },
      };
      return { providers: dying };
    },
    after: `+${Math.ceil(SENDING_LEASE_MS / 1000) + 1}s`,
    outcome: 'unknown',
    heldAtCrash: ['ann CR-0001'],
  },
];

describe(`coupons: crash between giving a code and sending it, then retry (${backend})`, () => {
  const bed = couponBed();

  for (const crash of CRASHES) {
    it(`crash ${crash.point} → retry: the same code, one message, none lost`, async () => {
      const s = await couponShop(bed.t, bed.smtp, START, { codes: ['CR-0001', 'CR-0002', 'CR-0003'] });
      await s.customer('ann');
      await s.w.journey('welcome', welcome('spring'));
      await s.signUp('ann');
      const before = await s.codes();
      const dying = s.dispatch(crash.options()).then(
        () => 'finished',
        (err: Error) => err.message,
      );
      // It dies (an error), or hangs for ever once its mail is out.
      const outcome = await Promise.race([
        dying,
        (async () => {
          while (!s.mails('ann').length) await new Promise((r) => setTimeout(r, 5));
          return 'hung after sending';
        })(),
      ]);
      assert.match(outcome, /worker killed|hung after sending/);
      const during = await s.codes();
      await s.w.advance(crash.after);
      await recoverInterrupted(bed.t.db, s.w.now);
      await s.dispatch();
      await s.dispatch();
      assert.deepEqual(before, []);
      assert.deepEqual(during, crash.heldAtCrash, 'what the crash left assigned');
      assert.deepEqual(await s.codes(), ['ann CR-0001'], 'one code given, the first one, for good');
      const [code] = await bed.t.db.query<{ expires_at: Date }>(
        `SELECT expires_at FROM coupon_codes WHERE workspace_id = $1 AND code = 'CR-0001'`,
        [s.w.ws],
      );
      assert.deepEqual(
        s.mails('ann'),
        [`Code CR-0001 worth 10 until ${code!.expires_at.toISOString()}`],
        'one e-mail, with that code',
      );
      const statuses = await bed.t.db.query<{ status: string }>('SELECT status FROM messages WHERE workspace_id = $1', [
        s.w.ws,
      ]);
      assert.deepEqual(
        statuses.map((m) => m.status),
        [crash.outcome],
      );
    });
  }
});
