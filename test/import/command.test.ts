// `retain import` as the CLI runs it: argument handling, workspace choice, progress on stderr, summary on stdout.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runImportCommand } from '../../src/import/command.ts';
import { progressReporter } from '../../src/import/bar.ts';
import type { ImportSummary } from '../../src/import/types.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { importSuite } from './fixtures.ts';

const sink = (isTTY = false) => {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
};

describe('retain import (command)', () => {
  const { t, tmp } = importSuite();

  it('(db, argv) with a single workspace: imports, prints the summary, exit code 0', async () => {
    const file = tmp.file('people.csv', 'Customer ID,Mail\nc1,c1@example.com\nc2,nope\n');
    const [stdout, stderr] = [sink(), sink()];
    let summary: ImportSummary | undefined;
    const code = await runImportCommand(
      t.db,
      [
        'import',
        'customers',
        file,
        '--map',
        'userId=Customer ID',
        '--map',
        'email=Mail',
        '--rejects',
        `${tmp.dir}/r.csv`,
      ],
      {
        stdout,
        stderr,
        onSummary: (s) => (summary = s),
      },
    );
    assert.equal(code, 0);
    assert.deepEqual([summary!.accepted, summary!.rejected], [1, 1]);
    assert.match(
      stdout.text(),
      /Import complete\.\n {2}lines read +2\n {2}accepted +1\n {2}already there +0\n {2}rejected lines +1 {2}\(see .*r\.csv\)/,
    );
    assert.match(stderr.text(), /^import customers: 100\.0% 2 lines/m);
  });

  it('(db, workspaceId, argv), and --workspace wins; several workspaces holding customers and no --workspace is an error', async () => {
    const other = (await createWorkspace(t.db, 'other')).id;
    const file = tmp.file('events.jsonl', '{"event":"A","userId":"x"}\n');
    const summaries: ImportSummary[] = [];
    const io = { stdout: sink(), stderr: sink(), onSummary: (s: ImportSummary) => summaries.push(s) };
    assert.equal(await runImportCommand(t.db, t.workspaceId, ['events', file, '--workspace', other], io), 0);
    const [{ n }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE workspace_id = $1', [
      other,
    ]);
    assert.equal(n, 1);
    await assert.rejects(
      runImportCommand(t.db, ['events', file], io),
      /2 workspaces hold customers: "test" \(ws_\w+\), "other" \(ws_\w+\); choose one with --workspace ID or NAME/,
    );
  });

  it('the bar on a terminal redraws one line; elsewhere a line every few seconds', () => {
    let now = 0;
    const tty = sink(true);
    const bar = progressReporter({ out: tty, label: 'import orders', now: () => now });
    for (let i = 1; i <= 10; i++) {
      now += 50;
      bar.onProgress({ lines: i * 100, bytes: i * 10, totalBytes: 100 });
    }
    bar.done();
    assert.match(tty.text(), /\r\x1b\[Kimport orders \[#{28}\] 100\.0% {2}1,000 lines {2}2,000 lines\/s\n$/);
    assert.equal(tty.text().split('\r').length - 1, 6, 'redrawn at most every 100 ms, plus the final state');
    const plain = sink(false);
    const log = progressReporter({ out: plain, now: () => now });
    for (let i = 1; i <= 4; i++) {
      now += 3000;
      log.onProgress({ lines: i, bytes: i, totalBytes: 4 });
    }
    assert.equal(plain.text().split('\n').length - 1, 2);
  });
});
