// Benchmark: e-mails per second through the whole send path — outbox claim, gate (consent, suppression, caps, quiet
// hours), template render (Liquid + MJML, cached per template version), SMTP hand-over to a local smtp-server, and the
// marking of every message — against raw nodemailer sending the same rendered mail to the same server in the same run
// (its best settings: the default encoding or base64, the same pooled connections). CPU time per e-mail is measured
// for this process, the SMTP server's process and the PostgreSQL backends, because the machine is shared.
// N marketing e-mails to N consenting customers (BENCH_SCALE × 5,000 on PostgreSQL, × 2,000 on PGlite), BENCH_LOOPS
// dispatcher loops (default 2), BENCH_SMTP_CONNECTIONS pooled connections (default 10). Every intent must end sent,
// with one mail received each, or the job reports FAILED.
import nodemailer from 'nodemailer';
import { freshBenchDb, type Backend } from './backend.ts';
import { argValue, emit, scale } from './job.ts';
import { startSmtpSink } from './smtp-sink-process.ts';
import { machineCpu, processCpu, rssSampler } from './timing.ts';
import { createTemplate } from '../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../src/channels/store.ts';
import { putGateSettings } from '../src/messaging/gate-settings.ts';
import { putJourneySettings } from '../src/journeys/index.ts';
import { dispatchDue } from '../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../src/messaging/dispatch/adapters.ts';

const backend = (argValue('backend') ?? 'pglite') as Backend;
const N = Math.round((backend === 'postgres' ? 5_000 : 2_000) * scale());
const LOOPS = Number(process.env.BENCH_LOOPS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_SMTP_CONNECTIONS ?? 10);
const log = (msg: string) => process.stderr.write(msg + '\n');
const MJML = `<mjml><mj-body><mj-section><mj-column>
  <mj-text font-size="20px">Hello {{ customer.first_name }},</mj-text>
  <mj-text>{% for p in params.products %}{{ p.name }}: {{ p.price | money: 'EUR' }}<br/>{% endfor %}</mj-text>
  <mj-button href="https://shop.example/cart">Back to your cart</mj-button>
  <mj-text font-size="11px"><a href="{% unsubscribe_url %}">Unsubscribe</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

async function main() {
  const sink = await startSmtpSink();
  const port = sink.port;
  const b = await freshBenchDb(backend, { poolSize: 6 });
  const { db } = b;
  const ws = b.workspace.id;
  const problems: string[] = [];
  try {
    await putJourneySettings(db, ws, { share: 0 });
    await putGateSettings(db, ws, { quietHours: null, caps: { all: { perDay: 1000, perWeek: 7000 } } });
    await saveChannel(db, ws, 'email', {
      provider: 'smtp',
      config: {
        host: '127.0.0.1',
        port,
        secure: false,
        from: 'Shop <shop@example.com>',
        pool: { maxConnections: CONNECTIONS, maxMessages: 100_000 },
      },
    });
    await createTemplate(db, ws, {
      id: 'cart',
      name: 'Cart',
      defaultLocale: 'en',
      content: { en: { email: { subject: 'Your cart, {{ customer.first_name }}', mjml: MJML } } },
    });
    await db.query(
      `INSERT INTO customers (workspace_id, id, user_id, email, traits) SELECT $1, g, 'u' || g, 'u' || g || '@example.com', jsonb_build_object('first_name', 'Customer ' || g) FROM generate_series(1, $2::int) g`,
      [ws, N],
    );
    await db.query(
      `INSERT INTO consents (workspace_id, customer_id, channel, purpose, granted, source, at) SELECT $1, g, 'email', 'marketing', true, 'import', now() - interval '1 day' FROM generate_series(1, $2::int) g`,
      [ws, N],
    );
    const params = JSON.stringify({
      products: [
        { name: 'Kettle', price: 39.9 },
        { name: 'Filter', price: 9.5 },
      ],
    });
    await db.query(
      `INSERT INTO message_intents (workspace_id, message_key, customer_id, purpose, template, channel, params, created_at)
       SELECT $1, 'bench:' || g, g, 'marketing', 'cart', '{"fixed":"email"}', $3::jsonb, now() FROM generate_series(1, $2::int) g`,
      [ws, N, params],
    );
    await db.query('ANALYZE');

    const pgPids = async () =>
      backend === 'postgres'
        ? (await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')).map(
            (x) => x.pid,
          )
        : [];
    /** CPU µs per e-mail of this process, the SMTP server and PostgreSQL during fn, and how busy the whole machine was. */
    const measured = async (fn: () => Promise<void>) => {
      const pids0 = await pgPids();
      const pg0 = processCpu(pids0);
      const sink0 = processCpu([sink.pid]).get(sink.pid) ?? 0;
      const self0 = process.cpuUsage();
      const machine0 = machineCpu();
      const t = performance.now();
      await fn();
      const seconds = (performance.now() - t) / 1000;
      const self = process.cpuUsage(self0);
      const sinkS = (processCpu([sink.pid]).get(sink.pid) ?? 0) - sink0;
      const pg1 = processCpu([...new Set([...pids0, ...(await pgPids())])]);
      const pgS = [...pg1].reduce((sum, [pid, s]) => sum + s - (pg0.get(pid) ?? 0), 0);
      const us = (s: number) => Math.round((s * 1e6) / N);
      return {
        seconds,
        perSecond: Math.round(N / seconds),
        cpuUs: { sender: Math.round((self.user + self.system) / N), smtpServer: us(sinkS), postgres: us(pgS) },
        machineBusy: machineCpu(machine0),
      };
    };

    // (a) the product's path
    const mem = rssSampler();
    const opts = {
      providers: configuredProviders(),
      renderer: templateRenderer,
      baseUrl: 'https://retain.example',
      limit: 200,
    };
    let sent = 0;
    const product = await measured(() =>
      Promise.all(
        Array.from({ length: LOOPS }, async () => {
          for (;;) {
            const r = await dispatchDue(db, new Date(), opts);
            sent += r.sent;
            if (r.claimed === 0) break;
          }
        }),
      ).then(() => undefined),
    );
    const memory = mem.stop();
    const [state] = await db.query<{ sent: number; other: number }>(
      "SELECT count(*) FILTER (WHERE status = 'sent')::int AS sent, count(*) FILTER (WHERE status <> 'sent')::int AS other FROM message_intents WHERE workspace_id = $1",
      [ws],
    );
    const received = await sink.count();
    if (state!.sent !== N || sent !== N || received !== N)
      problems.push(`product path: ${JSON.stringify({ ...state, sentByDispatch: sent, received })}`);
    log(`(a) ${N} e-mails in ${product.seconds.toFixed(1)} s`);

    // (b) raw nodemailer: the same rendered mail (as the product rendered it for customer 1), the same server, the same
    // pooled connections; nodemailer's default encoding and base64, the better of the two counts
    const [c1] = await db.query<Record<string, unknown>>(
      'SELECT c.*, c.id::text AS id FROM customers c WHERE workspace_id = $1 AND id = 1',
      [ws],
    );
    const [i1] = await db.query<Record<string, unknown>>(
      'SELECT id::text, workspace_id, message_key, customer_id::text, template, channel, params, context, purpose FROM message_intents WHERE workspace_id = $1 AND customer_id = 1',
      [ws],
    );
    const rendered = await db.transaction((tx) =>
      templateRenderer.render(
        tx,
        i1 as never,
        c1!,
        ['email'],
        {
          unsubscribe: 'https://retain.example/c/unsubscribe?t=x',
          preferences: 'https://retain.example/c/preferences?t=x',
        },
        new Date(),
      ),
    );
    if (!rendered.ok) throw new Error(rendered.error);
    const mail = (rendered.content.email as { email: { subject: string; html: string; text: string } }).email;
    const raw: Record<string, Awaited<ReturnType<typeof measured>>> = {};
    // BENCH_RAW=0 skips this part (to profile the product's path alone); the ratio is then not measured
    for (const encoding of process.env.BENCH_RAW === '0' ? [] : (['default', 'base64'] as const)) {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: CONNECTIONS,
        maxMessages: 100_000,
      });
      const before = await sink.count();
      const CHUNK = 200;
      raw[encoding] = await measured(async () => {
        for (let i = 0; i < N; i += CHUNK) {
          await Promise.all(
            Array.from({ length: Math.min(CHUNK, N - i) }, (_, j) =>
              transport.sendMail({
                from: 'Shop <shop@example.com>',
                to: `u${i + j + 1}@example.com`,
                subject: mail.subject,
                html: mail.html,
                text: mail.text,
                ...(encoding === 'base64' ? { textEncoding: 'base64' as const } : {}),
              }),
            ),
          );
        }
      });
      transport.close();
      const received = (await sink.count()) - before;
      if (received !== N) problems.push(`raw nodemailer (${encoding}): ${received} of ${N} received`);
      log(`(b) raw nodemailer, ${encoding} encoding: ${raw[encoding]!.perSecond}/s`);
    }
    if (!raw.default || !raw.base64) {
      emit({ backend, ok: problems.length === 0, problems, emails: N, product, memory, rows: [] });
      return;
    }
    const best = raw.default.perSecond >= raw.base64.perSecond ? 'default' : 'base64';
    const ratio = +(product.perSecond / raw[best]!.perSecond).toFixed(2);
    emit({
      backend,
      ok: problems.length === 0,
      problems,
      emails: N,
      loops: LOOPS,
      connections: CONNECTIONS,
      product,
      raw,
      best,
      ratio,
      memory,
      serverVersion: b.serverVersion,
      rows: rowsOf(product, raw, best, ratio, memory.peakMb),
    });
  } finally {
    await closeProviders();
    await b.close();
    sink.stop();
  }
}

type Phase = {
  seconds: number;
  perSecond: number;
  cpuUs: { sender: number; smtpServer: number; postgres: number };
  machineBusy: number;
};
const fmt = (n: number) => n.toLocaleString('en-US');
const cpuText = (p: Phase) => {
  const total = p.cpuUs.sender + p.cpuUs.smtpServer + p.cpuUs.postgres;
  return (
    `CPU per e-mail ${fmt(p.cpuUs.sender)} µs sender + ${fmt(p.cpuUs.smtpServer)} µs SMTP server` +
    `${backend === 'postgres' ? ` + ${fmt(p.cpuUs.postgres)} µs PostgreSQL` : ''} = ${fmt(total)} µs (at most ~${fmt(Math.round(2e6 / total / 10) * 10)}/s on 2 idle cores); machine ${Math.round(p.machineBusy * 100)} % busy`
  );
};

/** The rows bench/run.ts prints for this job. */
function rowsOf(product: Phase, raw: Record<string, Phase>, best: string, ratio: number, peakMb: number) {
  const pg = backend === 'postgres';
  const b = raw[best]!;
  return [
    {
      benchmark: `E-mails through outbox → gate → template (Liquid + MJML) → SMTP to a local smtp-server in its own process, ${LOOPS} dispatcher loops, ${CONNECTIONS} SMTP connections, ${fmt(N)} marketing e-mails`,
      backend: pg ? 'PostgreSQL' : 'PGlite',
      figure: `**${fmt(product.perSecond)} e-mails/s** (${product.seconds.toFixed(1)} s); ${cpuText(product)}; peak RSS ${peakMb} MB`,
      target: pg ? '≥ 5,000/s' : '—',
      status: pg ? (product.perSecond >= 5000 ? 'met' : '**missed**') : '—',
    },
    {
      benchmark: `Raw nodemailer, the same rendered mail to the same server in the same run (best of its default encoding: ${fmt(raw.default!.perSecond)}/s, and base64: ${fmt(raw.base64!.perSecond)}/s)`,
      backend: pg ? 'PostgreSQL' : 'PGlite',
      figure: `${fmt(b.perSecond)}/s (${best}); ${cpuText(b)}`,
      target: '—',
      status: '—',
    },
    {
      benchmark: 'E-mails: product ÷ raw nodemailer',
      backend: pg ? 'PostgreSQL' : 'PGlite',
      figure: `**${ratio.toFixed(2)}**`,
      target: pg ? '≥ 0.7' : '—',
      status: pg ? (ratio >= 0.7 ? 'met' : '**missed**') : '—',
    },
  ];
}

main().catch((err) => {
  emit({ backend, ok: false, problems: [String(err?.stack ?? err)] });
  process.exit(1);
});
