// A back-dated fit is what the scores are as of until someone says otherwise: the worker's scheduled fit, minutes or
// days later, keeps to its calibration end and changes no score; a fit without one lets the scores follow the clock.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { runModels } from '../../src/models/store/run.ts';
import { currentModels } from '../../src/models/store/fits.ts';
import { fitDueWorkspaces } from '../../src/models/store/job.ts';
import { loadLastRun, loadLiveCalibration } from '../../src/models/store/settings.ts';
import { shopOrders } from './shop.ts';

const NOW = new Date('2026-03-31T18:00:00Z');
const later = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);

describe(`the live calibration end (${backend})`, () => {
  let t: TestDb;
  const scores = () =>
    t.db.query<{
      user_id: string;
      p_alive: number | null;
      rfm_segment: string | null;
      clv: number | null;
      scored_at: Date | null;
    }>('SELECT user_id, p_alive, rfm_segment, clv, scored_at FROM customers WHERE workspace_id = $1 ORDER BY id', [
      t.workspaceId,
    ]);
  /** The worker's job at that time: the run it made for this workspace, if any. */
  const scheduled = async (at: Date) => {
    const { runs, errors } = await fitDueWorkspaces(t.db, at);
    assert.deepEqual(errors, []);
    return runs.find((r) => r.workspaceId === t.workspaceId)?.run ?? null;
  };

  before(async () => {
    t = await freshDb();
    const orders = shopOrders({
      customers: 300,
      seed: 5,
      start: new Date('2025-01-01T00:00:00Z'),
      cohortDays: 150,
      end: new Date('2026-03-31T00:00:00Z'),
    });
    for (let i = 0; i < orders.length; i += 500)
      assert.deepEqual((await ingest(t.db, t.workspaceId, orders.slice(i, i + 500), { receivedAt: NOW })).rejected, []);
  });
  after(async () => t.close());

  it('a back-dated fit, then the worker starting five minutes later: its scheduled fit is as of the same day and changes no score', async () => {
    const manual = await runModels(t.db, t.workspaceId, { calibrationEnd: '2025-09-30', now: NOW });
    assert.deepEqual([manual.origin, manual.live], ['manual', { calibrationEnd: '2025-09-30', was: null }]);
    assert.deepEqual((await loadLiveCalibration(t.db, t.workspaceId)).calibrationEnd, '2025-09-30');
    const before = await scores();
    assert.ok(
      before.filter((c) => c.p_alive !== null).length > 100,
      'customers who had bought by 2025-09-30 are scored',
    );

    const run = await scheduled(later(5 / 60));
    assert.ok(run, 'the worker refits at once (its first fit)');
    assert.deepEqual(
      [run.origin, run.fit.calibrationEnd, run.live.calibrationEnd],
      ['schedule', '2025-09-30', '2025-09-30'],
    );
    assert.equal(run.scoring.written, 0, 'the same day scored again writes nothing');
    assert.deepEqual(await scores(), before, 'every score as the back-dated fit left it');
    const { bgnbd } = await currentModels(t.db, t.workspaceId);
    assert.deepEqual(
      [bgnbd!.origin, bgnbd!.calibrationEnd, bgnbd!.params],
      ['schedule', '2025-09-30', manual.fit.bgnbd.params],
    );
    assert.deepEqual(
      [(await loadLastRun(t.db, t.workspaceId))!.origin, (await loadLastRun(t.db, t.workspaceId))!.calibrationEnd],
      ['schedule', '2025-09-30'],
    );
  });

  it('a day later the schedule still keeps to it', async () => {
    assert.equal(await scheduled(later(1)), null, 'an hour later nothing is due');
    const run = await scheduled(later(25));
    assert.deepEqual([run?.fit.calibrationEnd, run?.scoring.written], ['2025-09-30', 0]);
  });

  it('a fit without a calibration end (or with its own day) lets the scores follow the clock again', async () => {
    const today = await runModels(t.db, t.workspaceId, { now: later(26) });
    assert.deepEqual(
      [today.fit.calibrationEnd, today.live],
      ['2026-04-01', { calibrationEnd: null, was: '2025-09-30' }],
    );
    assert.deepEqual((await loadLiveCalibration(t.db, t.workspaceId)).calibrationEnd, null);
    assert.equal(
      (await scheduled(later(50)))?.fit.calibrationEnd,
      '2026-04-02',
      'the next scheduled fit is as of the day it runs',
    );
    const ownDay = await runModels(t.db, t.workspaceId, { calibrationEnd: '2026-04-02', now: later(51) });
    assert.deepEqual(
      ownDay.live,
      { calibrationEnd: null, was: null },
      'its own day is following the clock, not a back-dated fit',
    );
  });
});
