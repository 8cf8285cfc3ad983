// Property-based tests of POST /v1/batch (issue 11.5), with fast-check: random JSON mixed with good events, sent
// twice as an SDK retries. Whatever the junk, the server answers (never 500), and every good event is stored once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from './server.ts';

/** Characters that have broken parsers and stores before: NUL, lone surrogates, prototype keys, an emoji, escapes. */
const nasty = fc.constantFrom(
  '\u0000',
  '\ud800',
  '\udfff',
  '😀',
  '__proto__',
  'constructor',
  'prototype',
  '\\u0000',
  '"',
  '\n',
);
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: nasty },
);
const text = fc.string({ unit, maxLength: 20 });
const anyJson = fc.jsonValue({ stringUnit: unit, maxDepth: 4 });

/**
 * A chain of objects (or arrays) `levels` deep around a value (deeper ones: bad-input.test.ts; JSON.stringify here
 * recurses), built without recursion. It reports itself in short
 * (fast-check's own printing of a counterexample recurses).
 */
const deepChain = fc
  .record({ levels: fc.integer({ min: 60, max: 1_000 }), arrays: fc.boolean(), key: text, leaf: anyJson })
  .map(({ levels, arrays, key, leaf }) => {
    let v: unknown = leaf;
    for (let i = 0; i < levels; i++) v = arrays ? [v] : { [key]: v };
    Object.defineProperty(v, fc.toStringMethod, {
      value: () =>
        `<${levels} levels of ${arrays ? 'arrays' : `{${JSON.stringify(key)}: …}`} around ${fc.stringify(leaf)}>`,
    });
    return v;
  });

/** Prototype keys where a parser or a merge might take them for the prototype. */
const protoKeyed = fc
  .record({ key: fc.constantFrom('__proto__', 'constructor'), inner: anyJson })
  .map(
    ({ key, inner }) =>
      JSON.parse(`{${JSON.stringify(key)}:{"prototype":${JSON.stringify(inner) ?? 'null'},"x":1}}`) as unknown,
  );

const nastyValue = fc.oneof(anyJson, deepChain, protoKeyed, text);

/** Messages that look like Segment's but may be wrong in any field (or in several). */
const segmentish = fc.record(
  {
    type: fc.oneof(fc.constantFrom('track', 'identify', 'page', 'screen', 'group', 'alias'), text),
    userId: fc.oneof(text, fc.integer(), fc.constant(null), nastyValue),
    anonymousId: fc.oneof(text, nastyValue),
    event: fc.oneof(text, nastyValue),
    name: fc.oneof(text, nastyValue),
    messageId: fc.oneof(
      text.map((s) => `junk-${s}`),
      nastyValue,
    ),
    timestamp: fc.oneof(
      text,
      fc.integer(),
      fc.constant('+275760-09-13T00:00:00Z'),
      fc.constant('0000-01-01T00:00:00Z'),
    ),
    properties: nastyValue,
    traits: nastyValue,
    context: nastyValue,
    previousId: fc.oneof(text, nastyValue),
    groupId: fc.oneof(text, nastyValue),
  },
  { requiredKeys: [] },
);

const junk = fc.oneof(
  { weight: 1, arbitrary: anyJson },
  { weight: 3, arbitrary: segmentish },
  { weight: 1, arbitrary: deepChain },
);

/** Good track events: printable names and values; each gets a messageId unique to its run when sent. */
const safeText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
const goodEvent = fc.record({
  userId: safeText,
  event: fc.constantFrom('Product Viewed', 'Signed Up', 'Video Played', 'Button Clicked'),
  properties: fc.dictionary(
    fc
      .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 })
      .filter((k) => k !== '__proto__' && k !== 'constructor'),
    fc.oneof(fc.integer(), fc.boolean(), safeText, fc.constant(null)),
    { maxKeys: 4 },
  ),
});

describe(`POST /v1/batch under random input (${backend})`, () => {
  let s: Served;
  let run = 0;
  before(async () => (s = await serve()));
  after(async () => s.close());

  async function storedCounts(ids: string[]): Promise<Map<string, number>> {
    const rows = await s.t.db.query<{ message_id: string; n: number }>(
      'SELECT message_id, count(*)::int AS n FROM events WHERE workspace_id = $1 AND message_id = ANY($2) GROUP BY message_id',
      [s.t.workspaceId, ids],
    );
    return new Map(rows.map((r) => [r.message_id, r.n]));
  }

  it('never answers 500, and keeps every good event exactly once, also when the batch is sent again', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(junk, { maxLength: 8 }),
        fc.array(goodEvent, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat()),
        async (bad, good, order) => {
          run++;
          const goods = good.map((g, i) => ({ type: 'track', ...g, messageId: `good-${run}-${i}` }));
          // shuffle the good events in among the junk, by the generated order
          const batch: unknown[] = [...bad];
          goods.forEach((g, i) => batch.splice((order[i] ?? i) % (batch.length + 1), 0, g));
          const body = JSON.stringify({ batch });
          const goodIndexes = goods.map((g) => batch.indexOf(g));

          for (const attempt of [1, 2]) {
            const res = await s.call('POST', '/v1/batch', { key: s.serverKey, body });
            assert.equal(res.status, 200, `attempt ${attempt}: ${JSON.stringify(res.body).slice(0, 500)}`);
            const refused = new Set((res.body.rejected as { index: number }[]).map((r) => r.index));
            for (const i of goodIndexes)
              assert.ok(!refused.has(i), `good event ${i} refused: ${JSON.stringify(res.body.rejected)}`);
          }
          const counts = await storedCounts(goods.map((g) => g.messageId));
          for (const g of goods)
            assert.equal(counts.get(g.messageId), 1, `${g.messageId} stored ${counts.get(g.messageId) ?? 0} times`);
        },
      ),
      { numRuns: 40 },
    );
    assert.equal((await s.call('GET', '/health')).status, 200, 'the server is still up');
  });

  it('never answers 500 to a random JSON body, whatever its shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyJson,
          fc.record(
            { batch: fc.oneof(anyJson, fc.array(junk, { maxLength: 4 })), sentAt: nastyValue, context: nastyValue },
            { requiredKeys: ['batch'] },
          ),
        ),
        async (body) => {
          const res = await s.call('POST', '/v1/batch', { key: s.serverKey, body: JSON.stringify(body) ?? 'null' });
          assert.ok(
            res.status === 200 || res.status === 400,
            `${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
