// Money never mixes currencies: every report (Overview, message metrics, the RFM grid) gives revenue per currency as
// the orders were sent and in the workspace's base currency with the rates it keeps, names the rates used and the
// currencies left out for want of one. Through the API, on a real database.
//
// The shop (clock 2026-05-10), one spring e-mail to each buyer, clicked on 05-02 at 11:00, orders on 05-03:
//   anna    EUR 100, 20 refunded; a refund of 5 whose order never arrived   RFM R5 F1 New
//   piotr   PLN 400 (sent as "pln")                                          RFM R5 F1 New
//   george  GBP 50                                                           RFM R4 F1 Promising
//   sam     30 without a currency (no e-mail)                                RFM R3 F1 About to sleep
//   cat     EUR 70, cancelled (no e-mail)                                    not scored
// Orders net: EUR 80, PLN 400, GBP 50, none 30. Conversions: anna's, piotr's and george's orders.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { anotherWorkspace, serve, type Served } from '../http/server.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { recordClick } from '../../src/messaging/tracking/record.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { getMessageDefaults } from '../../src/messaging/templates/settings.ts';
import type { Db } from '../../src/store/db.ts';

const NOW = new Date('2026-05-10T12:00:00Z');
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

const order = (user: string, orderId: string, total: number, currency?: string) => ({
  type: 'track',
  userId: user,
  event: 'Order Completed',
  timestamp: '2026-05-03T09:00:00Z',
  messageId: `order-${orderId}`,
  properties: { orderId, total, ...(currency ? { currency } : {}) },
});
const adjust = (user: string, event: 'Order Refunded' | 'Order Cancelled', orderId: string, total?: number) => ({
  type: 'track',
  userId: user,
  event,
  timestamp: '2026-05-04T09:00:00Z',
  messageId: `${event}-${orderId}`,
  properties: { orderId, ...(total ? { total } : {}) },
});

async function send(db: Db, ws: string, messages: object[]) {
  assert.deepEqual((await ingest(db, ws, messages, { receivedAt: NOW })).rejected, []);
}

/** Customer ids by user id. */
async function customers(db: Db, ws: string): Promise<Record<string, string>> {
  return Object.fromEntries(
    (
      await db.query<{ user_id: string; id: string }>(
        'SELECT user_id, id::text FROM customers WHERE workspace_id = $1',
        [ws],
      )
    ).map((c) => [c.user_id, c.id]),
  );
}

/** A spring e-mail to `user` sent 05-02 10:00, clicked by a person at 11:00 (as the dispatcher and tracking record it). */
async function clickedMail(db: Db, ws: string, customerId: string, key: string) {
  const sentAt = new Date('2026-05-02T10:00:00Z');
  const [intent] = await db.query<{ id: string }>(
    `INSERT INTO message_intents (workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, context, status, created_at)
     VALUES ($1, $2, $3, 'spring', 'mail', 'marketing', 'spring-mail', '{"fixed": "email"}', '{}', 'sent', $4) RETURNING id::text`,
    [ws, key, customerId, sentAt],
  );
  const [m] = await db.query<{ id: string }>(
    `INSERT INTO messages (workspace_id, intent_id, message_key, customer_id, purpose, channel, address, template, locale, status, provider, attempts, created_at, sent_at, updated_at)
     VALUES ($1, $2, $3, $4, 'marketing', 'email', 'x@example.com', 'spring-mail', 'en', 'sent', 'test', 1, $5, $5, $5) RETURNING id::text`,
    [ws, intent!.id, key, customerId, sentAt],
  );
  await recordClick(db, ws, m!.id, 'https://shop.test/spring', {
    method: 'GET',
    ip: '198.51.100.7',
    userAgent: CHROME,
    at: new Date('2026-05-02T11:00:00Z'),
  });
}

/** Scores as the models' scoring writes them (the grid reads them; fitting needs far more customers than this shop). */
async function score(db: Db, ws: string, ids: Record<string, string>, scores: [string, number, number, string][]) {
  for (const [user, r, f, segment] of scores) {
    await db.query(
      'UPDATE customers SET rfm_r = $3, rfm_f = $4, rfm_m = 1, rfm_segment = $5, scored_at = $6 WHERE workspace_id = $1 AND id = $2',
      [ws, ids[user], r, f, segment, NOW],
    );
  }
}

type Figure = { revenue: number; revenueByCurrency: Record<string, number> };
type Note = { currency: string; rates: Record<string, { rate: number; date: string }>; unconverted: string[] };

describe(`currency per report (${backend})`, () => {
  let s: Served;
  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await s.call(method, path, { key: s.adminKey, body });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const figure = (f: Figure) => ({ revenue: f.revenue, revenueByCurrency: f.revenueByCurrency });

  before(async () => {
    s = await serve({ clock: () => NOW });
    const { db, workspaceId: ws } = s.t;
    await send(db, ws, [
      order('anna', 'o-a1', 100, 'EUR'),
      order('piotr', 'o-p1', 400, 'pln'),
      order('george', 'o-g1', 50, 'GBP'),
      order('sam', 'o-s1', 30),
      order('cat', 'o-c1', 70, 'EUR'),
      adjust('anna', 'Order Refunded', 'o-a1', 20),
      adjust('anna', 'Order Refunded', 'o-ghost', 5),
      adjust('cat', 'Order Cancelled', 'o-c1'),
    ]);
    const ids = await customers(db, ws);
    for (const user of ['anna', 'piotr', 'george']) await clickedMail(db, ws, ids[user]!, `spring-${user}`);
    await score(db, ws, ids, [
      ['anna', 5, 1, 'New'],
      ['piotr', 5, 1, 'New'],
      ['george', 4, 1, 'Promising'],
      ['sam', 3, 1, 'About to sleep'],
    ]);
  });
  after(async () => s.close());

  // Each step sets the currency settings, then every report is read.
  const steps: {
    what: string;
    put: object | null;
    note: Note;
    overview: Figure;
    conversions: Figure;
    grid: { total: Figure; cells: Record<string, Figure>; segments: Record<string, Figure> };
  }[] = [
    {
      what: 'no settings, orders in three currencies and one without: the base is USD (the one without is in it), nothing converted',
      put: null,
      note: { currency: 'USD', rates: {}, unconverted: ['EUR', 'GBP', 'PLN'] },
      overview: { revenue: 30, revenueByCurrency: { EUR: 80, GBP: 50, PLN: 400, USD: 30 } },
      conversions: { revenue: 0, revenueByCurrency: { EUR: 80, GBP: 50, PLN: 400 } },
      grid: {
        total: { revenue: 25, revenueByCurrency: { EUR: 80, GBP: 50, PLN: 400, USD: 25 } }, // the refund of 5 without its order is in the base
        cells: {
          '5/1': { revenue: -5, revenueByCurrency: { EUR: 80, PLN: 400, USD: -5 } },
          '4/1': { revenue: 0, revenueByCurrency: { GBP: 50 } },
          '3/1': { revenue: 30, revenueByCurrency: { USD: 30 } },
        },
        segments: {
          New: { revenue: -5, revenueByCurrency: { EUR: 80, PLN: 400, USD: -5 } },
          Promising: { revenue: 0, revenueByCurrency: { GBP: 50 } },
        },
      },
    },
    {
      what: 'base EUR with a PLN rate: PLN converted at 0.25, GBP listed as not converted',
      put: { base: 'EUR', rates: { PLN: { rate: 0.25, date: '2026-05-01' } } },
      note: { currency: 'EUR', rates: { PLN: { rate: 0.25, date: '2026-05-01' } }, unconverted: ['GBP'] },
      overview: { revenue: 210, revenueByCurrency: { EUR: 110, GBP: 50, PLN: 400 } },
      conversions: { revenue: 180, revenueByCurrency: { EUR: 80, GBP: 50, PLN: 400 } },
      grid: {
        total: { revenue: 205, revenueByCurrency: { EUR: 105, GBP: 50, PLN: 400 } },
        cells: {
          '5/1': { revenue: 175, revenueByCurrency: { EUR: 75, PLN: 400 } },
          '4/1': { revenue: 0, revenueByCurrency: { GBP: 50 } },
          '3/1': { revenue: 30, revenueByCurrency: { EUR: 30 } },
        },
        segments: {
          New: { revenue: 175, revenueByCurrency: { EUR: 75, PLN: 400 } },
          Promising: { revenue: 0, revenueByCurrency: { GBP: 50 } },
        },
      },
    },
    {
      what: 'a GBP rate too: everything converted, each rate with its day',
      put: { rates: { PLN: { rate: 0.25, date: '2026-05-01' }, GBP: { rate: 1.15, date: '2026-05-08' } } },
      note: {
        currency: 'EUR',
        rates: { GBP: { rate: 1.15, date: '2026-05-08' }, PLN: { rate: 0.25, date: '2026-05-01' } },
        unconverted: [],
      },
      overview: { revenue: 267.5, revenueByCurrency: { EUR: 110, GBP: 50, PLN: 400 } },
      conversions: { revenue: 237.5, revenueByCurrency: { EUR: 80, GBP: 50, PLN: 400 } },
      grid: {
        total: { revenue: 262.5, revenueByCurrency: { EUR: 105, GBP: 50, PLN: 400 } },
        cells: {
          '5/1': { revenue: 175, revenueByCurrency: { EUR: 75, PLN: 400 } },
          '4/1': { revenue: 57.5, revenueByCurrency: { GBP: 50 } },
          '3/1': { revenue: 30, revenueByCurrency: { EUR: 30 } },
        },
        segments: {
          New: { revenue: 175, revenueByCurrency: { EUR: 75, PLN: 400 } },
          Promising: { revenue: 57.5, revenueByCurrency: { GBP: 50 } },
        },
      },
    },
  ];

  for (const step of steps) {
    it(step.what, async () => {
      if (step.put) await admin('PUT', '/api/v1/settings/currency', step.put);

      const overview = await admin('GET', '/api/v1/stats/overview');
      assert.deepEqual([figure(overview), overview.money], [step.overview, step.note], 'Overview');

      const metrics = await admin('GET', '/api/v1/analytics/messages?from=2026-05-01&to=2026-05-10&by=journey');
      assert.deepEqual(
        metrics.rows.map((r: Figure & { key: string; conversions: number }) => [r.key, r.conversions, figure(r)]),
        [['spring', 3, step.conversions]],
        'metrics rows',
      );
      assert.deepEqual(
        [metrics.totals.conversions, figure(metrics.totals), metrics.money],
        [3, step.conversions, step.note],
        'metrics totals',
      );
      const days = await admin('GET', '/api/v1/analytics/messages?from=2026-05-01&to=2026-05-03');
      assert.deepEqual(
        days.rows.map((r: Figure) => figure(r)),
        [{ revenue: 0, revenueByCurrency: {} }, step.conversions, { revenue: 0, revenueByCurrency: {} }],
        'by day: the conversions on the day of the send',
      );

      const grid = await admin('GET', '/api/v1/rfm/grid');
      assert.deepEqual([figure(grid), grid.money], [step.grid.total, step.note], 'RFM grid');
      const cells = Object.fromEntries(
        grid.cells
          .filter((c: { customers: number }) => c.customers > 0)
          .map((c: Figure & { r: number; f: number }) => [`${c.r}/${c.f}`, figure(c)]),
      );
      assert.deepEqual(cells, step.grid.cells, 'RFM cells');
      const segments = Object.fromEntries(
        grid.segments
          .filter((x: { name: string }) => x.name in step.grid.segments)
          .map((x: Figure & { name: string }) => [x.name, figure(x)]),
      );
      assert.deepEqual(segments, step.grid.segments, 'RFM segments');
    });
  }

  it('a shop selling in one currency reports in it without being told, and the grid reads the same figures either way', async () => {
    const t = await anotherWorkspace(s.t, 'gbp-shop');
    const call = async (path: string) => (await s.call('GET', path, { key: t.workspace.adminKey })).body;
    await send(t.db, t.workspaceId, [
      order('ann', 'g-1', 40, 'GBP'),
      order('bob', 'g-2', 60, 'gbp'),
      adjust('ann', 'Order Refunded', 'g-ghost', 5),
    ]);
    const ids = await customers(t.db, t.workspaceId);
    await score(t.db, t.workspaceId, ids, [
      ['ann', 5, 1, 'New'],
      ['bob', 1, 1, 'Lost'],
    ]);
    assert.deepEqual(await call('/api/v1/settings/currency'), { base: 'GBP', rates: {}, source: 'orders' });
    const note = { currency: 'GBP', rates: {}, unconverted: [] };
    const overview = await call('/api/v1/stats/overview');
    assert.deepEqual([figure(overview), overview.money], [{ revenue: 100, revenueByCurrency: { GBP: 100 } }, note]);
    const cellsOf = (grid: { cells: (Figure & { r: number; f: number; customers: number })[] }) =>
      Object.fromEntries(grid.cells.filter((c) => c.customers > 0).map((c) => [`${c.r}/${c.f}`, figure(c)]));
    const single = await call('/api/v1/rfm/grid');
    assert.deepEqual(
      [cellsOf(single), single.money],
      [
        {
          '5/1': { revenue: 35, revenueByCurrency: { GBP: 35 } },
          '1/1': { revenue: 60, revenueByCurrency: { GBP: 60 } },
        },
        note,
      ],
    );

    // The base set to GBP, then an EUR order from a customer not scored: two currencies now, so the grid adds up the
    // orders (and the refund without its order, in the base) instead of reading revenue_net: the same figures.
    await s.call('PUT', '/api/v1/settings/currency', { key: t.workspace.adminKey, body: { base: 'GBP' } });
    await send(t.db, t.workspaceId, [order('cy', 'g-3', 10, 'EUR')]);
    const mixed = await call('/api/v1/rfm/grid');
    assert.deepEqual([cellsOf(mixed), mixed.money], [cellsOf(single), note]);
    assert.deepEqual((await call('/api/v1/stats/overview')).money, { ...note, unconverted: ['EUR'] });
  });

  it('the default currency of templates (the money filter) is the base currency', async () => {
    assert.equal((await getMessageDefaults(s.t.db, s.t.workspaceId)).currency, 'EUR');
  });

  it('migration 019 makes the currency an older version kept for templates the base currency, and removes it from there', async () => {
    const db = s.t.db;
    const old = (await createWorkspace(db, 'old')).id;
    const odd = (await createWorkspace(db, 'odd')).id;
    const legacy = (ws: string, messaging: object) =>
      db.query(`UPDATE workspaces SET settings = jsonb_set(settings, '{messaging}', $2::jsonb) WHERE id = $1`, [
        ws,
        JSON.stringify(messaging),
      ]);
    const kept = await db.query<{ workspace_id: string; base: string; rates: object }>(
      'SELECT workspace_id, base, rates FROM currency_settings',
    );
    await legacy(old, { defaultLocale: 'pl', currency: ' pln ' });
    await legacy(odd, { currency: 'złoty' });
    await db.query('DROP TABLE currency_settings');
    await db.query("DELETE FROM schema_migrations WHERE name LIKE '019_%'");
    await db.query('DROP INDEX orders_currency');
    assert.deepEqual((await migrate(db)).filter((f) => f.startsWith('019_')).length, 1);
    for (const k of kept)
      await db.query('INSERT INTO currency_settings (workspace_id, base, rates) VALUES ($1, $2, $3)', [
        k.workspace_id,
        k.base,
        JSON.stringify(k.rates),
      ]);

    assert.deepEqual((await db.query('SELECT base, rates FROM currency_settings WHERE workspace_id = $1', [old]))[0], {
      base: 'PLN',
      rates: {},
    });
    assert.equal((await getMessageDefaults(db, old)).currency, 'PLN');
    assert.equal((await getMessageDefaults(db, odd)).currency, 'USD', 'not a currency code: not moved, the default');
    const left = Object.fromEntries(
      (
        await db.query<{ id: string; messaging: object }>(
          "SELECT id, settings->'messaging' AS messaging FROM workspaces WHERE id = ANY($1)",
          [[old, odd]],
        )
      ).map((r) => [r.id, r.messaging]),
    );
    assert.deepEqual(left, { [old]: { defaultLocale: 'pl' }, [odd]: {} }, 'removed from the old place');
  });
});
