// The pure rules of coupons, as tables: patterns (alphabet without look-alikes, capacity, refusals by field), drawn
// codes distinct, the value by segment or tier, expiry, imported lists (bad and repeated lines named, the good kept),
// and what an order naming a code does to it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPattern, codeOf, drawCodes, patternCapacity, DIGITS, LETTERS } from '../../src/coupons/pattern.ts';
import { expiresAt, valueFor, type CouponValue, type ValueMap } from '../../src/coupons/value.ts';
import { readCodeList } from '../../src/coupons/code-list.ts';
import { decideUses, type CodeState } from '../../src/coupons/redemption.ts';
import { DomainError } from '../../src/lib/errors.ts';

/** A seeded generator (mulberry32) answering whole numbers below n. */
function seeded(seed: number) {
  return (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

describe('coupon patterns', () => {
  it('no look-alikes in the alphabet', () => {
    for (const ch of '01OIL') assert.ok(!DIGITS.includes(ch) && !LETTERS.includes(ch), ch);
  });

  it('each # a digit, each ? a letter, each * either, the rest as written', () => {
    const random = seeded(7);
    for (let i = 0; i < 200; i++)
      assert.match(codeOf('SPRING-####-????-**', random), /^SPRING-[2-9]{4}-[A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$/);
  });

  it('drawn codes are distinct and avoid the taken ones', () => {
    const taken = new Set(drawCodes('X-####', 1000, seeded(1)));
    const more = drawCodes('X-####', 1000, seeded(2), taken);
    assert.equal(new Set(more).size, 1000);
    assert.ok(more.every((c) => !taken.has(c)));
  });

  const refusals: { pattern: string; count: number; existing?: number; field: string }[] = [
    { pattern: 'ab-####', count: 1, field: 'pattern' },
    { pattern: 'SPRING-##', count: 1, field: 'pattern' },
    { pattern: 'SPRING-###', count: 1, field: 'pattern' },
    { pattern: 'S-####', count: 2049, field: 'count' },
    { pattern: 'S-####', count: 10, existing: 2040, field: 'count' },
  ];
  for (const r of refusals) {
    it(`refuses ${r.pattern} for ${r.count} (field ${r.field})`, () => {
      assert.throws(
        () => checkPattern(r.pattern, r.count, r.existing),
        (e: DomainError) => e.field === r.field,
      );
    });
  }

  it('capacity: 8 digits, 23 letters', () => {
    assert.equal(patternCapacity('A-#?*'), 8 * 23 * 31);
    assert.doesNotThrow(() => checkPattern('S-####', 2048));
  });
});

describe('coupon values and expiry', () => {
  const percent: CouponValue = { kind: 'percent', amount: 10 };
  const bySegment: ValueMap = { by: 'rfm_segment', map: { Champions: 30, 'At Risk': 20 }, default: 5 };
  const byTier: ValueMap = { by: 'tier', map: { gold: 25 } };
  const table: {
    value: CouponValue;
    map: ValueMap | null;
    rfm: string | null;
    tier: string | null;
    amount: number | null;
  }[] = [
    { value: percent, map: null, rfm: 'Champions', tier: null, amount: 10 },
    { value: percent, map: bySegment, rfm: 'Champions', tier: null, amount: 30 },
    { value: percent, map: bySegment, rfm: 'At Risk', tier: 'gold', amount: 20 },
    { value: percent, map: bySegment, rfm: 'Hibernating', tier: null, amount: 5 },
    { value: percent, map: bySegment, rfm: null, tier: null, amount: 5 },
    { value: percent, map: byTier, rfm: 'Champions', tier: 'gold', amount: 25 },
    { value: percent, map: byTier, rfm: null, tier: 'silver', amount: 10 },
    { value: percent, map: bySegment, rfm: 'constructor', tier: null, amount: 5 },
    { value: { kind: 'free_shipping' }, map: null, rfm: 'Champions', tier: null, amount: null },
  ];
  for (const row of table) {
    it(`${row.value.kind} by ${row.map?.by ?? 'nothing'}: rfm ${row.rfm}, tier ${row.tier} → ${row.amount}`, () => {
      const v = valueFor(row.value, row.map, { rfm_segment: row.rfm, tier: row.tier });
      assert.equal(v.kind === 'free_shipping' ? null : v.amount, row.amount);
    });
  }

  it('expires N days after assignment, or at the fixed instant', () => {
    const at = new Date('2026-03-28T12:00:00Z');
    assert.equal(expiresAt({ days: 7 }, at).toISOString(), '2026-04-04T12:00:00.000Z');
    assert.equal(expiresAt({ until: '2026-06-30T23:59:59Z' }, at).toISOString(), '2026-06-30T23:59:59.000Z');
  });
});

describe('imported code lists', () => {
  it('CSV: the header skipped, codes in capitals, bad and repeated lines named, the good kept', () => {
    const { codes, refused } = readCodeList('code\nabc-123\nXYZ-999\n\nabc-123\nb d\n"Q1W2E3",extra\n', 'csv');
    assert.deepEqual(codes, [
      { line: 2, code: 'ABC-123' },
      { line: 3, code: 'XYZ-999' },
      { line: 7, code: 'Q1W2E3' },
    ]);
    assert.deepEqual(
      refused.map((r) => `${r.line} ${r.code}: ${r.reason}`),
      [
        '5 abc-123: the same code as line 2',
        '6 b d: 3 to 64 letters, digits, "-" or "_", beginning with a letter or digit',
      ],
    );
  });

  it('JSON: positions named', () => {
    const { codes, refused } = readCodeList('["AAA1", 42, "aaa1", "BBB2"]', 'json');
    assert.deepEqual(
      codes.map((c) => c.code),
      ['AAA1', 'BBB2'],
    );
    assert.deepEqual(
      refused.map((r) => `${r.line}: ${r.reason}`),
      ['2: not text', '3: the same code as line 1'],
    );
  });

  it('JSON that is not a list is refused whole', () => {
    assert.match(readCodeList('{"a": 1}', 'json').refused[0]!.reason, /a JSON list/);
    assert.match(readCodeList('[1,', 'json').refused[0]!.reason, /not JSON/);
  });
});

describe('redemption', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 3, d));
  const state = (o: Partial<CodeState>): CodeState => ({
    id: '1',
    assignedAt: day(1),
    expiresAt: day(8),
    redeemedAt: null,
    orderId: null,
    ...o,
  });
  const table: { name: string; code: CodeState | null; uses: [string, number][]; outcomes: string[] }[] = [
    {
      name: 'first order redeems, a later one is a reuse',
      code: state({}),
      uses: [
        ['o-2', 4],
        ['o-1', 3],
      ],
      outcomes: ['o-1 redeemed', 'o-2 reused'],
    },
    {
      name: 'the same order again is the same redemption',
      code: state({ redeemedAt: day(3), orderId: 'o-1' }),
      uses: [['o-1', 3]],
      outcomes: ['o-1 redeemed'],
    },
    { name: 'at the expiry instant it is expired', code: state({}), uses: [['o-1', 8]], outcomes: ['o-1 expired'] },
    {
      name: 'an expired use leaves it for nobody',
      code: state({}),
      uses: [
        ['o-1', 9],
        ['o-2', 10],
      ],
      outcomes: ['o-1 expired', 'o-2 expired'],
    },
    {
      name: 'never given out',
      code: state({ assignedAt: null, expiresAt: null }),
      uses: [['o-1', 2]],
      outcomes: ['o-1 not_assigned'],
    },
    { name: 'in no pool', code: null, uses: [['o-1', 2]], outcomes: ['o-1 unknown'] },
  ];
  for (const row of table) {
    it(row.name, () => {
      const codes = new Map(row.code ? [['C', row.code]] : []);
      const decided = decideUses(
        row.uses.map(([orderId, d]) => ({ orderId, code: 'C', at: day(d) })),
        codes,
      );
      assert.deepEqual(
        decided.map((d) => `${d.use.orderId} ${d.outcome}`),
        row.outcomes,
      );
    });
  }
});
