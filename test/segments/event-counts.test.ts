// Event conditions decided from customer_event_counters must give the answer of counting the events themselves, in
// every corner: no counter row, a last or first time exactly on the window's edge, counts below / at / above N, every
// event inside or outside the window, and where-filters the counters cannot answer. Table-driven: one customer per
// history, every condition checked against a plain count of that customer's events.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { compile, type Condition } from '../../src/segments/index.ts';

const NOW = new Date('2026-05-20T12:00:00Z');
const DAY = 86_400_000;
const WINDOW = 7; // days of the windowed conditions below
const EDGE = NOW.getTime() - WINDOW * DAY; // "in the last 7 days" is timestamp > EDGE
const at = (ms: number) => new Date(ms).toISOString();

/** Histories of 'Viewed' events: [time, colour] pairs. */
const HISTORIES: Record<string, [number, string][]> = {
  never: [],
  'only another event': [],
  'one, long ago': [[EDGE - 30 * DAY, 'red']],
  'last exactly on the edge': [
    [EDGE - 2 * DAY, 'red'],
    [EDGE, 'red'],
  ],
  'last 1 ms inside': [
    [EDGE - 2 * DAY, 'red'],
    [EDGE + 1, 'blue'],
  ],
  'first exactly on the edge, the rest inside': [
    [EDGE, 'red'],
    [EDGE + DAY, 'red'],
    [NOW.getTime() - DAY, 'blue'],
  ],
  'first 1 ms inside: all inside': [
    [EDGE + 1, 'red'],
    [EDGE + DAY, 'blue'],
    [NOW.getTime() - DAY, 'red'],
  ],
  'two outside, one inside': [
    [EDGE - 3 * DAY, 'red'],
    [EDGE - DAY, 'red'],
    [NOW.getTime() - 1000, 'blue'],
  ],
  'one outside, two inside': [
    [EDGE - DAY, 'blue'],
    [EDGE + 2 * DAY, 'red'],
    [NOW.getTime() - 1000, 'red'],
  ],
  'one outside, three inside': [
    [EDGE - DAY, 'red'],
    [EDGE + DAY, 'blue'],
    [EDGE + 2 * DAY, 'blue'],
    [NOW.getTime() - 60_000, 'red'],
  ],
  'four inside, one outside, one in the future': [
    [EDGE - 1, 'red'],
    [EDGE + 10, 'red'],
    [EDGE + DAY, 'red'],
    [NOW.getTime() - 10, 'blue'],
    [NOW.getTime(), 'red'],
    [NOW.getTime() + DAY, 'blue'],
  ],
};

const CONDITIONS: Condition[] = [];
for (const op of ['at_least', 'at_most'] as const) {
  for (const count of [0, 1, 2, 3, 4]) {
    CONDITIONS.push({ event: 'Viewed', op, count });
    CONDITIONS.push({ event: 'Viewed', op, count, days: WINDOW });
    CONDITIONS.push({ event: 'Viewed', op, count, where: { colour: 'red' } });
    CONDITIONS.push({ event: 'Viewed', op, count, days: WINDOW, where: { colour: 'red' } });
    CONDITIONS.push({ event: 'Viewed', op, count, days: WINDOW, where: { colour: 'green' } });
  }
}

describe(`event conditions from counters agree with counting the events (${backend})`, () => {
  let t: TestDb;
  before(async () => {
    t = await freshDb();
    const messages = Object.entries(HISTORIES).flatMap(([user, events]) => [
      { type: 'track', userId: user, event: 'Signed Up', timestamp: at(EDGE - 40 * DAY) },
      ...events.map(([time, colour]) => ({
        type: 'track',
        userId: user,
        event: 'Viewed',
        properties: { colour },
        timestamp: at(time),
      })),
    ]);
    const r = await ingest(t.db, t.workspaceId, messages, { receivedAt: new Date(NOW.getTime() + 2 * DAY) });
    assert.deepEqual(r.rejected, []);
  });
  after(async () => t.close());

  /** The answer by counting the customer's events (the definition of the condition). */
  function expected(history: [number, string][], n: Extract<Condition, { event: string; count: number }>): boolean {
    const k = history.filter(
      ([time, colour]) =>
        (n.days === undefined || time > NOW.getTime() - n.days * DAY) && (!n.where || n.where.colour === colour),
    ).length;
    return n.op === 'at_least' ? k >= n.count : k <= n.count;
  }

  for (const def of CONDITIONS) {
    it(JSON.stringify(def), async () => {
      const { where, params } = compile(def, NOW);
      const rows = await t.db.query<{ user_id: string; hit: boolean; raw: number }>(
        `SELECT c.user_id, (${where}) AS hit,
           (SELECT count(*)::int FROM events e WHERE e.workspace_id = c.workspace_id AND e.customer_id = c.id AND e.name = 'Viewed'
              ${'days' in def && def.days !== undefined ? `AND e.timestamp > '${at(NOW.getTime() - def.days * DAY)}'::timestamptz` : ''}
              ${'where' in def && def.where ? `AND e.properties @> '${JSON.stringify(def.where)}'::jsonb` : ''}) AS raw
         FROM customers c WHERE c.workspace_id = $1 ORDER BY c.user_id`,
        [t.workspaceId, ...params],
      );
      assert.equal(rows.length, Object.keys(HISTORIES).length);
      for (const row of rows) {
        const want = expected(HISTORIES[row.user_id]!, def as Extract<Condition, { event: string; count: number }>);
        const counted =
          (def as { op: string }).op === 'at_least'
            ? row.raw >= (def as { count: number }).count
            : row.raw <= (def as { count: number }).count;
        assert.equal(counted, want, `${row.user_id}: the stored events give ${row.raw}`);
        assert.equal(row.hit, want, `${row.user_id}`);
      }
    });
  }
});
