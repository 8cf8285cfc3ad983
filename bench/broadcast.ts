// Benchmark: memory during a broadcast to a 1M-customer segment (100k on PGlite; × BENCH_SCALE). A marketing journey
// with a broadcast trigger enters every member (the sweeps, 5,000 a sweep), the journeys runner writes one e-mail intent
// each, and at the same time the worker's jobs run as `retain worker` runs them (the dispatcher, one loop per process;
// table maintenance; recovery of interrupted sends), sending through the gate and the template to a local smtp-server in
// its own process. Sending a million e-mails at this machine's rate would take most of an hour, so the dispatcher
// sends for as long as the journey takes, and at least BENCH_BROADCAST_SEND e-mails (default 20,000; 5,000 on PGlite),
// then stops: the rate is shown, and RSS is sampled over the whole run. Every member must have entered and have its
// intent, and every e-mail sent must have been received once, or the job reports FAILED.
import { freshBenchDb, type Backend } from './backend.ts';
import { argValue, emit, scale } from './job.ts';
import { startSmtpSink } from './smtp-sink-process.ts';
import { machineCpu, rssSampler } from './timing.ts';
import { createTemplate } from '../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../src/channels/store.ts';
import { putGateSettings } from '../src/messaging/gate-settings.ts';
import { activateJourney, createJourney, putJourneySettings, tickJourneys } from '../src/journeys/index.ts';
import { createSegment } from '../src/segments/store.ts';
import { dispatchMessagesJob, recoverSendsJob } from '../src/messaging/dispatch/job.ts';
import { maintainDatabase, startWorker } from '../src/server/worker.ts';
import { pino } from 'pino';

const backend = (argValue('backend') ?? 'pglite') as Backend;
const pg = backend === 'postgres';
const N = Math.round((pg ? 1_000_000 : 100_000) * scale());
const SEND_AT_LEAST = Math.min(N, Number(process.env.BENCH_BROADCAST_SEND ?? (pg ? 20_000 : 5_000)));
const log = (msg: string) => process.stderr.write(msg + '\n');
const fmt = (n: number) => n.toLocaleString('en-US');
const MJML = `<mjml><mj-body><mj-section><mj-column>
  <mj-text font-size="20px">Hello {{ customer.first_name }},</mj-text>
  <mj-text>Our spring sale starts today: {{ params.discount }} % off everything.</mj-text>
  <mj-button href="https://shop.example/sale">Shop the sale</mj-button>
  <mj-text font-size="11px"><a href="{% unsubscribe_url %}">Unsubscribe</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

async function main() {
  const sink = await startSmtpSink();
  // PGlite: the data directory is made by another process, so this one's RSS holds no initdb (as with `retain start`)
  const b = await freshBenchDb(backend, { poolSize: 6, prepareElsewhere: true });
  const { db } = b;
  const ws = b.workspace.id;
  const problems: string[] = [];
  try {
    log(`${fmt(N)} customers with e-mail and consent, one segment of all of them…`);
    await putJourneySettings(db, ws, { share: 0 });
    await putGateSettings(db, ws, {
      quietHours: null,
      caps: { all: { perDay: 10, perWeek: 70 } },
      senderIdentification: 'Shop Ltd, 1 Main St',
    });
    await saveChannel(db, ws, 'email', {
      provider: 'smtp',
      config: {
        host: '127.0.0.1',
        port: sink.port,
        secure: false,
        from: 'Shop <shop@example.com>',
        pool: { maxConnections: 10, maxMessages: 100_000 },
      },
    });
    await createTemplate(db, ws, {
      id: 'sale',
      name: 'Sale',
      defaultLocale: 'en',
      content: { en: { email: { subject: 'Spring sale, {{ customer.first_name }}', mjml: MJML } } },
    });
    await db.query(
      `INSERT INTO customers (workspace_id, id, user_id, email, traits) SELECT $1, g, 'u' || g, 'u' || g || '@example.com', jsonb_build_object('first_name', 'Customer ' || g) FROM generate_series(1, $2::int) g`,
      [ws, N],
    );
    await db.query(
      `INSERT INTO consents (workspace_id, customer_id, channel, purpose, granted, source, at) SELECT $1, g, 'email', 'marketing', true, 'import', now() - interval '1 day' FROM generate_series(1, $2::int) g`,
      [ws, N],
    );
    await createSegment(db, ws, {
      id: 'everyone',
      name: 'Everyone',
      definition: { aggregate: 'orders_count', op: 'gte', value: 0 },
    });
    await db.query(
      `INSERT INTO segment_members (workspace_id, segment_id, customer_id, entered_at) SELECT $1, 'everyone', g, now() FROM generate_series(1, $2::int) g ON CONFLICT DO NOTHING`,
      [ws, N],
    );
    await db.query("UPDATE segments SET evaluated_at = now() WHERE workspace_id = $1 AND id = 'everyone'", [ws]);
    await createJourney(db, ws, {
      id: 'spring',
      name: 'Spring sale',
      definition: {
        purpose: 'marketing',
        trigger: { type: 'broadcast', segment: 'everyone', perMinute: 10_000_000 },
        start: 'send',
        steps: [{ id: 'send', type: 'send', template: 'sale', channel: { fixed: 'email' }, params: { discount: 20 } }],
      },
    });
    await db.query('ANALYZE');

    const mem = rssSampler(100);
    const machine0 = machineCpu();
    const t0 = performance.now();
    await activateJourney(db, ws, 'spring');
    let journeyDone = false;
    let journeyS = 0;
    // the journeys job's loop (tickJourneys until nothing is left), and the worker's own jobs beside it, as `retain
    // worker` runs them: the dispatcher (one loop per process), table maintenance and the recovery of interrupted sends
    const journeyLoop = (async () => {
      for (let idle = 0; idle < 3; ) {
        const r = await tickJourneys(db, () => new Date());
        idle = r.entered + r.steps === 0 ? idle + 1 : 0;
      }
      journeyS = (performance.now() - t0) / 1000;
      journeyDone = true;
      log(`journey: ${fmt(N)} members entered in ${journeyS.toFixed(1)} s`);
    })();
    const worker = startWorker(db, {
      jobs: [dispatchMessagesJob, maintainDatabase, recoverSendsJob],
      log: pino(pino.destination(2)),
    });
    const sentSoFar = async () =>
      (
        await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM messages WHERE workspace_id = $1 AND status = 'sent'",
          [ws],
        )
      )[0]!.n;
    let sent = 0;
    let sendingS = 0;
    let last = 0;
    while (!journeyDone || sent < SEND_AT_LEAST) {
      await new Promise((res) => setTimeout(res, 1000));
      sent = await sentSoFar();
      sendingS = (performance.now() - t0) / 1000;
      if (sent - last >= 10_000) log(`… ${fmt((last = sent))} e-mails sent`);
    }
    await journeyLoop;
    worker.stop();
    // the dispatcher's pass under way finishes its batch
    for (let busy = true; busy; ) {
      await new Promise((res) => setTimeout(res, 500));
      const [b] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM messages WHERE workspace_id = $1 AND status = 'sending'",
        [ws],
      );
      busy = b!.n > 0;
    }
    sent = await sentSoFar();
    const totalS = (performance.now() - t0) / 1000;
    const machineBusy = machineCpu(machine0);
    const memory = mem.stop();

    const [check] = await db.query<{ runs: number; intents: number; sent: number }>(
      `SELECT (SELECT count(*)::int FROM journey_runs WHERE workspace_id = $1 AND journey_id = 'spring') AS runs,
              (SELECT count(*)::int FROM message_intents WHERE workspace_id = $1 AND journey_id = 'spring') AS intents,
              (SELECT count(*)::int FROM messages WHERE workspace_id = $1 AND status = 'sent') AS sent`,
      [ws],
    );
    const received = await sink.count();
    if (check!.runs !== N || check!.intents !== N)
      problems.push(`not every member entered with one intent: ${JSON.stringify(check)}`);
    if (check!.sent !== sent || received !== sent)
      problems.push(`sent ${sent}, marked ${check!.sent}, received ${received}`);
    const perSecond = Math.round(sent / sendingS);
    const flat = memory.peakMb <= 300;
    emit({
      backend,
      ok: problems.length === 0,
      problems,
      customers: N,
      journeySeconds: +journeyS.toFixed(1),
      sent,
      sendingSeconds: +sendingS.toFixed(1),
      perSecond,
      totalSeconds: +totalS.toFixed(1),
      memory,
      machineBusy,
      rows: [
        {
          benchmark: `Broadcast journey to a ${fmt(N)}-customer segment (marketing, e-mail): every member entered by the sweeps and given its intent by the runner, while the worker's dispatcher sends`,
          backend: pg ? 'PostgreSQL' : 'PGlite',
          figure: `**${fmt(N)} entered in ${journeyS.toFixed(1)} s** (${fmt(Math.round(N / journeyS))}/s); meanwhile **${fmt(sent)} e-mails sent** through gate + render + SMTP in ${sendingS.toFixed(1)} s (${fmt(perSecond)}/s, a subset: all ${fmt(N)} would take ~${fmt(Math.round(N / perSecond / 60))} min at that rate); machine ${Math.round(machineBusy * 100)} % busy`,
          target: '—',
          status: '—',
        },
        {
          benchmark:
            'Broadcast: process RSS every 100 ms over the whole run (journey + dispatcher + SMTP client in one process)',
          backend: pg ? 'PostgreSQL' : 'PGlite',
          figure: `start ${memory.startMb} MB, **peak ${memory.peakMb} MB**, end ${memory.endMb} MB; per tenth of the run: ${memory.decilesMb.join(', ')} MB; at the end JS heap ${memory.endParts.heapUsedMb} MB, external ${memory.endParts.externalMb} MB${pg ? '' : ' (PGlite runs in this process)'}`,
          target: 'flat, ≤ 300 MB',
          status: flat ? 'met' : '**missed**',
        },
      ],
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
