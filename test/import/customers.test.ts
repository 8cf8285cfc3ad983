// Customer imports from CSV: identify per row, bad lines to the rejects file by line number, re-runs change nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { importFile } from '../../src/import/import.ts';
import { customerOf, importSuite, readRejects, snapshot } from './fixtures.ts';

const CSV = [
  'Customer ID,E-mail,Phone,First Name,plan,zip,vip', // line 1
  'c1,Ann@Example.com,+14155550123,Ann,gold,02134,true', // 2
  'c2,not-an-email,,Bob,silver,,false', // 3: bad e-mail
  'c3,cat@example.com,,"Cat', // 4: a quoted value over two lines
  'the second",bronze,90210,', // 5
  ',dan@example.com,,Dan,gold,,', // 6: no user id
  'c5,eve@example.com,12,Eve,gold,,', // 7: bad phone
  'c6,fay@example.com,,Fay', // 8: too few fields
  '', // 9: blank
  'c7,gus@example.com,,Gus,gold,,', // 10
].join('\r\n');

describe('import customers (CSV)', () => {
  const { t, tmp } = importSuite();

  it('stores one customer per good row, with mapped fields and the other columns as traits', async () => {
    const file = tmp.file('people.csv', CSV);
    const rejectsFile = `${tmp.dir}/people.rejects.csv`;
    const progress: number[] = [];
    const s = await importFile(t.db, t.workspaceId, {
      kind: 'customers',
      file,
      rejectsFile,
      mapping: { userId: 'Customer ID', email: 'E-mail' },
      batchSize: 2,
      onProgress: (p) => progress.push(p.bytes),
    });
    assert.deepEqual(s, {
      lines: 7,
      accepted: 3,
      duplicates: 0,
      rejected: 4,
      anonymous: 0,
      resumedFrom: 0,
      rejectsFile,
      complete: true,
    });
    assert.ok(progress.length > 0 && progress.at(-1)! > 0);

    const rejects = readRejects(rejectsFile).sort((a, b) => a.line - b.line);
    assert.deepEqual(
      rejects.map((r) => [r.line, r.field]),
      [
        [3, 'E-mail'],
        [6, 'Customer ID'],
        [7, 'Phone'],
        [8, ''],
      ],
    );
    assert.match(rejects[0]!.reason, /e-mail/);
    assert.match(rejects[3]!.reason, /4 fields where the header has 7/);

    const ann = await customerOf(t.db, t.workspaceId, 'c1');
    assert.equal(ann!.email, 'ann@example.com');
    assert.equal(ann!.phone, '+14155550123');
    assert.deepEqual(ann!.traits, {
      email: 'ann@example.com',
      phone: '+14155550123',
      first_name: 'Ann',
      plan: 'gold',
      zip: '02134',
      vip: true,
    });
    const cat = await customerOf(t.db, t.workspaceId, 'c3');
    assert.equal(cat!.traits.first_name, 'Cat\nthe second');
    assert.equal(cat!.traits.zip, 90210);
    assert.ok(await customerOf(t.db, t.workspaceId, 'c7'));
  });

  it('a second run of the same file changes nothing: every good row is a duplicate, the same lines are rejected', async () => {
    const file = tmp.file('people.csv', CSV);
    const before = await snapshot(t.db, t.workspaceId);
    const s = await importFile(t.db, t.workspaceId, {
      kind: 'customers',
      file,
      rejectsFile: `${tmp.dir}/again.csv`,
      mapping: { userId: 'Customer ID', email: 'E-mail' },
    });
    assert.deepEqual(
      { ...s, rejectsFile: null },
      {
        lines: 7,
        accepted: 0,
        duplicates: 3,
        rejected: 4,
        anonymous: 0,
        resumedFrom: 10,
        rejectsFile: null,
        complete: true,
      },
    );
    assert.deepEqual(
      readRejects(s.rejectsFile)
        .map((r) => r.line)
        .sort((a, b) => a - b),
      [3, 6, 7, 8],
    );
    assert.deepEqual(await snapshot(t.db, t.workspaceId), before);
  });

  it('the same rows under another file name are recognised by content (deterministic message ids)', async () => {
    const file = tmp.file('people-copy.csv', CSV);
    const before = await snapshot(t.db, t.workspaceId);
    const s = await importFile(t.db, t.workspaceId, {
      kind: 'customers',
      file,
      rejectsFile: `${tmp.dir}/copy.csv`,
      mapping: { userId: 'Customer ID', email: 'E-mail' },
    });
    assert.equal(s.resumedFrom, 0);
    assert.equal(s.accepted, 0);
    assert.equal(s.duplicates, 3);
    assert.deepEqual(await snapshot(t.db, t.workspaceId), before);
  });

  it('columns are recognised without --map; a --map naming a missing column is an error', async () => {
    const file = tmp.file('auto.csv', 'user_id,email,Last Name\nz1,z1@example.com,Zed\n');
    const s = await importFile(t.db, t.workspaceId, {
      kind: 'customers',
      file,
      rejectsFile: `${tmp.dir}/auto.rejects.csv`,
    });
    assert.equal(s.accepted, 1);
    assert.deepEqual((await customerOf(t.db, t.workspaceId, 'z1'))!.traits, {
      email: 'z1@example.com',
      last_name: 'Zed',
    });
    await assert.rejects(
      importFile(t.db, t.workspaceId, { kind: 'customers', file, mapping: { email: 'Mail' } }),
      /--map email=Mail: no column "Mail" in the file; its columns are user_id, email, Last Name/,
    );
    await assert.rejects(
      importFile(t.db, t.workspaceId, { kind: 'customers', file, mapping: { colour: 'x' } }),
      /customers have no field "colour"/,
    );
  });
});
