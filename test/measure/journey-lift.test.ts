// A marketing journey with a 10 % global control group over three simulated months: customers sign up every day,
// the journey greets the treated, and orders are injected at known rates (treated 30 %, control 12 %). The lift
// report's arms, rates and verdict match what was injected; holdout steps and splits are measured the same way.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { journeyWorld } from '../journeys/world.ts';
import { putJourneySettings } from '../../src/journeys/index.ts';
import { seededRandom } from '../../src/models/simulate.ts';
import { allExperiments, reportById } from '../../src/measure/reports.ts';
import { sendAllToWinner } from '../../src/measure/promote.ts';
import { getJourney } from '../../src/journeys/index.ts';

const email = { fixed: 'email' };
const DAY = 86_400_000;

describe(`journey lift against the control group (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('signs up 20 a day for 90 days; treated buy at 30 %, control at 12 %: the report says so and "earns"', {
    timeout: 600_000,
  }, async () => {
    const start = new Date('2026-01-05T09:00:00Z');
    const w = await journeyWorld(t, start);
    await putJourneySettings(t.db, w.ws, { share: 0.1, periodMonths: 3 });
    await w.journey('welcome', {
      trigger: { type: 'event', event: 'Signed Up' },
      start: 'split',
      steps: [
        {
          id: 'split',
          type: 'split',
          arms: [
            { name: 'plain', weight: 1, next: 'hi' },
            { name: 'coupon', weight: 1, next: 'hi' },
          ],
        },
        { id: 'hi', type: 'send', template: 'welcome', channel: email },
      ],
    });
    const random = seededRandom(77);
    const bought = new Map<string, number>(); // user → revenue, for what the report must find
    let orders = 0;
    for (let day = 0; day < 90; day++) {
      const users = Array.from({ length: 20 }, (_, i) => `d${day}-${i}`);
      await w.send(...users.map((u) => ({ type: 'track', userId: u, event: 'Signed Up' })));
      const held = new Set(
        (
          await t.db.query<{ user_id: string }>(
            `SELECT c.user_id FROM journey_holdouts h JOIN customers c ON c.workspace_id = h.workspace_id AND c.id = h.customer_id
         WHERE h.workspace_id = $1 AND c.user_id = ANY($2::text[])`,
            [w.ws, users],
          )
        ).map((r) => r.user_id),
      );
      // Three days later, each buys with the rate of their arm (orders sent back-dated to then).
      const at = new Date(w.now.getTime() + 3 * DAY).toISOString();
      const buys = users.filter((u) => random() < (held.has(u) ? 0.12 : 0.3));
      for (const u of buys) bought.set(u, 40 + Math.round(random() * 100));
      if (buys.length) {
        await w.send(
          ...buys.map((u) => ({
            type: 'track',
            userId: u,
            event: 'Order Completed',
            timestamp: at,
            properties: { order_id: `o${++orders}`, total: bought.get(u), currency: 'PLN' },
          })),
        );
      }
      await w.advance(new Date(w.now.getTime() + DAY), { every: '+1d' });
    }
    const now = w.now;
    const list = await allExperiments(t.db, w.ws);
    assert.deepEqual(
      list.map((e) => e.id),
      ['control-group', 'journey:welcome', 'journey:welcome:split:split'],
    );

    const report = (await reportById(t.db, w.ws, 'journey:welcome', { from: start, until: now, days: 30 }, now))!;
    const arms = Object.fromEntries(report.arms.map((a) => [a.arm, a]));
    const heldAll = new Set(
      (
        await t.db.query<{ user_id: string }>(
          'SELECT DISTINCT c.user_id FROM journey_holdouts h JOIN customers c ON c.workspace_id = h.workspace_id AND c.id = h.customer_id WHERE h.workspace_id = $1',
          [w.ws],
        )
      ).map((r) => r.user_id),
    );
    assert.equal(arms.control!.n, heldAll.size);
    assert.equal(arms.treated!.n, 1800 - heldAll.size);
    const buyers = (inControl: boolean) => [...bought.keys()].filter((u) => heldAll.has(u) === inControl);
    assert.ok(Math.abs(arms.control!.metrics.conversion!.value - buyers(true).length / heldAll.size) < 1e-12);
    assert.ok(Math.abs(arms.treated!.metrics.conversion!.value - buyers(false).length / (1800 - heldAll.size)) < 1e-12);
    const revenue = (inControl: boolean) => buyers(inControl).reduce((s, u) => s + bought.get(u)!, 0);
    assert.ok(Math.abs(arms.treated!.metrics.revenue!.value - revenue(false) / (1800 - heldAll.size)) < 1e-9);
    assert.ok(heldAll.size > 120 && heldAll.size < 240, `about 10 % held out: ${heldAll.size}`);
    const vs = arms.treated!.metrics.conversion!.vsControl!;
    assert.equal(vs.verdict.kind, 'earns', JSON.stringify(vs));
    assert.ok(
      vs.interval.low < 0.18 && 0.18 < vs.interval.high,
      'the 95 % interval holds the true difference of 18 points',
    );
    assert.equal(report.currency?.base, 'PLN');

    // The global control group gives the same arms here (one marketing journey).
    const all = (await reportById(t.db, w.ws, 'control-group', { from: start, until: now, days: 30 }, now))!;
    assert.deepEqual(
      all.arms.map((a) => [a.arm, a.n]),
      report.arms.map((a) => [a.arm, a.n]),
    );

    // The split: both arms were treated alike, so neither wins.
    const split = (await reportById(
      t.db,
      w.ws,
      'journey:welcome:split:split',
      { from: start, until: now, days: 30 },
      now,
    ))!;
    assert.deepEqual(
      split.arms.map((a) => a.arm),
      ['plain', 'coupon'],
    );
    assert.equal(
      split.arms.reduce((s, a) => s + a.n, 0),
      1800 - heldAll.size,
    );
    assert.notEqual(split.arms[1]!.metrics.conversion!.vsControl!.verdict.kind, 'earns');
    // Splits also compare click rates (nobody clicked here); revenue carries the heavy-tail check, which agrees on this lift.
    assert.deepEqual(
      split.arms.map((a) => a.metrics.click?.value),
      [0, 0],
    );
    assert.equal(report.arms[1]!.metrics.click, undefined, 'the control group gets no messages to click');
    const robust = report.arms[1]!.metrics.revenue!.robustness!;
    assert.deepEqual([robust.amounts, robust.logs, robust.agrees], ['up', 'up', true]);

    // All further traffic to "coupon": a new live version without the split; the old one stays in the history.
    const promoted = await sendAllToWinner(t.db, w.ws, 'welcome', 'split', 'coupon', now);
    assert.equal(promoted.version, 2);
    assert.equal(promoted.activeVersion, 2);
    assert.deepEqual(
      promoted.definition.steps.map((s) => s.id),
      ['hi'],
    );
    assert.equal(promoted.definition.start, 'hi');
    assert.equal((await getJourney(t.db, w.ws, 'welcome'))!.versions.length, 2);
    await assert.rejects(
      sendAllToWinner(t.db, w.ws, 'welcome', 'split', 'coupon', now),
      /step: "split" is not a split step/,
    );
  });
});
