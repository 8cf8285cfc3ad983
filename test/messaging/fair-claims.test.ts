// Claims are fair across workspaces (issue 11, point 2): one dispatch round gives every workspace with due messages its
// share, so a workspace's backlog does not hold up another's messages; within a workspace transactional messages go
// before marketing ones; and a rate-limited (slow) channel's messages are claimed only as many as it takes in a couple
// of seconds, so they do not hold up the round for the other workspaces.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { outboxShop } from '../helpers/outbox.ts';
import { closeProviders } from '../../src/channels/store.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { CLAIM_AHEAD_SECONDS } from '../../src/messaging/dispatch/claim.ts';

describe(`claims are fair across workspaces (${backend})`, () => {
  let t: TestDb;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  before(async () => {
    t = await freshDb();
    smtp = await smtpServer();
  });
  after(async () => {
    await closeProviders();
    await smtp.close();
    await t.close();
  });
  const NOW = new Date('2026-06-01T10:00:00Z');
  const round = (limit = 100) =>
    dispatchDue(t.db, NOW, {
      providers: configuredProviders(),
      renderer: templateRenderer,
      baseUrl: 'http://retain.test',
      limit,
    });
  const mailsTo = (name: string) => smtp.mails.filter((m) => m.to.startsWith(`${name}-`)).map((m) => m.to);
  const drain = async () => {
    while ((await round()).claimed > 0);
  };

  it("a workspace with a backlog of 300 does not hold up another workspace's 3 messages written after it", async () => {
    const big = await outboxShop(t.db, NOW, { name: 'big', people: 300, smtpPort: smtp.port });
    const small = await outboxShop(t.db, NOW, { name: 'small', people: 3, smtpPort: smtp.port });
    await big.intents();
    await small.intents();
    const r = await round(100);
    assert.equal(mailsTo('small').length, 3, "the small workspace's messages went in the first round");
    assert.equal(mailsTo('big').length, r.sent - 3, 'the rest of the round went to the backlog');
    assert.ok(mailsTo('big').length >= 50, 'the backlog got its share too');
    await drain();
    assert.equal(mailsTo('big').length, 300);
  });

  it('within a workspace, transactional messages go before its marketing backlog', async () => {
    const shop = await outboxShop(t.db, NOW, { name: 'mixed', people: 150, smtpPort: smtp.port });
    await shop.intents({ purpose: 'marketing', prefix: 'news' });
    await shop.intents({ purpose: 'transactional', prefix: 'receipt', only: [148, 149] });
    await round(10);
    const first = await t.db.query<{ message_key: string; purpose: string }>(
      "SELECT message_key, purpose FROM messages WHERE workspace_id = $1 AND status = 'sent' ORDER BY id",
      [shop.ws],
    );
    assert.equal(first.length, 10);
    assert.deepEqual(
      first.slice(0, 2).map((m) => m.purpose),
      ['transactional', 'transactional'],
    );
    await drain();
    assert.equal(mailsTo('mixed').length, 152);
  });

  it("a rate-limited workspace (1 a second) has only a couple of seconds' worth claimed; the other workspace's messages all go in the same round", async () => {
    const slow = await outboxShop(t.db, NOW, { name: 'slow', people: 40, smtpPort: smtp.port, perSecond: 1 });
    const quick = await outboxShop(t.db, NOW, { name: 'quick', people: 20, smtpPort: smtp.port });
    await slow.intents({ purpose: 'transactional' });
    await quick.intents({ purpose: 'marketing' });
    const r = await round(100);
    assert.equal(mailsTo('quick').length, 20, "all of the quick workspace's messages in the first round");
    assert.equal(
      mailsTo('slow').length,
      1 * CLAIM_AHEAD_SECONDS,
      "the slow channel's share of the round: what it takes in CLAIM_AHEAD_SECONDS",
    );
    assert.equal(r.sent, 20 + CLAIM_AHEAD_SECONDS);
    const [left] = await t.db.query<{ pending: number; rows: number }>(
      `SELECT (SELECT count(*) FROM message_intents WHERE workspace_id = $1 AND status = 'pending')::int AS pending,
              (SELECT count(*) FROM messages WHERE workspace_id = $1)::int AS rows`,
      [slow.ws],
    );
    assert.deepEqual(
      left,
      { pending: 40 - CLAIM_AHEAD_SECONDS, rows: CLAIM_AHEAD_SECONDS },
      'the rest stays in the outbox, untouched',
    );
  });
});
