// Which workspace a command uses when none is named: the rule on its own, then on the database (both backends),
// through `retain models` as a user runs it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chooseWorkspace, pickedLine, pickWorkspace, type WorkspaceInfo } from '../../src/workspaces/pick.ts';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { ingest } from '../../src/ingest/ingest.ts';

const ws = (id: string, name: string, hasCustomers = false): WorkspaceInfo => ({ id, name, hasCustomers });

describe('choosing a workspace (the rule)', () => {
  const a = ws('ws_a', 'Default');
  const b = ws('ws_b', 'Shop');
  it('a named one wins, by id or by exact name; an unknown or doubled name is refused', () => {
    assert.deepEqual(chooseWorkspace([a, b], 'ws_b'), { id: 'ws_b', name: 'Shop', why: 'named' });
    assert.deepEqual(chooseWorkspace([a, b], 'Shop'), { id: 'ws_b', name: 'Shop', why: 'named' });
    assert.throws(
      () => chooseWorkspace([a, b], 'shop'),
      /--workspace shop: no workspace has that id or name \(see `retain workspace list`\)/,
    );
    assert.throws(
      () => chooseWorkspace([a, b, ws('ws_c', 'Shop')], 'Shop'),
      /several workspaces have that name; give the id/,
    );
  });
  it('the only one; else the only one holding customers; else the first created when all are empty', () => {
    assert.deepEqual(chooseWorkspace([a], undefined), { id: 'ws_a', name: 'Default', why: 'only' });
    assert.deepEqual(chooseWorkspace([a, { ...b, hasCustomers: true }], undefined), {
      id: 'ws_b',
      name: 'Shop',
      why: 'only-with-customers',
    });
    assert.deepEqual(chooseWorkspace([a, b], undefined), { id: 'ws_a', name: 'Default', why: 'first-created' });
  });
  it('several holding customers is a question for the user, and no workspace at all says how to make one', () => {
    assert.throws(
      () =>
        chooseWorkspace(
          [
            { ...a, hasCustomers: true },
            { ...b, hasCustomers: true },
          ],
          undefined,
        ),
      /^Error: 2 workspaces hold customers: "Default" \(ws_a\), "Shop" \(ws_b\); choose one with --workspace ID or NAME$/,
    );
    assert.throws(
      () => chooseWorkspace([], undefined),
      /no workspace yet: create one with `retain workspace create NAME`/,
    );
  });
  it('says which it took and why, and nothing when it was named', () => {
    assert.equal(
      pickedLine({ id: 'ws_a', name: 'Default', why: 'first-created' }),
      'using workspace "Default" (ws_a), the first created; all are empty; pass --workspace to choose',
    );
    assert.equal(
      pickedLine({ id: 'ws_b', name: 'Shop', why: 'only-with-customers' }),
      'using workspace "Shop" (ws_b), the only one holding customers; pass --workspace to choose',
    );
    assert.equal(pickedLine({ id: 'ws_b', name: 'Shop', why: 'named' }), null);
  });
});

describe(`choosing a workspace on the database (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  it('follows creation order and who holds customers, and prints its choice', async () => {
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    assert.equal(await pickWorkspace(t.db, undefined, log), t.workspaceId);
    const second = await createWorkspace(t.db, 'Second');
    assert.equal(await pickWorkspace(t.db, undefined, log), t.workspaceId, 'both empty: the first created');
    await ingest(t.db, second.id, [{ type: 'identify', userId: 'u1' }]);
    assert.equal(await pickWorkspace(t.db, undefined, log), second.id, 'the only one with customers');
    assert.equal(await pickWorkspace(t.db, 'test', log), t.workspaceId, 'by name');
    assert.deepEqual(lines, [
      `using workspace "test" (${t.workspaceId}), the only one; pass --workspace to choose`,
      `using workspace "test" (${t.workspaceId}), the first created; all are empty; pass --workspace to choose`,
      `using workspace "Second" (${second.id}), the only one holding customers; pass --workspace to choose`,
    ]);
    await ingest(t.db, t.workspaceId, [{ type: 'identify', userId: 'u2' }]);
    await assert.rejects(pickWorkspace(t.db, undefined, log), /2 workspaces hold customers/);
  });
});
