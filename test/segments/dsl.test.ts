// The segment language and compiler, pure: invalid definitions name the bad node, values never reach the SQL text,
// day arithmetic (days since, anniversaries, 29 February), dependency order and cycles.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateDefinition, Definition, segmentRefs, type Condition } from '../../src/segments/dsl.ts';
import { compile, crossing, anniversaryDays, daysSinceRange } from '../../src/segments/compile.ts';
import { dependencyOrder, SegmentCycle } from '../../src/segments/graph.ts';

const invalid: { name: string; def: unknown; errors: [string, RegExp][] }[] = [
  {
    name: 'an unknown op names the allowed ones',
    def: {
      and: [
        { trait: 'plan', op: 'equals', value: 'x' },
        { aggregate: 'orders_count', op: 'bigger', value: 1 },
      ],
    },
    errors: [['$.and[1].op', /^"bigger" is not one of equals, not_equals, gt, gte, lt, lte, between$/]],
  },
  {
    name: 'a node of no kind',
    def: { or: [{ foo: 1 }] },
    errors: [['$.or[0]', /expected one of the keys and, or, not, trait/]],
  },
  {
    name: 'a node of two kinds',
    def: { trait: 'a', event: 'b', op: 'exists' },
    errors: [['$', /has both "trait" and "event"/]],
  },
  { name: 'an empty and', def: { and: [] }, errors: [['$.and', /non-empty array/]] },
  { name: 'not of a non-object', def: { not: 'x' }, errors: [['$.not', /expected a condition object, got "x"/]] },
  {
    name: 'a missing value',
    def: { not: { trait: 'age', op: 'gt' } },
    errors: [['$.not.value', /is required \(number\)/]],
  },
  {
    name: 'a wrong value type',
    def: { trait: 'age', op: 'gt', value: '18' },
    errors: [['$.value', /expected number, got "18"/]],
  },
  {
    name: 'a key that does not belong',
    def: { trait: 'age', op: 'exists', value: 3 },
    errors: [['$', /unknown key "value"/]],
  },
  {
    name: 'a bad date',
    def: { trait: 'signup', op: 'before', value: '2026-02-30' },
    errors: [['$.value', /expected a date/]],
  },
  {
    name: 'an unknown aggregate',
    def: { aggregate: 'orders', op: 'gt', value: 1 },
    errors: [['$.aggregate', /"orders" is not one of orders_count, purchase_days/]],
  },
  {
    name: 'between needs low ≤ high',
    def: { aggregate: 'revenue_total', op: 'between', value: [10, 5] },
    errors: [['$.value', /low ≤ high/]],
  },
  {
    name: 'days since are whole days',
    def: { aggregate: 'days_since_last_order', op: 'gt', value: 1.5 },
    errors: [['$.value', /whole numbers/]],
  },
  { name: 'an unknown score', def: { score: 'vip', op: 'exists' }, errors: [['$.score', /"vip" is not one of rfm_r/]] },
  {
    name: 'a number op on a text score',
    def: { score: 'churn_risk', op: 'gt', value: 1 },
    errors: [['$.op', /"gt" is not one of equals, not_equals, in, exists, not_exists \(for "churn_risk"\)/]],
  },
  {
    name: 'a churn band that does not exist',
    def: { score: 'churn_risk', op: 'in', value: ['high', 'extreme'] },
    errors: [['$.value[1]', /"extreme" is not one of low, medium, high/]],
  },
  {
    name: 'an event count below zero, deep inside',
    def: { and: [{ or: [{ not: { event: 'x', op: 'at_least', count: -1 } }] }] },
    errors: [['$.and[0].or[0].not.count', /too small|>=0/i]],
  },
  { name: 'not_for needs days', def: { event: 'App Opened', op: 'not_for' }, errors: [['$.days', /is required/]] },
  { name: 'a bad segment id', def: { segment: "x'; drop", op: 'member' }, errors: [['$.segment', /segment id/]] },
  {
    name: 'a consent purpose',
    def: { consent: 'email', purpose: 'spam' },
    errors: [['$.purpose', /"spam" is not one of transactional, marketing/]],
  },
  {
    name: 'every error at once',
    def: {
      and: [
        { trait: '', op: 'exists' },
        { event: 'x', op: 'sometimes' },
      ],
    },
    errors: [
      ['$.and[0].trait', /too small|>=1/i],
      ['$.and[1].op', /"sometimes" is not one of at_least, at_most, not_for/],
    ],
  },
];

const valid: unknown[] = [
  { trait: 'plan', op: 'in', value: ['gold', 2] },
  { trait: 'birthday', op: 'anniversary_in_days', days: 7, within: true },
  { aggregate: 'days_since_last_order', op: 'between', value: [30, 90] },
  { event: 'Order Completed', op: 'at_least', count: 1, days: 30, where: { category: 'shoes', gift: true } },
  { score: 'p_alive', op: 'lt', value: 0.3 },
  {
    and: [
      { segment: 'vip', op: 'not_member' },
      { consent: 'email', purpose: 'marketing' },
      { not: { trait: 'x', op: 'exists' } },
    ],
  },
];

describe('segment definitions: validation', () => {
  for (const c of invalid) {
    it(`refuses ${c.name}`, () => {
      const v = validateDefinition(c.def);
      assert.equal(v.ok, false);
      if (v.ok) return;
      assert.equal(v.errors.length, c.errors.length, JSON.stringify(v.errors));
      c.errors.forEach(([path, message], i) => {
        assert.equal(v.errors[i]!.path, path);
        assert.match(v.errors[i]!.message, message);
      });
    });
  }
  it('accepts well-formed definitions, which the zod schema also accepts', () => {
    for (const def of valid) {
      assert.deepEqual(validateDefinition(def), { ok: true, definition: def });
      assert.equal(Definition.safeParse(def).success, true, JSON.stringify(def));
    }
  });
  it('refuses definitions that are too deep', () => {
    let def: unknown = { trait: 'a', op: 'exists' };
    for (let i = 0; i < 40; i++) def = { not: def };
    const v = validateDefinition(def);
    assert.equal(v.ok, false);
    if (!v.ok) assert.match(v.errors[0]!.message, /deeper than 32/);
  });
  it('lists the segments a definition uses', () => {
    assert.deepEqual(
      segmentRefs({
        or: [
          { segment: 'a', op: 'member' },
          { not: { segment: 'b', op: 'not_member' } },
          { segment: 'a', op: 'member' },
        ],
      }),
      ['a', 'b'],
    );
  });
});

describe('segment compiler (pure)', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it('puts every value and trait key into parameters, never into the SQL text', () => {
    const evil = "x'); DROP TABLE customers; --";
    const { where, params } = compile(
      {
        and: [
          { trait: evil, op: 'equals', value: evil },
          { trait: evil, op: 'contains', value: evil },
          { trait: evil, op: 'in', value: [evil] },
          { event: evil, op: 'at_least', count: 2, days: 3, where: { [evil]: evil } },
          { consent: evil, purpose: 'marketing' },
          { score: 'rfm_segment', op: 'equals', value: evil },
        ],
      },
      now,
    );
    assert.ok(!where.includes('DROP') && !where.includes(evil), where);
    assert.ok(params.includes(evil));
    assert.match(where, /^c\.workspace_id = \$1 AND /);
    const numbers = [...where.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    assert.equal(Math.max(...numbers), params.length + 1, 'params are $2 … $n+1');
  });
  it('counts days since as whole days, as ranges of the timestamp', () => {
    assert.deepEqual(daysSinceRange('gt', 90), { atLeast: 91 });
    assert.deepEqual(daysSinceRange('gte', 90), { atLeast: 90 });
    assert.deepEqual(daysSinceRange('lt', 7), { under: 7 });
    assert.deepEqual(daysSinceRange('equals', 3), { atLeast: 3, under: 4 });
    assert.deepEqual(daysSinceRange('between', [30, 60]), { atLeast: 30, under: 61 });
  });
  it('keeps 29 February on 28 February in non-leap years', () => {
    const table: [string, number, boolean, string[]][] = [
      ['2026-02-26T10:00:00Z', 2, false, ['02-28', '02-29']],
      ['2026-02-27T10:00:00Z', 2, false, ['03-01']],
      ['2028-02-27T10:00:00Z', 1, false, ['02-28']],
      ['2028-02-27T10:00:00Z', 2, false, ['02-29']],
      ['2026-12-30T23:59:00Z', 3, true, ['01-01', '01-02', '12-30', '12-31']],
      ['2026-03-10T00:00:00Z', 0, false, ['03-10']],
    ];
    for (const [at, days, within, expected] of table)
      assert.deepEqual(anniversaryDays(new Date(at), days, within), expected, `${at} +${days}`);
  });
  it('has crossing queries only for time-relative conditions, as timestamp ranges', () => {
    const from = new Date('2026-03-10T12:00:00Z');
    const to = new Date('2026-03-10T12:05:00Z');
    assert.deepEqual(
      crossing(
        {
          and: [
            { trait: 'plan', op: 'equals', value: 'x' },
            { aggregate: 'orders_count', op: 'gt', value: 1 },
          ],
        },
        from,
        to,
      ),
      [],
    );
    const q = crossing({ not: { aggregate: 'days_since_last_order', op: 'gt', value: 90 } }, from, to);
    assert.equal(q.length, 1);
    assert.match(q[0]!.sql, /c\.last_order_at BETWEEN \$2::timestamptz AND \$3::timestamptz/);
    assert.deepEqual(q[0]!.params, ['2025-12-09T12:00:00.000Z', '2025-12-09T12:05:00.000Z']); // 91 days before from and to
    const ev = crossing({ event: 'Product Viewed', op: 'at_least', count: 3, days: 7 }, from, to);
    assert.deepEqual(ev[0]!.params, ['2026-03-03T12:00:00.000Z', '2026-03-03T12:05:00.000Z', 'Product Viewed']);
    // Trait dates move by UTC day: nothing within a day, one pass when the day changes.
    const birthday = { trait: 'birthday', op: 'anniversary_in_days', days: 7 } as const;
    assert.deepEqual(crossing(birthday, from, to), []);
    assert.equal(crossing(birthday, from, new Date('2026-03-11T00:00:01Z')).length, 1);
    assert.deepEqual(crossing(birthday, to, from), [], 'no window when the clock did not move forward');
  });
  it('marks the event-window queries that can only find exits (then the members may be re-checked instead)', () => {
    const from = new Date('2026-03-10T12:00:00Z');
    const to = new Date('2026-03-11T12:00:00Z');
    const viewed = { event: 'Product Viewed', op: 'at_least', count: 2, days: 7 } as const;
    const few = { event: 'Product Viewed', op: 'at_most', count: 1, days: 7 } as const;
    const quiet = { event: 'Product Viewed', op: 'not_for', days: 7 } as const;
    const table: [string, Condition, boolean][] = [
      ['at least N in D days: only turns false', viewed, true],
      ['… under NOT: only turns true', { not: viewed }, false],
      [
        '… under NOT NOT, inside AND / OR',
        { not: { or: [{ not: { and: [viewed, { trait: 'plan', op: 'exists' }] } }] } },
        true,
      ],
      ['at most N in D days: only turns true', few, false],
      ['… under NOT', { not: few }, true],
      ['not for D days: only turns true', quiet, false],
      ['… under NOT', { not: quiet }, true],
      [
        'one query for two leaves of opposite polarity is not exits-only',
        { or: [viewed, { not: { ...viewed, count: 5 } }] },
        false,
      ],
    ];
    for (const [name, def, exitsOnly] of table) {
      const [q, ...rest] = crossing(def, from, to);
      assert.deepEqual([rest.length, !!q!.exitsOnly], [0, exitsOnly], name);
      if (q!.exitsOnly)
        assert.deepEqual(q!.exitsOnly.params, q!.params.slice(0, 2), `${name}: the count reads the same window`);
    }
  });
});

describe('segment dependencies', () => {
  it('orders segments after the ones they use', () => {
    assert.deepEqual(
      dependencyOrder([
        { id: 'c', refs: ['b'] },
        { id: 'b', refs: ['a'] },
        { id: 'a', refs: [] },
        { id: 'd', refs: ['gone'] },
      ]),
      ['a', 'b', 'c', 'd'],
    );
  });
  it('refuses a cycle and names it', () => {
    assert.throws(
      () =>
        dependencyOrder([
          { id: 'a', refs: ['b'] },
          { id: 'b', refs: ['c'] },
          { id: 'c', refs: ['a'] },
        ]),
      (err: unknown) => err instanceof SegmentCycle && /a → b → c → a/.test(err.message),
    );
    assert.throws(() => dependencyOrder([{ id: 'self', refs: ['self'] }]), /self → self/);
  });
});
