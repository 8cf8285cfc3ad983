// The event log stores the same rows whether the transaction has COPY (ingest's path) or only plain queries (one INSERT).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { appendEvents } from '../../src/ingest/event-log.ts';
import { isRejection, normalizeMessage, type NormalizedEvent } from '../../src/ingest/normalize.ts';

const receivedAt = new Date('2026-03-02T10:00:00.000Z');

/** Messages with the values COPY's text format has to escape, lists, nulls and non-Latin text. */
const messages = (prefix: string) => [
  {
    type: 'track',
    userId: 'u1',
    event: 'Tab\there',
    messageId: `${prefix}-1`,
    properties: { note: 'line\nbreak\\slash\r', list: [1, 'двa', null] },
    timestamp: '2026-03-01T09:00:00Z',
  },
  {
    type: 'identify',
    anonymousId: 'a\\1',
    messageId: `${prefix}-2`,
    traits: { name: 'Zoë "Z"', plan: null },
    context: { ip: '203.0.113.9' },
    timestamp: '2026-03-01T09:00:01.5Z',
  },
  {
    type: 'page',
    userId: 'u2',
    name: 'Home',
    messageId: `${prefix}-3`,
    properties: {},
    timestamp: '2026-03-01T09:00:02Z',
  },
];

function normalized(prefix: string): NormalizedEvent[] {
  return messages(prefix).map((m, i) => {
    const e = normalizeMessage(m, i, { receivedAt });
    assert.ok(!isRejection(e), `message ${i} is valid`);
    return e;
  });
}

/** The stored rows of one way, with the message id prefix taken off so both ways compare equal. */
async function stored(t: TestDb, prefix: string) {
  const rows = await t.db.query<Record<string, unknown>>(
    `SELECT message_id, customer_id::text, type, name, user_id, anonymous_id, properties, traits, context, timestamp, received_at
       FROM events WHERE workspace_id = $1 AND message_id LIKE $2 ORDER BY message_id`,
    [t.workspaceId, `${prefix}-%`],
  );
  return rows.map((r): Record<string, unknown> => ({ ...r, message_id: String(r.message_id).slice(prefix.length) }));
}

describe(`event log, both ways of writing (${backend})`, () => {
  let t: TestDb;
  before(async () => {
    t = await freshDb();
  });
  after(() => t.close());

  it('COPY and the INSERT without COPY store the same rows', async () => {
    const owners = [null, null, null];
    await t.db.transaction((tx) => appendEvents(tx, t.workspaceId, normalized('copy'), owners));
    await t.db.transaction((tx) => appendEvents({ query: tx.query }, t.workspaceId, normalized('insert'), owners));
    const viaCopy = await stored(t, 'copy');
    assert.equal(viaCopy.length, 3);
    assert.deepEqual(await stored(t, 'insert'), viaCopy);
    assert.deepEqual(viaCopy[0]!.properties, { note: 'line\nbreak\\slash\r', list: [1, 'двa', null] });
    assert.equal(viaCopy[0]!.name, 'Tab\there');
    assert.equal(viaCopy[1]!.anonymous_id, 'a\\1');
    assert.deepEqual(viaCopy[1]!.traits, { name: 'Zoë "Z"', plan: null });
  });
});
