// Several workers share the journey runs through the database alone, and one of them dies mid-way: every step of every
// run is still done exactly once. On PostgreSQL: 3 real `retain worker` processes, 100,000 runs, one killed with
// SIGKILL. On PGlite (one process by nature): 3 runner loops in this process over 10,000 runs, one stopped mid-way.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { activateJourney, createJourney, runDue } from '../../src/journeys/index.ts';
import { provideFor } from '../helpers/sendable.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = backend === 'postgres' ? 100_000 : 10_000;
const STEPS = ['one', 'pause', 'two'];

function startWorker(databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/retain.mjs', 'worker'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`retain worker did not start within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Retain worker running')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`retain worker exited with ${code}:\n${output}`)));
  });
}

async function progress(t: TestDb) {
  const [r] = await t.db.query<{ logs: number; open: number }>(
    'SELECT (SELECT count(*)::int FROM journey_step_log) AS logs, (SELECT count(*)::int FROM journey_runs WHERE ended_at IS NULL) AS open',
  );
  return r!;
}

async function until(what: string, ms: number, check: () => Promise<boolean>) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe(`journeys shared by several workers, one dying (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it(`${RUNS} runs × ${STEPS.length} steps: each step exactly once`, { timeout: 300_000 }, async () => {
    const ws = t.workspaceId;
    const definition = {
      purpose: 'transactional',
      trigger: { type: 'event', event: 'Load' },
      start: 'one',
      steps: [
        { id: 'one', type: 'send', template: 'first', channel: { fixed: 'email' }, next: 'pause' },
        { id: 'pause', type: 'delay', duration: 'PT1S', next: 'two' },
        { id: 'two', type: 'send', template: 'second', channel: { fixed: 'email' } },
      ],
    };
    await provideFor(t.db, ws, definition);
    await createJourney(t.db, ws, { id: 'load', name: 'load', definition });
    await activateJourney(t.db, ws, 'load');
    await t.db.query(
      `INSERT INTO customers (workspace_id, id, user_id) SELECT $1, g, 'u' || g FROM generate_series(1, $2::int) g`,
      [ws, RUNS],
    );
    await t.db.query(
      `INSERT INTO journey_runs (workspace_id, journey_id, version, customer_id, status, step_id, wake_at, context, started_at, updated_at)
       SELECT $1, 'load', 1, g, 'active', 'one', now(), jsonb_build_object('enteredAt', now()), now(), now() FROM generate_series(1, $2::int) g`,
      [ws, RUNS],
    );

    if (t.url) {
      const workers = await Promise.all([0, 1, 2].map(() => startWorker(t.url!)));
      try {
        await until('a third of the steps', 120_000, async () => (await progress(t)).logs >= RUNS);
        workers[0]!.kill('SIGKILL');
        const atKill = await progress(t);
        assert.ok(atKill.logs < RUNS * 3 && atKill.open > 0, `killed mid-way: ${JSON.stringify(atKill)}`);
        await until('every run to end', 240_000, async () => (await progress(t)).open === 0);
      } finally {
        for (const w of workers) w.kill('SIGTERM');
      }
    } else {
      let stop = false;
      const loop = async (maxBatches: number) => {
        for (let b = 0; b < maxBatches && !stop; b++) {
          const r = await runDue(t.db, new Date(), { batch: 500 });
          if (r.claimed === 0) await new Promise((res) => setTimeout(res, 50));
        }
      };
      const end = until('every run to end', 240_000, async () => (await progress(t)).open === 0).finally(
        () => (stop = true),
      );
      await Promise.all([loop(Number.MAX_SAFE_INTEGER), loop(Number.MAX_SAFE_INTEGER), loop(15), end]);
    }

    const [check] = await t.db.query<{
      runs: number;
      completed: number;
      logs: number;
      distinct_steps: number;
      intents: number;
      keys: number;
    }>(
      `SELECT (SELECT count(*)::int FROM journey_runs) AS runs,
              (SELECT count(*)::int FROM journey_runs WHERE status = 'completed') AS completed,
              (SELECT count(*)::int FROM journey_step_log) AS logs,
              (SELECT count(DISTINCT (run_id, step_id))::int FROM journey_step_log) AS distinct_steps,
              (SELECT count(*)::int FROM message_intents) AS intents,
              (SELECT count(DISTINCT message_key)::int FROM message_intents) AS keys`,
    );
    assert.deepEqual(check, {
      runs: RUNS,
      completed: RUNS,
      logs: RUNS * 3,
      distinct_steps: RUNS * 3,
      intents: RUNS * 2,
      keys: RUNS * 2,
    });
    const perRun = await t.db.query<{ steps: string; n: number }>(
      "SELECT steps, count(*)::int AS n FROM (SELECT string_agg(step_id, ',' ORDER BY seq) AS steps FROM journey_step_log GROUP BY run_id) s GROUP BY steps",
    );
    assert.deepEqual(perRun, [{ steps: STEPS.join(','), n: RUNS }]);
  });
});
