// Import value parsing and argument parsing (pure): dates and zones, ids, light typing, `retain import` arguments.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDate, parseNumber, idText, typed } from '../../src/import/values.ts';
import { parseImportArgs } from '../../src/import/command.ts';
import { PRESETS } from '../../src/import/presets.ts';
import { formatSummary } from '../../src/import/bar.ts';

describe('import values', () => {
  const dates: [string, string | null, string?][] = [
    ['2026-11-24', '2026-11-24T00:00:00.000Z'],
    ['19970101', '1997-01-01T00:00:00.000Z'],
    ['2010-12-01 08:26:00', '2010-12-01T08:26:00.000Z', 'Europe/London'],
    ['2011-06-01 08:26:00', '2011-06-01T07:26:00.000Z', 'Europe/London'], // British Summer Time
    ['12/1/2010 8:26', '2010-12-01T08:26:00.000Z', 'Europe/London'],
    ['2026-11-24T10:00:00Z', '2026-11-24T10:00:00.000Z'],
    ['2026-11-24T10:00:00+0200', '2026-11-24T08:00:00.000Z'],
    ['2026-11-24T10:00:00.250-05:00', '2026-11-24T15:00:00.250Z'],
    ['2024-01-01 00:00', '2023-12-31T18:30:00.000Z', 'Asia/Kolkata'],
    ['1700000000', '2023-11-14T22:13:20.000Z'],
    ['1700000000123', '2023-11-14T22:13:20.123Z'],
    ['2026-02-30', null],
    ['24/11/2026', null],
    ['yesterday', null],
    ['', null],
  ];
  for (const [input, expected, zone] of dates) {
    it(`parseDate(${JSON.stringify(input)}${zone ? `, ${zone}` : ''}) → ${expected ?? 'refused'}`, () => {
      const r = parseDate(input, zone);
      if (expected === null) assert.equal(r.ok, false);
      else assert.deepEqual(r, { ok: true, value: new Date(expected) });
    });
  }

  it('numbers, ids and typed values', () => {
    assert.deepEqual(parseNumber(' 12.50 '), { ok: true, value: 12.5 });
    assert.equal(parseNumber('1,234.5').ok, false);
    assert.equal(parseNumber('abc').ok, false);
    assert.equal(idText('17850.0'), '17850');
    assert.equal(idText(' A-1 '), 'A-1');
    assert.equal(idText(''), null);
    assert.equal(typed('42'), 42);
    assert.equal(typed('-3.5'), -3.5);
    assert.equal(typed('02134'), '02134'); // zip code stays text
    assert.equal(typed('4155550123456789'), '4155550123456789'); // long digit strings stay text
    assert.equal(typed('true'), true);
    assert.equal(typed('gold'), 'gold');
  });
});

describe('retain import arguments', () => {
  it('reads kind, file, repeated --map, --rejects, --workspace and --option=value', () => {
    const p = parseImportArgs([
      'customers',
      'people.csv',
      '--map',
      'userId=Customer ID',
      '--map=email=E-mail',
      '--rejects',
      'bad.csv',
      '--workspace',
      'ws_1',
      '--batch-size',
      '50',
    ]);
    assert.deepEqual(p, {
      workspace: 'ws_1',
      options: {
        kind: 'customers',
        file: 'people.csv',
        mapping: { userId: 'Customer ID', email: 'E-mail' },
        rejectsFile: 'bad.csv',
        batchSize: 50,
      },
    });
  });
  it("with --preset and no file, the preset's data set is read (found when the command runs)", () => {
    assert.equal(parseImportArgs(['import', 'orders', '--preset', 'cdnow']).options.file, undefined);
    assert.equal(parseImportArgs(['import', 'orders', 'mine.txt', '--preset', 'cdnow']).options.file, 'mine.txt');
    assert.deepEqual([PRESETS.cdnow.dataset, PRESETS['online-retail'].dataset], ['cdnow', 'online-retail']);
  });
  const bad: [string[], RegExp][] = [
    [['people', 'x.csv'], /cannot import "people"/],
    [['customers'], /which file/],
    [['customers', 'x.csv', '--map', 'email'], /TARGET=COLUMN/],
    [['orders', '--preset', 'shopify'], /unknown preset/],
    [['orders', 'x.csv', '--frobnicate', '1'], /unknown option --frobnicate/],
    [['orders', 'x.csv', '--batch-size', '0'], /positive whole number/],
  ];
  for (const [argv, message] of bad)
    it(`refuses ${argv.join(' ')}`, () => assert.throws(() => parseImportArgs(argv), message));

  it('summary printer', () => {
    const text = formatSummary(
      {
        lines: 1200,
        accepted: 1000,
        duplicates: 150,
        rejected: 50,
        anonymous: 0,
        resumedFrom: 0,
        rejectsFile: '/tmp/x.rejects.csv',
        complete: true,
      },
      2,
    );
    assert.match(text, /^Import complete\./);
    assert.match(text, /rejected lines\s+50 {2}\(see \/tmp\/x\.rejects\.csv\)/);
    assert.match(text, /600 lines\/s/);
  });
});
