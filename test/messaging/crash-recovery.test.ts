// A worker crash loses nothing that never left (issue 11, point 1). Two dispatcher workers drain an outbox of 320
// consenting recipients into a real SMTP server that counts mails per recipient; one worker is killed at random points
// several times (and restarted). Every recipient gets exactly one e-mail, except the messages reported 'unknown', which
// are at most kills × the provider's connections, each shown in the message log; every claimed message that never
// reached the provider is sent by the other (or the restarted) worker once its lease ends. Also: a claim whose lease
// ended cannot be handed off by its slow worker any more (fencing), and an interrupted cascade moves on correctly.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { outboxShop, type OutboxShop } from '../helpers/outbox.ts';
import { killableWorker, type KillableWorker } from '../helpers/killable-worker.ts';
import { killProcess, workerProcess } from '../helpers/worker-process.ts';
import { localServer, type LocalServer } from '../channels/servers.ts';
import { closeProviders } from '../../src/channels/store.ts';
import { recoverInterrupted } from '../../src/messaging/dispatch/recover.ts';
import { listMessages } from '../../src/messaging/metrics/list.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { applyReceipt } from '../../src/messaging/dispatch/receipts.ts';

const LEASE_MS = 2_000;
const SEND_TIMEOUT_MS = 60_000;
/** The SMTP provider's pool (smtp.ts default): the most messages one worker has handed off at once. */
const SMTP_CONNECTIONS = 5;
const killKind = () =>
  backend === 'postgres' ? '`retain worker` processes and SIGKILL' : 'one process: in-process kills';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded generator (mulberry32), so a failing run can be repeated from its seed. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`a worker crash loses nothing that never left (${backend})`, () => {
  let t: TestDb;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let gateway: LocalServer;
  let offset = 0;
  /** The workers' clock: real time, moved on by the test to let leases and send timeouts run out. */
  const clock = () => new Date(Date.now() + offset);
  before(async () => {
    t = await freshDb();
    smtp = await smtpServer();
    gateway = await localServer((req) => ({ body: { id: `sms-${req.json?.to}` } }));
  });
  after(async () => {
    await closeProviders();
    await smtp.close();
    await gateway.close();
    await t.close();
  });

  const count = (ws: string) =>
    t.db
      .query<{ n: number }>(
        `SELECT ((SELECT count(*) FROM message_intents WHERE workspace_id = $1 AND status = 'pending')
           + (SELECT count(*) FROM messages WHERE workspace_id = $1 AND status = 'claimed'))::int AS n`,
        [ws],
      )
      .then((r) => r[0]!.n);

  /** Two workers in this process; one is killed (see killable-worker.ts) three times, on the test's clock. */
  async function crashInProcess(name: string, perSecond: number | undefined, seed: number) {
    const random = seeded(seed);
    const s = await outboxShop(t.db, clock(), { name, people: 320, smtpPort: smtp.port, perSecond });
    await s.intents();
    const mailsOf = () => smtp.mails.filter((m) => m.to.startsWith(`${name}-`)).length;
    const errors: unknown[] = [];
    const start = () => killableWorker(t.db, clock, { leaseMs: LEASE_MS, onError: (e) => errors.push(e) });
    let a: KillableWorker = start();
    const b = start();
    const kills = 3;
    let returned = 0;
    for (let k = 0; k < kills; k++) {
      // Kill A at a random point of its work: after a random number of further mails (or a while, if B sends them all).
      const target = mailsOf() + 5 + Math.floor(random() * 60);
      for (let waited = 0; mailsOf() < target && waited < 3_000; waited += 2) await sleep(2);
      await sleep(random() * 20);
      a.kill();
      // Its claims run out: recovery gives back what it held and never handed off; B (and the new A) send them.
      offset += LEASE_MS + 1;
      returned += (await recoverInterrupted(t.db, clock(), SEND_TIMEOUT_MS)).returned;
      a = start();
    }
    // Drain: a claim the dead worker was committing when killed is given back when its own lease ends. The clock moves
    // on only when nothing moves (moving it while the live workers send would take their claims away from them too).
    let last = -1;
    for (let i = 0, still = 0; ; i++) {
      const left = await count(s.ws);
      if (left === 0) break;
      assert.ok(i < 1200, `the outbox never drained (seed ${seed})`);
      still = left === last ? still + 1 : 0;
      last = left;
      await sleep(50);
      if (still >= 10) {
        still = 0;
        offset += LEASE_MS + 1;
        returned += (await recoverInterrupted(t.db, clock(), SEND_TIMEOUT_MS)).returned;
      }
    }
    await Promise.all([a.stop(), b.stop()]);
    assert.deepEqual(errors, []);
    // What the killed workers had handed off and never marked is in doubt once the send timeout has passed.
    offset += SEND_TIMEOUT_MS + 1;
    await recoverInterrupted(t.db, clock(), SEND_TIMEOUT_MS);
    assert.ok(returned > 0, `the killed worker held claimed messages that were given back (seed ${seed})`);
    await verify(name, s, { seed, kills, returned });
  }

  /**
   * Two `retain worker` processes (PostgreSQL); a running one, at random, gets SIGKILL after a random number of further
   * mails, three times, and a new one starts. Real time: a 2 s lease, a 10 s send timeout, recovery every 5 s.
   */
  async function crashProcesses(name: string, perSecond: number | undefined, seed: number) {
    const random = seeded(seed);
    const s = await outboxShop(t.db, new Date(), { name, people: 320, smtpPort: smtp.port, perSecond });
    const mailsOf = () => smtp.mails.filter((m) => m.to.startsWith(`${name}-`)).length;
    const start = () => workerProcess(t.url!, { leaseSeconds: LEASE_MS / 1000, sendTimeoutSeconds: 10 });
    const workers = [start(), start()];
    try {
      for (let i = 0; !workers.every((w) => w.ready); i++) {
        assert.ok(i < 1200, 'the workers did not start within a minute');
        await sleep(50);
      }
      await s.intents();
      let kills = 0;
      for (; kills < 3; kills++) {
        const target = mailsOf() + 3 + Math.floor(random() * 50);
        for (let i = 0; (mailsOf() < target || !workers.some((w) => w.ready)) && mailsOf() < 320; i++) {
          assert.ok(i < 12_000, 'no progress for a minute');
          await sleep(5);
        }
        if (mailsOf() >= 320) break;
        await sleep(random() * 30);
        const running = workers.map((w, i) => (w.ready ? i : -1)).filter((i) => i >= 0);
        const victim = running[Math.floor(random() * running.length)]!;
        await killProcess(workers[victim]!.child);
        workers[victim] = start();
      }
      assert.ok(kills > 0, 'no worker was killed while they sent');
      // Done when nothing is pending, claimed or being sent: the workers' recovery gives back the killed ones'
      // claims after the lease, and settles their sends in doubt after the send timeout.
      for (let i = 0; ; i++) {
        const [open] = await t.db.query<{ n: number }>(
          `SELECT ((SELECT count(*) FROM message_intents WHERE workspace_id = $1 AND status IN ('pending', 'sending'))
                 + (SELECT count(*) FROM messages WHERE workspace_id = $1 AND status IN ('claimed', 'sending')))::int AS n`,
          [s.ws],
        );
        if (open!.n === 0) break;
        assert.ok(i < 1200, `the outbox never drained (seed ${seed})`);
        await sleep(100);
      }
      await verify(name, s, { seed, kills });
    } finally {
      await Promise.all(workers.map((w) => killProcess(w.child)));
    }
  }

  /** Exactly one mail per recipient, except the messages in doubt: at most kills × connections, each in the message log. */
  async function verify(name: string, s: OutboxShop, run: { seed: number; kills: number; returned?: number }) {
    const kills = run.kills;
    const mailsOf = () => smtp.mails.filter((m) => m.to.startsWith(`${name}-`)).length;
    const perRecipient = new Map<string, number>();
    for (const m of smtp.mails)
      if (m.to.startsWith(`${name}-`)) perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
    const rows = await t.db.query<{ address: string; status: string }>(
      'SELECT address, status FROM messages WHERE workspace_id = $1',
      [s.ws],
    );
    const unknown = new Set(rows.filter((r) => r.status === 'unknown').map((r) => r.address));
    const figures = { ...run, unknown: unknown.size, mails: mailsOf() };
    assert.deepEqual(
      [...new Set(rows.map((r) => r.status))].filter((x) => x !== 'sent' && x !== 'unknown'),
      [],
      JSON.stringify(figures),
    );
    assert.equal(rows.length, 320, 'one message per recipient');
    for (const address of s.addresses) {
      const n = perRecipient.get(address) ?? 0;
      if (unknown.has(address))
        assert.ok(n <= 1, `${address} is unknown and got ${n} mails (${JSON.stringify(figures)})`);
      else assert.equal(n, 1, `${address} got ${n} mails (${JSON.stringify(figures)})`);
    }
    assert.ok(
      unknown.size <= kills * SMTP_CONNECTIONS,
      `in doubt ${unknown.size} > ${kills} kills × ${SMTP_CONNECTIONS} connections (${JSON.stringify(figures)})`,
    );
    const intents = await t.db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM message_intents WHERE workspace_id = $1 GROUP BY status ORDER BY status',
      [s.ws],
    );
    assert.deepEqual(
      intents,
      [
        { status: 'sent', n: 320 - unknown.size },
        ...(unknown.size ? [{ status: 'unknown', n: unknown.size }] : []),
      ].sort((x, y) => x.status.localeCompare(y.status)),
    );
    // The message log shows each of them as in doubt, with why.
    const log = await listMessages(t.db, s.ws, { status: 'unknown', limit: 100 });
    assert.equal(log.messages.length, unknown.size);
    for (const m of log.messages) assert.match(m.error ?? '', /may have been delivered, so it is not sent again/);
  }

  it('no rate limit: killed three times mid-batch, every recipient gets one e-mail except the few in doubt', async () => {
    await crashInProcess('free', undefined, Date.now() % 100_000);
  });

  it('a rate limit (100 a second, counted across workers): the claims waiting for a slot are sent by the other worker', async () => {
    await crashInProcess('limited', 100, Date.now() % 100_000);
  });

  it(`real processes (${killKind()}): two workers, a running one killed at random three times — one e-mail each except those in doubt`, async () => {
    // PGlite is one process by nature: there the two workers are in this process, killed as above.
    if (t.url) await crashProcesses('procs', 50, Date.now() % 100_000);
    else await crashInProcess('procs', 50, Date.now() % 100_000);
  });

  it('a slow worker whose lease ended cannot hand off its claim any more: another worker sent it, once', async () => {
    const s = await outboxShop(t.db, clock(), { name: 'slow', people: 30, smtpPort: smtp.port, perSecond: 10 });
    await s.intents({ purpose: 'transactional' });
    // A claims all 30 (ten a second: 20 at a time, two seconds' worth) and is frozen after its first sends.
    const a = killableWorker(t.db, clock, { leaseMs: LEASE_MS });
    for (let i = 0; smtp.mails.filter((m) => m.to.startsWith('slow-')).length < 3; i++) {
      assert.ok(i < 2_000, 'A never started sending');
      await sleep(2);
    }
    a.kill();
    offset += LEASE_MS + 1;
    const r = await recoverInterrupted(t.db, clock(), SEND_TIMEOUT_MS);
    assert.ok(r.returned > 0, 'A still held claims');
    const b = killableWorker(t.db, clock, { leaseMs: LEASE_MS });
    for (let i = 0; (await count(s.ws)) > 0; i++) {
      assert.ok(i < 400, 'the outbox never drained');
      await sleep(25);
    }
    await b.stop();
    offset += SEND_TIMEOUT_MS + 1;
    await recoverInterrupted(t.db, clock(), SEND_TIMEOUT_MS);
    const counts = new Map<string, number>();
    for (const m of smtp.mails) if (m.to.startsWith('slow-')) counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
    const unknown = (
      await t.db.query<{ address: string }>(
        "SELECT address FROM messages WHERE workspace_id = $1 AND status = 'unknown'",
        [s.ws],
      )
    ).map((m) => m.address);
    assert.ok(unknown.length <= SMTP_CONNECTIONS);
    for (const address of s.addresses)
      assert.equal(counts.get(address) ?? 0, unknown.includes(address) ? (counts.get(address) ?? 0) : 1, address);
    assert.ok([...counts.values()].every((n) => n === 1));
  });

  it('an interrupted cascade: a claim given back is tried again on the same channel; a send in doubt waits for the step, then the next channel', async () => {
    const s = await outboxShop(t.db, clock(), {
      name: 'cascade',
      people: 2,
      smtpPort: smtp.port,
      sms: { url: gateway.url },
    });
    const cascade = {
      cascade: [
        { channel: 'email', timeout: 'PT1H' },
        { channel: 'sms', timeout: 'PT1H' },
      ],
    };
    await s.intents({ channel: cascade, purpose: 'transactional' });
    // Claimed and never handed off (the round fails where a kill would stop it), later handed off and never marked.
    const hold = {
      providers: configuredProviders(),
      renderer: templateRenderer,
      baseUrl: 'http://retain.test',
      leaseMs: LEASE_MS,
    };
    await t.db.query(
      `CREATE FUNCTION freeze_hand_off() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.status = 'sending' THEN RAISE EXCEPTION 'killed before the hand-off'; END IF; RETURN NEW; END $$`,
    );
    await t.db.query(
      'CREATE TRIGGER freeze_hand_off BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION freeze_hand_off()',
    );
    try {
      await assert.rejects(() => dispatchDue(t.db, clock(), hold), /killed before the hand-off/);
    } finally {
      await t.db.query('DROP TRIGGER freeze_hand_off ON messages');
      await t.db.query('DROP FUNCTION freeze_hand_off()');
    }
    const mailsOf = () =>
      smtp.mails
        .filter((m) => m.to.startsWith('cascade-'))
        .map((m) => m.to)
        .sort();
    assert.deepEqual(mailsOf(), [], 'nothing left');
    const statuses = () =>
      t.db.query<{ channel: string; status: string }>(
        'SELECT channel, status FROM messages WHERE workspace_id = $1 ORDER BY customer_id, id',
        [s.ws],
      );
    assert.deepEqual(
      (await statuses()).map((m) => m.status),
      ['claimed', 'claimed'],
    );
    offset += LEASE_MS + 1;
    assert.equal((await recoverInterrupted(t.db, clock(), SEND_TIMEOUT_MS)).returned, 2);
    // Given back, both go by e-mail (the same step); the first one's answer is lost: it is handed off and never marked.
    await t.db.query(
      `CREATE FUNCTION lose_answer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.status = 'sent' AND NEW.address = 'cascade-0@example.com' THEN RAISE EXCEPTION 'killed before the mark'; END IF; RETURN NEW; END $$`,
    );
    await t.db.query(
      'CREATE TRIGGER lose_answer BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION lose_answer()',
    );
    try {
      await dispatchDue(t.db, clock(), { ...hold, limit: 1 }).catch(() => undefined);
    } finally {
      await t.db.query('DROP TRIGGER lose_answer ON messages');
      await t.db.query('DROP FUNCTION lose_answer()');
    }
    const second = await dispatchDue(t.db, clock(), hold);
    assert.deepEqual(
      mailsOf(),
      ['cascade-0@example.com', 'cascade-1@example.com'],
      JSON.stringify([
        second,
        await t.db.query(
          'SELECT status, not_before, reason, reason_detail FROM message_intents WHERE workspace_id = $1',
          [s.ws],
        ),
      ]),
    );
    assert.deepEqual(
      (await statuses()).map((m) => `${m.channel} ${m.status}`),
      ['email sending', 'email sent'],
    );
    offset += SEND_TIMEOUT_MS + 1;
    assert.equal((await recoverInterrupted(t.db, clock(), SEND_TIMEOUT_MS)).unknown, 1);
    // In doubt: the cascade waits for its step (an hour) for a delivery report, then tries the SMS; the e-mail is not sent again.
    assert.equal((await dispatchDue(t.db, clock(), hold)).claimed, 0);
    // The other e-mail's delivery report stops its cascade.
    const [delivered] = await t.db.query<{ provider_message_id: string }>(
      "SELECT provider_message_id FROM messages WHERE workspace_id = $1 AND status = 'sent'",
      [s.ws],
    );
    await applyReceipt(t.db, s.ws, {
      providerMessageId: delivered!.provider_message_id,
      status: 'delivered',
      at: clock(),
    });
    offset += 3_600_000 + 1;
    const r = await dispatchDue(t.db, clock(), hold);
    assert.equal(r.sent, 1);
    assert.deepEqual(
      gateway.seen.map((x) => x.json.to),
      ['+48600000000'],
    );
    assert.deepEqual(mailsOf(), ['cascade-0@example.com', 'cascade-1@example.com'], 'no e-mail again');
    assert.deepEqual(
      (await statuses()).map((m) => `${m.channel} ${m.status}`),
      ['email unknown', 'sms sent', 'email delivered'],
    );
  });
});
