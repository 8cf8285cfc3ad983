// Bad input never loses good input (issue 11.5): messages nested thousands of levels deep are refused by field while
// their batch's good events are stored, and a NUL or a too-deep body in admin input is a 400 naming the field.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from './server.ts';
import { MAX_DEPTH } from '../../src/ingest/shape.ts';

/** JSON text of `{"a":{"a":…1…}}` with `levels` objects. */
const nestedText = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
/** The same as a value (built without recursion). */
function nested(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

async function storedIds(s: Served): Promise<string[]> {
  const rows = await s.t.db.query<{ message_id: string }>(
    'SELECT message_id FROM events WHERE workspace_id = $1 ORDER BY message_id',
    [s.t.workspaceId],
  );
  return rows.map((r) => r.message_id);
}

describe(`deeply nested messages (${backend})`, () => {
  let s: Served;
  before(async () => (s = await serve()));
  after(async () => s.close());

  for (const levels of [5_000, 100_000]) {
    it(`a batch holding a message nested ${levels.toLocaleString('en')} levels deep stores its good events and names the bad one's field`, async () => {
      const deep = `{"type":"track","userId":"u-deep","event":"Deep","messageId":"deep-${levels}","properties":${nestedText(levels)}}`;
      const good = (n: number) =>
        JSON.stringify({ type: 'track', userId: 'u-1', event: 'Good', messageId: `good-${levels}-${n}` });
      const body = `{"batch":[${good(1)},${deep},${good(2)}]}`;
      const res = await s.call('POST', '/v1/batch', { key: s.serverKey, body });
      assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
      assert.equal(res.body.accepted, 2);
      assert.equal(res.body.rejected.length, 1);
      assert.equal(res.body.rejected[0].index, 1);
      assert.match(res.body.rejected[0].field, /^properties\.a\.a\./);
      assert.match(res.body.rejected[0].reason, /more than 64 levels/);
      const ids = await storedIds(s);
      assert.ok(ids.includes(`good-${levels}-1`) && ids.includes(`good-${levels}-2`));
      assert.ok(!ids.includes(`deep-${levels}`));
    });

    it(`POST /v1/track with a message nested ${levels.toLocaleString('en')} levels deep is a 400 naming the field`, async () => {
      const body = `{"userId":"u-deep","event":"Deep","traits":{},"properties":${nestedText(levels)}}`;
      const res = await s.call('POST', '/v1/track', { key: s.serverKey, body });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'invalid_event');
      assert.match(res.body.rejected[0].field, /^properties\.a\./);
    });
  }

  it('a gzipped batch that inflates to 600,000 levels (under the body limit) keeps its good event; one over the limit is a 413', async () => {
    const deep = `{"type":"track","userId":"u-deep","event":"Deep","messageId":"gz-deep","properties":${nestedText(600_000)}}`;
    const body = `{"batch":[{"type":"track","userId":"u-1","event":"Good","messageId":"gz-good"},${deep}]}`;
    const res = await s.call('POST', '/v1/batch', { key: s.serverKey, body, gzip: true });
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
    assert.deepEqual([res.body.accepted, res.body.rejected[0]?.index], [1, 1]);
    assert.ok((await storedIds(s)).includes('gz-good'));
    const over = await s.call('POST', '/v1/batch', {
      key: s.serverKey,
      body: `{"batch":[${nestedText(800_000)}]}`,
      gzip: true,
    });
    assert.equal(over.status, 413);
  });

  it(`a message may nest ${MAX_DEPTH} levels (itself the first), not one more`, async () => {
    // the message is level 1 and properties level 2: properties made of MAX_DEPTH - 1 objects reach the limit exactly
    const atLimit = {
      type: 'track',
      userId: 'u-1',
      event: 'Limit',
      messageId: 'at-limit',
      properties: nested(MAX_DEPTH - 1),
    };
    const over = {
      type: 'track',
      userId: 'u-1',
      event: 'Limit',
      messageId: 'over-limit',
      properties: nested(MAX_DEPTH),
    };
    const res = await s.call('POST', '/v1/batch', { key: s.serverKey, body: { batch: [atLimit, over] } });
    assert.equal(res.status, 200);
    assert.equal(res.body.accepted, 1);
    assert.deepEqual(
      res.body.rejected.map((r: { index: number }) => r.index),
      [1],
    );
    assert.equal(res.body.rejected[0].field, ['properties', ...Array(MAX_DEPTH - 1).fill('a')].join('.'));
  });

  it('a batch whose own context nests too deeply is refused whole, naming the field (it is merged into every message)', async () => {
    const body = `{"batch":[{"type":"track","userId":"u-1","event":"Good","messageId":"ctx-good"}],"context":${nestedText(5_000)}}`;
    const res = await s.call('POST', '/v1/batch', { key: s.serverKey, body });
    assert.equal(res.status, 400);
    assert.match(res.body.details.field, /^context\.a\.a/);
    assert.ok(!(await storedIds(s)).includes('ctx-good'));
  });

  it('items that are not messages at all (an array, a number, null) are refused alone, by index', async () => {
    const body =
      '{"batch":[[{"type":"track"}],{"type":"track","userId":"u-1","event":"Good","messageId":"item-good"},7,null,"track"]}';
    const res = await s.call('POST', '/v1/batch', { key: s.serverKey, body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.accepted, 1);
    assert.deepEqual(
      res.body.rejected.map((r: { index: number }) => r.index),
      [0, 2, 3, 4],
    );
    assert.ok((await storedIds(s)).includes('item-good'));
  });

  it('a message with a "__proto__" key is refused by field; the rest of its batch is stored and no prototype changes', async () => {
    const body =
      '{"batch":[{"type":"track","userId":"u-1","event":"Good","messageId":"proto-good"},' +
      '{"type":"identify","userId":"u-2","messageId":"proto-bad","traits":{"plan":"gold","__proto__":{"isAdmin":true}}},' +
      '{"type":"track","userId":"u-3","event":"Also bad","messageId":"ctor-bad","properties":{"constructor":{"prototype":{"x":1}}}}]}';
    const res = await s.call('POST', '/v1/batch', { key: s.serverKey, body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.accepted, 1);
    assert.deepEqual(
      res.body.rejected.map((r: { index: number; field: string }) => [r.index, r.field]),
      [
        [1, 'traits.__proto__'],
        [2, 'properties.constructor'],
      ],
    );
    assert.ok((await storedIds(s)).includes('proto-good'));
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
  });

  it('an admin body nested 100,000 levels deep is a 400 naming the field, and the server still answers', async () => {
    const body = `{"name":"Deep","definition":{"and":[${'{"and":['.repeat(100_000)}${']}'.repeat(100_000)}]}}`;
    const res = await s.call('POST', '/api/v1/segments', { key: s.adminKey, body });
    assert.equal(res.status, 400, JSON.stringify(res.body).slice(0, 300));
    assert.equal(res.body.error, 'invalid_request');
    assert.match(res.body.details.field, /^definition\.and\.0\.and\.0\./);
    assert.equal((await s.call('GET', '/health')).status, 200);
  });
});

describe(`the NUL character in admin input (${backend})`, () => {
  let s: Served;
  before(async () => (s = await serve()));
  after(async () => s.close());
  const admin = (method: string, path: string, body?: unknown) => s.call(method, path, { key: s.adminKey, body });

  const cases: [string, string, string, unknown, string][] = [
    ['customer search', 'GET', '/api/v1/customers?q=a%00b', undefined, 'q'],
    ['a customer id in the path', 'GET', '/api/v1/customers/u%001', undefined, 'id'],
    [
      'a segment name',
      'POST',
      '/api/v1/segments',
      { name: 'Gold\u0000', definition: { trait: 'plan', op: 'equals', value: 'gold' } },
      'name',
    ],
    [
      'a value in a segment definition',
      'POST',
      '/api/v1/segments',
      { name: 'Gold', definition: { and: [{ trait: 'plan', op: 'equals', value: 'go\u0000ld' }] } },
      'definition.and.0.value',
    ],
    [
      'a key in a segment definition',
      'POST',
      '/api/v1/segments',
      { name: 'Gold', definition: { 'tr\u0000ait': 'plan' } },
      'definition.tr\\u0000ait',
    ],
    [
      'a template name',
      'POST',
      '/api/v1/templates',
      {
        id: 'nul',
        name: 'Cart\u0000',
        defaultLocale: 'en',
        content: { en: { email: { subject: 'Hi', html: '<p>x</p>' } } },
      },
      'name',
    ],
    [
      'a journey name',
      'POST',
      '/api/v1/journeys',
      { name: 'Journey\u0000', definition: { trigger: { event: 'x' }, steps: [] } },
      'name',
    ],
    ['a topic name', 'POST', '/api/v1/topics', { id: 'news', name: 'News\u0000' }, 'name'],
  ];
  for (const [what, method, path, body, field] of cases) {
    it(`${what}: 400 naming ${field}`, async () => {
      const res = await admin(method, path, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error, 'invalid_request');
      assert.equal(res.body.details.field, field);
      assert.match(res.body.message, /U\+0000/);
    });
  }

  it('the same requests without the NUL are not refused by the guard', async () => {
    assert.equal((await admin('GET', '/api/v1/customers?q=ab')).status, 200);
    assert.equal(
      (
        await admin('POST', '/api/v1/segments', {
          name: 'Gold',
          definition: { trait: 'plan', op: 'equals', value: 'gold' },
        })
      ).status,
      201,
    );
  });

  it('a NUL in one ingested message still refuses only that message (ingest checks each message itself)', async () => {
    const res = await s.call('POST', '/v1/batch', {
      key: s.serverKey,
      body: {
        batch: [
          { type: 'track', userId: 'u-1', event: 'Fine', messageId: 'nul-good' },
          { type: 'track', userId: 'u-1', event: 'Bad\u0000', messageId: 'nul-bad' },
        ],
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.accepted, 1);
    assert.deepEqual(
      res.body.rejected.map((r: { field: string }) => r.field),
      ['event'],
    );
  });
});
