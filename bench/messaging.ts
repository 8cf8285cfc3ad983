// Benchmark: e-mails per second through the whole send path — outbox claim, gate (consent, suppression, caps, quiet
// hours), template render (Liquid + MJML, cached per template version), SMTP hand-over to a local smtp-server, and the
// marking of every message — against raw nodemailer sending the same rendered mail to the same server in the same run.
// 2 dispatcher loops (one per core). N marketing e-mails to N consenting customers (BENCH_SCALE × 5,000 on PostgreSQL,
// × 2,000 on PGlite). Every intent must end sent, with one mail received each, or the job reports FAILED.
import nodemailer from 'nodemailer';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freshBenchDb, type Backend } from './backend.ts';
import { argValue, emit, scale } from './job.ts';
import { rssSampler } from './timing.ts';
import { createTemplate } from '../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../src/channels/store.ts';
import { putGateSettings } from '../src/consent/store.ts';
import { putJourneySettings } from '../src/journeys/index.ts';
import { dispatchDue } from '../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../src/messaging/dispatch/adapters.ts';

const backend = (argValue('backend') ?? 'pglite') as Backend;
const N = Math.round((backend === 'postgres' ? 5_000 : 2_000) * scale());
const log = (msg: string) => process.stderr.write(msg + '\n');
const MJML = `<mjml><mj-body><mj-section><mj-column>
  <mj-text font-size="20px">Hello {{ customer.first_name }},</mj-text>
  <mj-text>{% for p in params.products %}{{ p.name }}: {{ p.price | money: 'EUR' }}<br/>{% endfor %}</mj-text>
  <mj-button href="https://shop.example/cart">Back to your cart</mj-button>
  <mj-text font-size="11px"><a href="{% unsubscribe_url %}">Unsubscribe</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

/** The SMTP server runs in its own process (bench/smtp-sink.ts), as a real mail server would. */
async function startSink() {
  const child = fork(fileURLToPath(new URL('./smtp-sink.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((r) => child.once('message', (m: { port: number }) => r(m.port)));
  const count = () => new Promise<number>((r) => {
    child.once('message', (m: { received: number }) => r(m.received));
    child.send('count');
  });
  return { port, count, stop: () => child.send('stop') };
}

async function main() {
  const sink = await startSink();
  const port = sink.port;
  const b = await freshBenchDb(backend, { poolSize: 6 });
  const { db } = b;
  const ws = b.workspace.id;
  const problems: string[] = [];
  try {
    await putJourneySettings(db, ws, { share: 0 });
    await putGateSettings(db, ws, { quietHours: null, caps: { all: { perDay: 1000, perWeek: 7000 } } });
    await saveChannel(db, ws, 'email', { provider: 'smtp', config: { host: '127.0.0.1', port, secure: false, from: 'Shop <shop@example.com>', pool: { maxConnections: 5, maxMessages: 100_000 } } });
    await createTemplate(db, ws, { id: 'cart', name: 'Cart', defaultLocale: 'en', content: { en: { email: { subject: 'Your cart, {{ customer.first_name }}', mjml: MJML } } } });
    await db.query(`INSERT INTO customers (workspace_id, id, user_id, email, traits) SELECT $1, g, 'u' || g, 'u' || g || '@example.com', jsonb_build_object('first_name', 'Customer ' || g) FROM generate_series(1, $2::int) g`, [ws, N]);
    await db.query(`INSERT INTO consents (workspace_id, customer_id, channel, purpose, granted, source, at) SELECT $1, g, 'email', 'marketing', true, 'import', now() - interval '1 day' FROM generate_series(1, $2::int) g`, [ws, N]);
    const params = JSON.stringify({ products: [{ name: 'Kettle', price: 39.9 }, { name: 'Filter', price: 9.5 }] });
    await db.query(
      `INSERT INTO message_intents (workspace_id, message_key, customer_id, purpose, template, channel, params, created_at)
       SELECT $1, 'bench:' || g, g, 'marketing', 'cart', '{"fixed":"email"}', $3::jsonb, now() FROM generate_series(1, $2::int) g`,
      [ws, N, params],
    );
    await db.query('ANALYZE');

    // (a) the product's path
    const mem = rssSampler();
    const opts = { providers: configuredProviders(), renderer: templateRenderer, baseUrl: 'https://retain.example', limit: 200 };
    let sent = 0;
    const t0 = performance.now();
    await Promise.all([0, 1].map(async () => {
      for (;;) {
        const r = await dispatchDue(db, new Date(), opts);
        sent += r.sent;
        if (r.claimed === 0) break;
      }
    }));
    const productS = (performance.now() - t0) / 1000;
    const memory = mem.stop();
    const [state] = await db.query<{ sent: number; other: number }>(
      "SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status <> 'sent')::int AS other FROM message_intents WHERE workspace_id = $1", [ws]);
    const received = await sink.count();
    if (state!.sent !== N || sent !== N || received !== N) problems.push(`product path: ${JSON.stringify({ ...state, sentByDispatch: sent, received })}`);
    log(`(a) ${N} e-mails in ${productS.toFixed(1)} s`);

    // (b) raw nodemailer, the same rendered mail (as the product rendered it for customer 1), the same server, 5 pooled connections
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 5, maxMessages: 100_000 });
    const [c1] = await db.query<Record<string, unknown>>("SELECT c.*, c.id::text AS id FROM customers c WHERE workspace_id = $1 AND id = 1", [ws]);
    const [i1] = await db.query<Record<string, unknown>>("SELECT id::text, workspace_id, message_key, customer_id::text, template, channel, params, context, purpose FROM message_intents WHERE workspace_id = $1 AND customer_id = 1", [ws]);
    const rendered = await db.transaction((tx) => templateRenderer.render(tx, i1 as never, c1!, ['email'], { unsubscribe: 'https://retain.example/c/unsubscribe?t=x', preferences: 'https://retain.example/c/preferences?t=x' }, new Date()));
    if (!rendered.ok) throw new Error(rendered.error);
    const mail = (rendered.content.email as { email: { subject: string; html: string; text: string } }).email;
    const before = await sink.count();
    const t1 = performance.now();
    const CHUNK = 200;
    for (let i = 0; i < N; i += CHUNK) {
      await Promise.all(Array.from({ length: Math.min(CHUNK, N - i) }, (_, j) => transport.sendMail({
        from: 'Shop <shop@example.com>', to: `u${i + j + 1}@example.com`, subject: mail.subject, html: mail.html, text: mail.text,
      })));
    }
    const rawS = (performance.now() - t1) / 1000;
    transport.close();
    const afterRaw = await sink.count();
    if (afterRaw - before !== N) problems.push(`raw nodemailer: ${afterRaw - before} of ${N} received`);
    const productPerS = Math.round(N / productS);
    const rawPerS = Math.round(N / rawS);
    emit({
      backend, ok: problems.length === 0, problems, emails: N, loops: 2, productSeconds: +productS.toFixed(2), productPerSecond: productPerS,
      rawSeconds: +rawS.toFixed(2), rawPerSecond: rawPerS, ratio: +(productPerS / rawPerS).toFixed(2), memory, serverVersion: b.serverVersion,
    });
  } finally {
    await closeProviders();
    await b.close();
    sink.stop();
  }
}

main().catch((err) => {
  emit({ backend, ok: false, problems: [String(err?.stack ?? err)] });
  process.exit(1);
});
