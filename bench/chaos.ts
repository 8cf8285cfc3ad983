// npm run chaos: the crash test with real processes (issue 11, point 1). On PostgreSQL (a fresh retain_chaos_<random>
// database on BENCH_DATABASE_URL, dropped afterwards), two `retain worker` processes drain an outbox of 300 consenting
// recipients into a local SMTP server that counts mails per recipient; one worker is killed with SIGKILL at random
// points (after a random number of further mails) and restarted, several times. Bounded (a time limit per scenario)
// and loopback only. Prints, per scenario: sent, delivered, duplicates, unknown, lost — exactly one mail per recipient
// except the unknown ones, which are at most kills × the SMTP connections in flight.
process.env.RETAIN_SECRET_KEY ??= 'retain-chaos-secret-key';
process.env.RETAIN_ALLOW_PRIVATE_HOSTS ??= '127.0.0.1';
const { randomBytes } = await import('node:crypto');
const { openDb } = await import('../src/store/db.ts');
const { migrate } = await import('../src/store/migrate.ts');
const { closeProviders } = await import('../src/channels/store.ts');
const { outboxShop } = await import('../test/helpers/outbox.ts');
const { smtpServer } = await import('../test/helpers/smtp.ts');
const { workerProcess, killProcess } = await import('../test/helpers/worker-process.ts');
type Worker = import('../test/helpers/worker-process.ts').WorkerProcess;

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PEOPLE = Number(process.env.CHAOS_PEOPLE ?? 300);
const KILLS = Number(process.env.CHAOS_KILLS ?? 5);
const LIMIT_MS = 180_000;
const SMTP_CONNECTIONS = 5;
const LEASE_S = 2;
const SEND_TIMEOUT_S = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scenario(name: string, perSecond: number | undefined) {
  const dbName = `retain_chaos_${randomBytes(6).toString('hex')}`;
  const root = await openDb({ url: ADMIN_URL, poolSize: 1 });
  await root.query(`CREATE DATABASE ${dbName}`);
  await root.close();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const db = await openDb({ url: url.toString(), poolSize: 2 });
  const smtp = await smtpServer();
  const workers: Worker[] = [];
  try {
    await migrate(db);
    const shop = await outboxShop(db, new Date(), { name, people: PEOPLE, smtpPort: smtp.port, perSecond });
    const mails = () => smtp.mails.length;
    workers.push(
      workerProcess(url.toString(), { leaseSeconds: LEASE_S, sendTimeoutSeconds: SEND_TIMEOUT_S }),
      workerProcess(url.toString(), { leaseSeconds: LEASE_S, sendTimeoutSeconds: SEND_TIMEOUT_S }),
    );
    while (!workers.every((w) => w.ready)) await sleep(50);
    const started = Date.now();
    await shop.intents();
    let kills = 0;
    for (; kills < KILLS; kills++) {
      // After a random number of further mails, a running worker, chosen at random, gets SIGKILL; a new one starts.
      const target = mails() + 3 + Math.floor(Math.random() * (PEOPLE / (KILLS * 2)));
      while ((mails() < target || !workers.some((w) => w.ready)) && mails() < PEOPLE && Date.now() - started < LIMIT_MS)
        await sleep(5);
      if (mails() >= PEOPLE) break;
      await sleep(Math.random() * 50);
      const running = workers.map((w, i) => (w.ready ? i : -1)).filter((i) => i >= 0);
      const victim = running[Math.floor(Math.random() * running.length)]!;
      await killProcess(workers[victim]!.child);
      workers[victim] = workerProcess(url.toString(), { leaseSeconds: LEASE_S, sendTimeoutSeconds: SEND_TIMEOUT_S });
    }
    // Done when nothing is pending, claimed or being sent (the workers' recovery settles a killed worker's sends).
    const open = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT ((SELECT count(*) FROM message_intents WHERE status IN ('pending', 'sending'))
             + (SELECT count(*) FROM messages WHERE status IN ('claimed', 'sending')))::int AS n`,
        )
      )[0]!.n;
    while ((await open()) > 0 && Date.now() - started < LIMIT_MS) await sleep(200);
    const seconds = (Date.now() - started) / 1000;
    const perRecipient = new Map<string, number>();
    for (const m of smtp.mails) perRecipient.set(m.to, (perRecipient.get(m.to) ?? 0) + 1);
    const rows = await db.query<{ address: string; status: string }>('SELECT address, status FROM messages');
    const unknown = new Set(rows.filter((r) => r.status === 'unknown').map((r) => r.address));
    const figures = {
      scenario: name,
      perSecond: perSecond ?? 'none',
      recipients: PEOPLE,
      kills,
      sent: rows.filter((r) => r.status === 'sent').length,
      delivered: perRecipient.size,
      duplicates: [...perRecipient.values()].filter((n) => n > 1).length,
      unknown: unknown.size,
      unknownDelivered: [...unknown].filter((a) => perRecipient.has(a)).length,
      lost: shop.addresses.filter((a) => !perRecipient.has(a) && !unknown.has(a)).length,
      bound: kills * SMTP_CONNECTIONS,
      open: await open(),
      seconds: Math.round(seconds),
    };
    console.log(JSON.stringify(figures));
    return figures;
  } finally {
    await Promise.all(workers.map((w) => killProcess(w.child)));
    await closeProviders();
    await smtp.close();
    await db.close();
    const r = await openDb({ url: ADMIN_URL, poolSize: 1 });
    await r.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await r.close();
  }
}

const results = [await scenario('limited', 15), await scenario('free', undefined)];
console.log(
  '\nscenario  perSecond  recipients  kills  sent  delivered  duplicates  unknown (delivered)  lost  bound  seconds',
);
for (const f of results) {
  console.log(
    [
      f.scenario.padEnd(9),
      String(f.perSecond).padEnd(9),
      String(f.recipients).padEnd(10),
      String(f.kills).padEnd(5),
      String(f.sent).padEnd(4),
      String(f.delivered).padEnd(9),
      String(f.duplicates).padEnd(10),
      `${f.unknown} (${f.unknownDelivered})`.padEnd(19),
      String(f.lost).padEnd(4),
      String(f.bound).padEnd(5),
      f.seconds,
    ].join('  '),
  );
}
const bad = results.filter((f) => f.duplicates > 0 || f.lost > 0 || f.unknown > f.bound || f.open > 0);
if (bad.length) {
  console.error(
    `chaos: ${bad.map((f) => f.scenario).join(', ')} broke the promise (duplicates, lost, unknown over the bound, or unfinished)`,
  );
  process.exit(1);
}
process.exit(0);
