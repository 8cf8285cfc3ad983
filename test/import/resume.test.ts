// Resumable imports: an import stopped between batches and run again ends exactly like one clean run.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { importFile } from '../../src/import/import.ts';
import type { ImportKind, ImportSummary } from '../../src/import/types.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { importSuite, readRejects, snapshot } from './fixtures.ts';

/** 120 orders of 1–4 lines for 30 customers, some interleaved, some anonymous, every 17th with a bad price. */
function ordersCsv(): string {
  const rows = ['order_id,customer_id,date,product_id,price,quantity'];
  for (let o = 1; o <= 120; o++) {
    const user = o % 11 === 0 ? '' : `u${o % 30}`;
    const day = `2026-0${1 + (o % 6)}-${String(1 + (o % 27)).padStart(2, '0')}`;
    for (let l = 0; l < 1 + (o % 4); l++)
      rows.push(`o${o},${user},${day},p${l},${o % 17 === 0 && l === 0 ? 'x' : (1 + l) * 2.5},${1 + (o % 3)}`);
    if (o % 9 === 0) rows.push(`o${o - 1},u${(o - 1) % 30},2026-01-01,late,1,1`); // a line of the previous order, after it
  }
  rows.push('o121,u1,2026-07-01,p1,3,1', 'refund-me,u1,2026-07-02,p1,-3,1');
  return rows.join('\n') + '\n';
}

function eventsJsonl(): string {
  const lines: string[] = [];
  for (let i = 0; i < 150; i++) {
    if (i % 23 === 0) lines.push('{broken');
    lines.push(
      JSON.stringify({
        event: `E${i % 5}`,
        userId: `u${i % 13}`,
        timestamp: new Date(Date.UTC(2026, 0, 1 + (i % 40))).toISOString(),
        properties: { i },
      }),
    );
  }
  return lines.join('\n');
}

const cases: { kind: ImportKind; name: string; text: string }[] = [
  { kind: 'orders', name: 'orders.csv', text: ordersCsv() },
  { kind: 'events', name: 'events.jsonl', text: eventsJsonl() },
];

const totals = (s: ImportSummary) => ({
  lines: s.lines,
  rejected: s.rejected,
  anonymous: s.anonymous,
  stored: s.accepted + s.duplicates,
});

describe('resumable imports', () => {
  const { t, tmp } = importSuite();

  for (const c of cases) {
    describe(c.kind, () => {
      let clean: {
        ws: string;
        summary: ImportSummary;
        state: Awaited<ReturnType<typeof snapshot>>;
        rejects: unknown[];
      };
      const file = () => tmp.file(c.name, c.text);
      const run = (ws: string, extra: { stopAfterBatches?: number; signal?: AbortSignal; tag?: string } = {}) =>
        importFile(t.db, ws, {
          kind: c.kind,
          file: file(),
          batchSize: 7,
          rejectsFile: `${tmp.dir}/${c.kind}-${ws}-${extra.tag ?? ''}.csv`,
          ...extra,
        });
      const sortedRejects = (s: ImportSummary) =>
        readRejects(s.rejectsFile).sort((a, b) => a.line - b.line || a.reason.localeCompare(b.reason));

      before(async () => {
        const ws = (await createWorkspace(t.db, 'clean')).id;
        const summary = await run(ws);
        clean = { ws, summary, state: await snapshot(t.db, ws), rejects: sortedRejects(summary) };
        assert.ok(summary.accepted > 50 && summary.rejected > 3, `a meaningful file: ${JSON.stringify(summary)}`);
      });

      const stops: [string, number[]][] = [
        ['stopped after 3 batches, then run to the end', [3]],
        ['stopped twice (after 2, then 5 more batches), then run to the end', [2, 5]],
        ['stopped after the first batch', [1]],
      ];
      for (const [name, plan] of stops) {
        it(name, async () => {
          const ws = (await createWorkspace(t.db, name)).id;
          const runs: ImportSummary[] = [];
          for (const [i, n] of plan.entries()) runs.push(await run(ws, { stopAfterBatches: n, tag: String(i) }));
          const last = await run(ws, { tag: 'last' });
          for (const r of runs) assert.equal(r.complete, false);
          assert.equal(last.complete, true);
          assert.ok(last.resumedFrom > 0 && last.resumedFrom > runs[0]!.resumedFrom);
          assert.equal(
            runs.reduce((s, r) => s + r.accepted, 0) + last.accepted,
            clean.summary.accepted,
            'each record stored once over all runs',
          );
          assert.deepEqual(totals(last), totals(clean.summary));
          assert.deepEqual(sortedRejects(last), clean.rejects, 'the final rejects file lists every rejected line');
          assert.deepEqual(await snapshot(t.db, ws), clean.state);
        });
      }

      it('a batch committed whose progress was not recorded (crash between the two) is not stored twice', async () => {
        const ws = (await createWorkspace(t.db, 'lost progress')).id;
        await run(ws, { stopAfterBatches: 4, tag: 'a' });
        await t.db.query('UPDATE import_progress SET lines_done = lines_done / 3 WHERE workspace_id = $1', [ws]);
        const last = await run(ws, { tag: 'b' });
        assert.deepEqual(totals(last), totals(clean.summary));
        assert.deepEqual(await snapshot(t.db, ws), clean.state);
      });

      it('an AbortSignal stops after the batch being written; the next run finishes', async () => {
        const ws = (await createWorkspace(t.db, 'aborted')).id;
        const stop = new AbortController();
        const first = await importFile(t.db, ws, {
          kind: c.kind,
          file: file(),
          batchSize: 7,
          rejectsFile: `${tmp.dir}/abort-${ws}.csv`,
          onProgress: (p) => p.lines >= 40 && stop.abort(),
          signal: stop.signal,
        });
        assert.equal(first.complete, false);
        assert.ok(first.lines < clean.summary.lines);
        await run(ws, { tag: 'after-abort' });
        assert.deepEqual(await snapshot(t.db, ws), clean.state);
      });

      it('running a finished import again changes nothing and counts every record as a duplicate', async () => {
        const again = await run(clean.ws, { tag: 'again' });
        assert.equal(again.accepted, 0);
        assert.equal(again.duplicates, clean.summary.accepted + clean.summary.duplicates);
        assert.deepEqual(totals(again), totals(clean.summary));
        assert.deepEqual(await snapshot(t.db, clean.ws), clean.state);
      });
    });
  }
});
