// The worker's own duties, once for every job: a tick waits for nothing and is skipped while the same job's previous run
// on the same database still goes; a failure is logged by pino with its stack and the next tick runs as usual.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { freshDb } from '../helpers/db.ts';
import { startWorker, tick } from '../../src/server/worker.ts';
import type { Job } from '../../src/lib/jobs.ts';

const clock = () => new Date('2026-06-01T12:00:00Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A pino logger whose lines are kept, parsed. */
function keptLog() {
  const lines: Record<string, any>[] = [];
  return { lines, log: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) };
}

test('a tick is skipped while the same job still runs on the same database; another job runs meanwhile', async (t) => {
  const d = await freshDb();
  t.after(() => d.close());
  const { log } = keptLog();
  let release!: () => void;
  const slow: Job = { name: 'slow', everyMs: 1000, run: () => new Promise<void>((r) => (release = r)) };
  const quick: Job = { name: 'quick', everyMs: 1000, run: async () => {} };

  const first = tick(d.db, slow, clock, log);
  assert.equal(await tick(d.db, slow, clock, log), 'skipped');
  assert.equal(await tick(d.db, quick, clock, log), 'ran');
  release();
  assert.equal(await first, 'ran');
  const again = tick(d.db, slow, clock, log);
  release();
  assert.equal(await again, 'ran', 'once the run ended, the next tick runs');
});

test('a failing job is logged with its name and stack, and runs again on the next tick', async (t) => {
  const d = await freshDb();
  t.after(() => d.close());
  const { lines, log } = keptLog();
  let runs = 0;
  const failing: Job = {
    name: 'failing',
    everyMs: 1000,
    async run() {
      runs++;
      throw new Error('the provider table is gone');
    },
  };
  assert.equal(await tick(d.db, failing, clock, log), 'failed');
  assert.equal(await tick(d.db, failing, clock, log), 'failed');
  assert.equal(runs, 2);
  assert.equal(lines.length, 2);
  const [line] = lines;
  assert.equal(line!.level, 50, 'logged as an error');
  assert.equal(line!.job, 'failing');
  assert.equal(line!.msg, 'job failing failed');
  assert.equal(line!.err.message, 'the provider table is gone');
  assert.match(line!.err.stack, /Error: the provider table is gone\n\s+at /, 'with the stack');
});

test('startWorker: a job slower than its interval never runs twice at once', async (t) => {
  const d = await freshDb();
  t.after(() => d.close());
  const { lines, log } = keptLog();
  let now = 0;
  let most = 0;
  let runs = 0;
  const slow: Job = {
    name: 'slow',
    everyMs: 5,
    async run() {
      runs++;
      most = Math.max(most, ++now);
      await sleep(40);
      now--;
    },
  };
  const worker = startWorker(d.db, { jobs: [slow], clock, log });
  await sleep(300);
  worker.stop();
  await sleep(50);
  assert.ok(runs >= 2, `it ran (${runs} runs)`);
  assert.equal(most, 1, 'never two runs at once');
  assert.equal(lines.length, 0);
});
