// Event imports: JSON Lines (plain and gzipped) and CSV rows become track events; bad lines are reported by line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { importFile } from '../../src/import/import.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { importSuite, readRejects, snapshot } from './fixtures.ts';

const JSONL = [
  '{"event":"Product Viewed","userId":"u1","timestamp":"2026-03-01T10:00:00Z","properties":{"product_id":"p1"}}', // 1
  '{"event":"Signed Up","user_id":"u2","time":"2026-03-01 11:00","plan":"gold","seats":3,"messageId":"signup-u2"}', // 2: flat fields
  'not json', // 3
  '[1, 2]', // 4
  '', // 5: blank
  '{"userId":"u1","properties":{}}', // 6: no event name
  '{"type":"page","userId":"u1","name":"Home","timestamp":"2026-03-02T00:00:00Z"}', // 7: a Segment page call, as is
  '{"event":"Lost","timestamp":"2026-03-02T00:00:00Z"}', // 8: nobody
  '{"event":"Product Viewed","userId":"u1","timestamp":"2026-03-01T10:00:00Z","properties":{"product_id":"p1"}}', // 9: same as line 1
  '{"event":"Order Completed","userId":"u3","timestamp":"2026-03-03T00:00:00Z","properties":{"total":5}}', // 10: no orderId
  '{"event":"Message Opened","userId":"u1","timestamp":"2026-03-03T00:00:00Z"}', // 11: a name Retain writes itself
].join('\n');

const cases = [{ file: 'events.jsonl' }, { file: 'events.ndjson.gz' }];

describe('import events', () => {
  const { t, tmp } = importSuite();

  for (const c of cases) {
    it(`JSON Lines (${c.file}): one event per line, bad lines reported with their line number and field`, async () => {
      const ws = (await createWorkspace(t.db, c.file)).id;
      const rejectsFile = `${tmp.dir}/${c.file}.rejects.csv`;
      const s = await importFile(t.db, ws, {
        kind: 'events',
        file: tmp.file(c.file, JSONL),
        rejectsFile,
        batchSize: 3,
      });
      assert.deepEqual(s, {
        lines: 10,
        accepted: 3,
        duplicates: 1,
        rejected: 6,
        anonymous: 0,
        resumedFrom: 0,
        rejectsFile,
        complete: true,
      });
      const rejects = readRejects(rejectsFile).sort((a, b) => a.line - b.line);
      assert.deepEqual(
        rejects.map((r) => [r.line, r.field]),
        [
          [3, ''],
          [4, ''],
          [6, 'event'],
          [8, 'userId'],
          [10, 'properties.orderId'],
          [11, 'event'],
        ],
      );
      assert.match(rejects[5]!.reason, /is a name Retain writes itself/);
      assert.match(rejects[0]!.reason, /not valid JSON/);
      const events = await t.db.query<Record<string, any>>(
        'SELECT message_id, type, name, user_id, properties, timestamp FROM events WHERE workspace_id = $1 ORDER BY timestamp, message_id',
        [ws],
      );
      assert.deepEqual(
        events.map((e) => [e.type, e.name, e.user_id]),
        [
          ['track', 'Product Viewed', 'u1'],
          ['track', 'Signed Up', 'u2'],
          ['page', 'Home', 'u1'],
        ],
      );
      const signup = events[1]!;
      assert.equal(signup.message_id, 'signup-u2');
      assert.deepEqual(signup.properties, { plan: 'gold', seats: 3 });
      assert.equal(signup.timestamp.toISOString(), '2026-03-01T11:00:00.000Z');
    });
  }

  it('CSV rows: mapped name, user and time; other columns are typed properties; a re-run changes nothing', async () => {
    const ws = (await createWorkspace(t.db, 'csv')).id;
    const file = tmp.file(
      'coupons.csv',
      'what,user,at,amount,coupon\nCoupon Used,u1,2026-03-01,12.5,SAVE10\nCoupon Used,u2,someday,3,X\n',
    );
    const options = {
      kind: 'events' as const,
      file,
      rejectsFile: `${tmp.dir}/coupons.rejects.csv`,
      mapping: { event: 'what', userId: 'user', timestamp: 'at' },
    };
    const s = await importFile(t.db, ws, options);
    assert.deepEqual([s.accepted, s.rejected], [1, 1]);
    assert.deepEqual(
      readRejects(s.rejectsFile).map((r) => [r.line, r.field]),
      [[3, 'at']],
    );
    const [e] = await t.db.query<Record<string, any>>(
      'SELECT name, user_id, properties, timestamp FROM events WHERE workspace_id = $1',
      [ws],
    );
    assert.deepEqual(
      [e!.name, e!.user_id, e!.properties, e!.timestamp.toISOString()],
      ['Coupon Used', 'u1', { amount: 12.5, coupon: 'SAVE10' }, '2026-03-01T00:00:00.000Z'],
    );
    const before = await snapshot(t.db, ws);
    const again = await importFile(t.db, ws, options);
    assert.deepEqual([again.lines, again.accepted, again.duplicates, again.rejected], [2, 0, 1, 1]);
    assert.deepEqual(await snapshot(t.db, ws), before);
  });
});
