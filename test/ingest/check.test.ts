// The fast checks never accept what the zod schemas refuse, and they do accept the messages real clients send.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { plainlyValid, plainlyValidBatch } from '../../src/ingest/check.ts';
import { batchSchema, messageSchemas, MESSAGE_TYPES, type MessageType } from '../../src/ingest/schema.ts';
import { batches, eventStream, prng } from '../../bench/workload.ts';

// Values of every kind a field may be given, the edges of the schemas' limits included.
const VALUES: unknown[] = [
  undefined,
  null,
  '',
  'a',
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(400),
  'x'.repeat(401),
  0,
  42,
  -1.5,
  Infinity,
  NaN,
  true,
  [],
  ['a'],
  {},
  { a: 1 },
  Object.create(null),
  new Date('2026-01-01T00:00:00Z'),
  '2026-05-01T10:00:00Z',
  '2026-05-01',
  'yesterday-ish',
  1_777_000_000_000,
  'Order Completed',
];
const FIELDS = [
  'messageId',
  'userId',
  'anonymousId',
  'context',
  'integrations',
  'timestamp',
  'originalTimestamp',
  'sentAt',
  'traits',
  'event',
  'properties',
  'name',
  'category',
  'groupId',
  'previousId',
];

describe('fast message checks against the zod schemas', () => {
  it('accept nothing that zod refuses (20,000 random messages of every type)', () => {
    const rnd = prng(7);
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const type = MESSAGE_TYPES[i % MESSAGE_TYPES.length]!;
      // Start from a valid message of the type, then give a few fields random values.
      const m: Record<string, unknown> = { userId: 'u1', event: 'Viewed', groupId: 'g1', previousId: 'p1' };
      for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++)
        m[FIELDS[Math.floor(rnd() * FIELDS.length)]!] = VALUES[Math.floor(rnd() * VALUES.length)];
      if (plainlyValid(type, m)) {
        accepted++;
        assert.ok(
          messageSchemas[type].safeParse(m).success,
          `${type} ${JSON.stringify(m)} passed the fast check but not zod`,
        );
      }
    }
    assert.ok(accepted > 2_000, `the fast path is taken for ordinary messages (${accepted})`);
  });

  const cases: [string, MessageType, Record<string, unknown>, boolean][] = [
    ['a track with a numeric user id', 'track', { userId: 7, event: 'x' }, true],
    ['a track without its event name', 'track', { userId: 'u', properties: {} }, false],
    ['an event name of 201 characters', 'track', { userId: 'u', event: 'e'.repeat(201) }, false],
    ['properties that are an array', 'track', { userId: 'u', event: 'x', properties: [1] }, false],
    ['a messageId of null (optional, not nullable)', 'identify', { userId: 'u', messageId: null }, false],
    ['an unreadable timestamp', 'page', { userId: 'u', timestamp: 'soon' }, false],
    ['an alias without userId', 'alias', { previousId: 'a' }, false],
    ['a group with a numeric group id', 'group', { userId: 'u', groupId: 5 }, true],
    ['a page without a name', 'page', { anonymousId: 'a', name: null, category: null }, true],
    ['context of a class instance', 'track', { userId: 'u', event: 'x', context: new Date() }, false],
  ];
  for (const [name, type, m, fast] of cases) {
    it(`${name} → ${fast ? 'fast path' : 'zod decides'}`, () => {
      assert.equal(plainlyValid(type, m), fast);
      if (fast) assert.ok(messageSchemas[type].safeParse(m).success);
    });
  }

  it('take the fast path for every message of the benchmark workload (analytics.js traffic)', () => {
    const [batch] = batches(eventStream({ seed: 1, prefix: 't' }), 2_000, 2_000);
    const slow = batch!.filter((m) => !plainlyValid(m.type as MessageType, JSON.parse(JSON.stringify(m))));
    assert.deepEqual(slow, []);
  });
});

describe('fast batch body check against the zod schema', () => {
  const cases: [string, unknown, boolean][] = [
    [
      'a batch of objects with sentAt and context',
      { batch: [{ type: 'track' }, {}], sentAt: '2026-05-01T10:00:00Z', context: { ip: '1.2.3.4' } },
      true,
    ],
    ['no batch', { events: [] }, false],
    ['a batch that is no array', { batch: 'all' }, false],
    ['an item that is no object (ingest refuses it alone, by index)', { batch: [{}, 'x', [1], null] }, true],
    ['a bad sentAt', { batch: [], sentAt: 'later' }, false],
    ['10,001 items', { batch: Array.from({ length: 10_001 }, () => ({})) }, false],
  ];
  for (const [name, body, fast] of cases) {
    it(`${name} → ${fast ? 'fast path' : 'zod decides'}`, () => {
      assert.equal(plainlyValidBatch(body), fast);
      if (fast) assert.ok(batchSchema.safeParse(body).success);
    });
  }
});
