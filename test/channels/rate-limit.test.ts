// Provider rate limits counted in the database: concurrent takers on two database handles (two worker processes on
// PostgreSQL) never exceed the limit together; refused takers learn how long to wait; old windows go away.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openDb, type Db } from '../../src/store/db.ts';
import { purgeRateWindows, takeSlot } from '../../src/channels/rate-limit.ts';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';

describe(`provider rate limits (${backend})`, () => {
  let t: TestDb;
  let workers: Db[];
  let second: Db | null = null;
  before(async () => {
    t = await freshDb();
    // On PostgreSQL a second handle is a second pool of connections, as a second worker process has.
    if (t.url) second = await openDb({ url: t.url });
    workers = second ? [t.db, second] : [t.db];
  });
  after(async () => {
    await second?.close();
    await t.close();
  });

  const T0 = Date.parse('2026-03-01T12:00:00.250Z');
  const windows = async (channel: string) =>
    (
      await t.db.query<{ window_start: string; sent: number }>(
        'SELECT window_start::text, sent FROM provider_rate_windows WHERE workspace_id = $1 AND channel = $2 ORDER BY window_start',
        [t.workspaceId, channel],
      )
    ).map((r) => [Number(r.window_start), r.sent]);

  /** n takers at once, spread over the worker handles. */
  const burst = (n: number, channel: string, perSecond: number, now: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        takeSlot(workers[i % workers.length]!, t.workspaceId, channel, perSecond, now),
      ),
    );

  it('5 per second: of 40 concurrent takers on all workers exactly 5 get a slot; the others wait until the next second', async () => {
    const slots = await burst(40, 'sms', 5, T0);
    assert.equal(slots.filter((s) => s.ok).length, 5);
    assert.deepEqual([...new Set(slots.filter((s) => !s.ok).map((s) => (s.ok ? 0 : s.waitMs)))], [750]);
    assert.deepEqual(await windows('sms'), [[Date.parse('2026-03-01T12:00:00Z'), 5]]);
  });

  it('the next second opens a new window and drops the old one', async () => {
    const slots = await burst(8, 'sms', 5, T0 + 1000);
    assert.equal(slots.filter((s) => s.ok).length, 5);
    assert.deepEqual(await windows('sms'), [[Date.parse('2026-03-01T12:00:01Z'), 5]]);
  });

  it('below one per second: 0.5/s is one send per 2-second window', async () => {
    // Windows are aligned to even seconds: [12:00:00, 12:00:02), [12:00:02, 12:00:04), …
    const table: [number, boolean][] = [
      [T0, true],
      [T0 + 900, false],
      [T0 + 1750, true],
      [T0 + 2000, false],
      [T0 + 3800, true],
    ];
    for (const [at, ok] of table)
      assert.equal((await takeSlot(t.db, t.workspaceId, 'email', 0.5, at)).ok, ok, `at +${at - T0} ms`);
  });

  it('channels and workspaces count apart', async () => {
    assert.equal((await takeSlot(t.db, t.workspaceId, 'telegram', 1, T0)).ok, true);
    assert.equal((await takeSlot(t.db, t.workspaceId, 'telegram', 1, T0)).ok, false);
    assert.equal((await takeSlot(t.db, t.workspaceId, 'push', 1, T0)).ok, true);
    assert.equal((await takeSlot(t.db, 'another-workspace', 'telegram', 1, T0)).ok, true);
  });

  it('purging forgets windows older than an hour', async () => {
    await takeSlot(t.db, t.workspaceId, 'webhook', 10, T0 - 2 * 3_600_000);
    assert.equal(await purgeRateWindows(t.db, T0), 1);
    assert.deepEqual(await windows('webhook'), []);
    assert.equal((await windows('sms')).length, 1);
  });
});
