// The customer list a marketer reads: names from the traits, search by words of the name (Polish, Russian, English),
// every sortable column in both directions with customers lacking a value last, pages that continue the same order,
// and notes where a customer's scores seem to disagree.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { anotherWorkspace, serve, type Served } from '../http/server.ts';
import { nameQuery } from '../../src/customers/list-order.ts';
import { scoreNotes } from '../../src/models/explain.ts';

const NOW = new Date('2026-03-20T12:00:00.000Z');

/** Who the shop knows, how they are named in their traits, and the figures each column sorts by. */
const people = [
  {
    userId: 'u-anna',
    traits: { firstName: 'Anna', lastName: 'Kowalska' },
    orders: 3,
    revenue: 300,
    lastOrder: '2026-03-10',
    rfm: [5, 4, 4],
    pAlive: 0.9,
    clv: 420,
  },
  {
    userId: 'u-jan',
    traits: { first_name: 'Jan', last_name: 'Żółkiewski' },
    orders: 1,
    revenue: 80,
    lastOrder: '2025-01-02',
    rfm: [1, 1, 2],
    pAlive: 1,
    clv: 35,
  },
  {
    userId: 'u-olga',
    traits: { name: 'Ольга Кузнецова' },
    orders: 2,
    revenue: 510,
    lastOrder: '2026-02-01',
    rfm: [3, 3, 5],
    pAlive: 0.4,
    clv: 150,
  },
  {
    userId: 'u-mary',
    traits: { name: "Mary O'Brien", email: 'mary@example.com' },
    orders: 5,
    revenue: 120,
    lastOrder: '2026-03-18',
    rfm: [5, 5, 3],
    pAlive: 0.95,
    clv: 600,
  },
  {
    userId: 'u-nobody',
    traits: { plan: 'free' },
    orders: 0,
    revenue: 0,
    lastOrder: null,
    rfm: null,
    pAlive: null,
    clv: null,
  },
];

let shared: TestDb;
before(async () => (shared = await freshDb()));
after(async () => shared.close());

describe(`customer list: names, search and sorting (${backend})`, () => {
  let s: Served;
  const list = async (params: Record<string, string>) => {
    const res = await s.call('GET', `/api/v1/customers?${new URLSearchParams(params)}`, { key: s.adminKey });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { customers: { userId: string; name: string | null }[]; nextCursor: string | null };
  };
  const users = async (params: Record<string, string>) => (await list(params)).customers.map((c) => c.userId);

  before(async () => {
    s = await serve({ clock: () => NOW }, await anotherWorkspace(shared));
    for (const p of people) {
      const res = await s.call('POST', '/v1/identify', {
        key: s.writeKey,
        body: { userId: p.userId, traits: p.traits, messageId: `id-${p.userId}` },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      for (let i = 0; i < p.orders; i++) {
        const sent = await s.call('POST', '/v1/track', {
          key: s.writeKey,
          body: {
            userId: p.userId,
            event: 'Order Completed',
            messageId: `o-${p.userId}-${i}`,
            timestamp: `${p.lastOrder}T10:0${i}:00.000Z`,
            properties: { orderId: `${p.userId}-${i}`, total: p.revenue / p.orders, currency: 'EUR' },
          },
        });
        assert.equal(sent.status, 200, JSON.stringify(sent.body));
      }
      // the model's scores, as a scoring run writes them
      await s.t.db.query(
        `UPDATE customers SET rfm_r = $3, rfm_f = $4, rfm_m = $5, p_alive = $6, clv = $7 WHERE workspace_id = $1 AND user_id = $2`,
        [s.t.workspaceId, p.userId, p.rfm?.[0] ?? null, p.rfm?.[1] ?? null, p.rfm?.[2] ?? null, p.pAlive, p.clv],
      );
    }
  });
  after(async () => s.close());

  it('each customer carries the name the traits give (name, or first + last name in either spelling), or null', async () => {
    const names = Object.fromEntries((await list({})).customers.map((c) => [c.userId, c.name]));
    assert.deepEqual(names, {
      'u-anna': 'Anna Kowalska',
      'u-jan': 'Jan Żółkiewski',
      'u-olga': 'Ольга Кузнецова',
      'u-mary': "Mary O'Brien",
      'u-nobody': null,
    });
  });

  const searches: [string, string, string[]][] = [
    ['a last name', 'Kowalska', ['u-anna']],
    ['the start of a first name, in lower case', 'ann', ['u-anna']],
    ['a Polish name typed without capitals', 'żółkiewski', ['u-jan']],
    ['a Russian name by its start', 'кузн', ['u-olga']],
    ['a Russian name in capitals', 'ОЛЬГА', ['u-olga']],
    ['first and last name together', 'Mary Brien', ['u-mary']],
    ['words of two different people (every word must match)', 'Anna Mary', []],
    ['an e-mail still finds by e-mail', 'MARY@example.com', ['u-mary']],
    ['a user id still finds by id', 'u-jan', ['u-jan']],
    ['punctuation only: nobody, and no error', "'&|!:*()", []],
  ];
  for (const [what, q, expected] of searches) {
    it(`search by ${what} ("${q}") → ${expected.join(', ') || 'nobody'}`, async () => {
      assert.deepEqual(await users({ q }), expected);
    });
  }

  const sorts: [string, Record<string, string>, string[]][] = [
    ['newest first (the default)', {}, ['u-nobody', 'u-mary', 'u-olga', 'u-jan', 'u-anna']],
    [
      'last order, most recent first; never ordered last',
      { sort: 'lastOrder' },
      ['u-mary', 'u-anna', 'u-olga', 'u-jan', 'u-nobody'],
    ],
    [
      'last order, oldest first; never ordered still last',
      { sort: 'lastOrder', direction: 'asc' },
      ['u-jan', 'u-olga', 'u-anna', 'u-mary', 'u-nobody'],
    ],
    ['orders, most first', { sort: 'orders' }, ['u-mary', 'u-anna', 'u-olga', 'u-jan', 'u-nobody']],
    ['revenue, most first', { sort: 'revenue' }, ['u-olga', 'u-anna', 'u-mary', 'u-jan', 'u-nobody']],
    ['RFM, best cell first (R, then F, then M)', { sort: 'rfm' }, ['u-mary', 'u-anna', 'u-olga', 'u-jan', 'u-nobody']],
    [
      'churn risk, highest first (lowest P(alive)); unscored last',
      { sort: 'churnRisk' },
      ['u-olga', 'u-anna', 'u-mary', 'u-jan', 'u-nobody'],
    ],
    [
      'churn risk, lowest first; unscored still last',
      { sort: 'churnRisk', direction: 'desc' },
      ['u-jan', 'u-mary', 'u-anna', 'u-olga', 'u-nobody'],
    ],
    ['CLV, highest first', { sort: 'clv' }, ['u-mary', 'u-anna', 'u-olga', 'u-jan', 'u-nobody']],
    ['a name search sorted by revenue', { q: 'a', sort: 'revenue' }, ['u-anna']],
  ];
  for (const [what, params, expected] of sorts) {
    it(`sort: ${what}`, async () => {
      assert.deepEqual(await users(params), expected);
    });
    it(`sort: ${what}, two at a time, gives the same order`, async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof list>> = await list({
          ...params,
          limit: '2',
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.customers.map((c) => c.userId));
        cursor = page.nextCursor;
      } while (cursor && seen.length < 20);
      assert.deepEqual(seen, expected);
    });
  }

  it('one RFM cell (R-F): its customers only, in the chosen order', async () => {
    assert.deepEqual(await users({ rfm: '5-4' }), ['u-anna']);
    assert.deepEqual(await users({ rfm: '5-5', sort: 'revenue' }), ['u-mary']);
    assert.deepEqual(await users({ rfm: '2-2' }), []);
  });

  it('an RFM cell that is not R-F with scores 1 to 5 → 400 naming the parameter', async () => {
    const res = await s.call('GET', '/api/v1/customers?rfm=6-1', { key: s.adminKey });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /^rfm: use R-F, e\.g\. 5-1/);
  });

  it('a cursor from another order → 400 saying to keep sort and direction', async () => {
    const first = await list({ sort: 'revenue', limit: '2' });
    const res = await s.call('GET', `/api/v1/customers?sort=clv&limit=2&cursor=${first.nextCursor}`, {
      key: s.adminKey,
    });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /^cursor: .*same sort and direction/);
  });

  it('an unknown sort → 400 naming the parameter and the choices', async () => {
    const res = await s.call('GET', '/api/v1/customers?sort=birthday', { key: s.adminKey });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /sort/);
    assert.match(res.body.message, /lastOrder/);
  });

  it('the profile lists the segments the customer is in, by name, with when they entered', async () => {
    const created = await s.call('POST', '/api/v1/segments', {
      key: s.adminKey,
      body: { name: 'Three orders or more', definition: { aggregate: 'orders_count', op: 'gte', value: 3 } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(
      (await s.call('POST', `/api/v1/segments/${created.body.id}/evaluate`, { key: s.adminKey })).status,
      200,
    );
    const byUser = async (userId: string) => {
      const id = ((await list({ q: userId })).customers[0] as unknown as { id: string }).id;
      return (await s.call('GET', `/api/v1/customers/${id}`, { key: s.adminKey })).body.segments as {
        id: string;
        name: string;
        enteredAt: string;
      }[];
    };
    assert.deepEqual(
      (await byUser('u-anna')).map((m) => [m.id, m.name]),
      [[created.body.id, 'Three orders or more']],
    );
    assert.match((await byUser('u-anna'))[0]!.enteredAt, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(await byUser('u-jan'), []);
  });

  it('the profile explains a churned stage next to a low churn risk (one order, long ago)', async () => {
    const jan = (await list({ q: 'u-jan' })).customers[0] as unknown as { id: string };
    await s.t.db.query(
      `UPDATE customers SET lifecycle_stage = 'churned', churn_risk = 'low', scored_at = $3 WHERE workspace_id = $1 AND user_id = $2`,
      [s.t.workspaceId, 'u-jan', NOW],
    );
    const res = await s.call('GET', `/api/v1/customers/${jan.id}`, { key: s.adminKey });
    assert.equal(res.status, 200);
    assert.equal(res.body.customer.name, 'Jan Żółkiewski');
    assert.deepEqual(res.body.scoreNotes, [
      { code: 'churned_by_days', daysSinceLastOrder: 442, churnedAfterDays: 365, orders: 1, churnRisk: 'low' },
    ]);
  });
});

describe('customer list: pure parts', () => {
  it('a name search becomes prefix words, dropping what to_tsquery would read as operators', () => {
    assert.equal(nameQuery("Mary O'Brien"), 'mary:* & o:* & brien:*');
    assert.equal(nameQuery('ОЛЬГА  кузн'), 'ольга:* & кузн:*');
    assert.equal(nameQuery("'&|!:*()"), null);
  });

  const base = {
    lastOrderAt: '2026-01-01T10:00:00.000Z',
    ordersCount: 4,
    churnRisk: 'low',
    pAlive: 0.8,
    rfm: { r: 2, f: 3, m: 3 },
    scoredAt: '2026-03-01T00:00:00.000Z',
  };
  const cases: [string, Partial<typeof base> & { lifecycleStage: string }, string[]][] = [
    ['active and low risk: nothing to explain', { lifecycleStage: 'active' }, []],
    [
      'churned by days with a low risk',
      { lifecycleStage: 'churned', lastOrderAt: '2025-01-01T10:00:00.000Z' },
      ['churned_by_days'],
    ],
    [
      'churned by a low P(alive) (risk high): no disagreement',
      { lifecycleStage: 'churned', churnRisk: 'high', pAlive: 0.1 },
      [],
    ],
    [
      'at risk with no model score',
      { lifecycleStage: 'at_risk', pAlive: null, churnRisk: null } as never,
      ['at_risk_without_model'],
    ],
    [
      'at risk with a top recency score',
      { lifecycleStage: 'at_risk', churnRisk: 'high', pAlive: 0.3, rfm: { r: 5, f: 1, m: 1 } },
      ['rfm_is_relative'],
    ],
    [
      'scored before the last order',
      { lifecycleStage: 'active', scoredAt: '2025-12-31T00:00:00.000Z' },
      ['scored_before_last_order'],
    ],
  ];
  for (const [what, over, codes] of cases) {
    it(`score notes: ${what}`, () => {
      const notes = scoreNotes(
        { ...base, ...over } as Parameters<typeof scoreNotes>[0],
        new Date('2026-03-20T12:00:00Z'),
      );
      assert.deepEqual(
        notes.map((n) => n.code),
        codes,
      );
    });
  }
});
