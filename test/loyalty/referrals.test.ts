// Referrals on a virtual clock: the referee's first completed, unrefunded order rewards both once its points are
// spendable; a refunded first order rewards nobody (the next one does); the same person (own code, same e-mail, same
// device) is refused with the reason.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { loyaltyWorld } from './world.ts';
import { referralCode } from '../../src/loyalty/index.ts';

describe(`loyalty referrals (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('rewarded once, after the returns window, by the first order that was not refunded; self-referrals refused', async () => {
    const w = await loyaltyWorld(t, new Date('2026-05-01T12:00:00Z'), {
      enabled: true,
      pendingDays: 14,
      referral: { referrerPoints: 100, refereePoints: 50 },
    });
    await w.send({
      type: 'identify',
      userId: 'ann',
      traits: { email: 'ann@example.com' },
      context: { device: { id: 'ann-phone' } },
    });
    const { code } = await referralCode(t.db, w.ws, 'ann', w.now);
    assert.equal((await referralCode(t.db, w.ws, 'ann', w.now)).code, code, 'the code is kept');

    await w.send(
      { type: 'identify', userId: 'bob', traits: { email: 'bob@example.com', referral_code: code.toLowerCase() } },
      { type: 'identify', userId: 'cy', traits: { email: 'cy@example.com', referral_code: code } },
      {
        type: 'identify',
        userId: 'dee',
        traits: { email: 'dee@example.com', referral_code: code },
        context: { device: { id: 'ann-phone' } },
      },
      { type: 'identify', userId: 'ann', traits: { referral_code: code } },
    );
    await w.send(
      w.order('bob', 'b1', 100),
      w.order('cy', 'c1', 40),
      w.order('dee', 'd1', 10),
      w.order('ann', 'a1', 10),
    );
    await w.send(w.refund('cy', 'c1', 40));
    await w.advance('+13d');
    assert.deepEqual((await w.balance('ann')).available, 0, 'nothing before the returns window is over');
    await w.send(w.order('cy', 'c2', 30));
    await w.advance('+1d');
    assert.deepEqual(await w.ledger('bob'), ['earn +100 pending', 'release +100 -100 pending', 'referral +50']);
    assert.deepEqual(await w.ledger('ann'), ['earn +10 pending', 'release +10 -10 pending', 'referral +100']);
    await w.advance('+14d');
    assert.deepEqual(await w.ledger('cy'), [
      'earn +40 pending',
      'clawback -40 pending',
      'earn +30 pending',
      'release +30 -30 pending',
      'referral +50',
    ]);
    assert.deepEqual(
      (await w.ledger('ann')).filter((l) => l.startsWith('referral')),
      ['referral +100', 'referral +100'],
      'one reward per referee',
    );
    await w.send(w.order('bob', 'b2', 100));
    await w.advance('+15d');
    assert.deepEqual(
      (await w.ledger('bob')).filter((l) => l.startsWith('referral')),
      ['referral +50'],
      'the second order rewards nothing',
    );
    assert.deepEqual((await w.view('dee')).referral.referredBy, {
      referrerId: (await w.view('ann')).customerId,
      status: 'refused',
      reason: 'same device as the referrer',
    });
    assert.deepEqual((await w.view('ann')).referral.referredBy?.reason, 'the customer used their own referral code');
    assert.deepEqual(
      (await w.ledger('dee')).filter((l) => l.startsWith('referral')),
      [],
    );
    await w.checkBooks();
  });
});
