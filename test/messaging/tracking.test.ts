// Tracking end to end: the dispatcher sends a marketing e-mail to a local SMTP server; the test reads the mail as the
// recipient got it and follows its pixel and links against the real app: opens recorded once, clicks redirected to the
// signed URL with UTM (and implying an open), bad tokens refused with a page and no redirect, and machine hits
// (Apple Mail Privacy Protection, link checkers) flagged and left out of the metrics. Each scenario sends on its own
// day, so the metrics of that day are its own.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { recordConsent } from '../../src/consent/store.ts';
import { putJourneySettings } from '../../src/journeys/index.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { recordOpen } from '../../src/messaging/tracking/record.ts';
import { signTracking, trackingKey } from '../../src/messaging/tracking/tokens.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { readMail } from '../helpers/mail-parts.ts';

const CHROME =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const HOUR = 3_600_000;

const TEMPLATE = {
  en: {
    email: {
      subject: 'Spring sale, {{ customer.first_name }}',
      html:
        '<html><head><link href="https://fonts.test/inter.css" rel="stylesheet"></head><body><p>Hi {{ customer.first_name }}</p>' +
        '<a href="https://shop.test/sale?size=m&amp;color=red#shoes">Shop the sale</a> ' +
        '<a href="https://shop.test/?utm_campaign=own">Home</a> ' +
        '<a href="{{ links.unsubscribe }}">Unsubscribe</a></body></html>',
    },
  },
};

/** The HTML part of a raw mail, decoded. */
function htmlOf(raw: string): string {
  const html = readMail(raw).html;
  assert.ok(html, 'the mail has an HTML part');
  return html;
}

const hrefs = (html: string) => [...html.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

describe(`tracking: the pixel and links of a sent e-mail (${backend})`, () => {
  let s: Served;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let now = new Date('2026-06-01T10:00:00Z');
  let ws: string;
  let ids: Record<string, string>;
  before(async () => {
    s = await serve({ clock: () => now });
    smtp = await smtpServer();
    ws = s.t.workspaceId;
    await putJourneySettings(s.t.db, ws, { share: 0, timezone: 'UTC' });
    await saveChannel(s.t.db, ws, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
    });
    await createTemplate(s.t.db, ws, {
      id: 'spring-mail',
      name: 'Spring mail',
      defaultLocale: 'en',
      content: TEMPLATE,
    });
    const people = ['ann', 'bob', 'cy', 'dee', 'eve', 'fay'];
    await ingest(
      s.t.db,
      ws,
      people.map((u) => ({
        type: 'identify',
        userId: u,
        traits: { first_name: u, email: `${u}@example.com` },
        timestamp: now.toISOString(),
      })),
      { receivedAt: now },
    );
    ids = Object.fromEntries(
      (
        await s.t.db.query<{ user_id: string; id: string }>(
          'SELECT user_id, id::text FROM customers WHERE workspace_id = $1',
          [ws],
        )
      ).map((c) => [c.user_id, c.id]),
    );
    for (const u of people)
      await recordConsent(s.t.db, ws, ids[u]!, {
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        source: 'signup_form',
        ip: null,
        textVersion: 'v1',
        at: now,
      });
  });
  after(async () => {
    await closeProviders();
    await smtp.close();
    await s.close();
  });

  /** Sends the spring mail to user on `day` (arm B of the journey's split) and reads it as received. */
  async function send(user: string, day: string, purpose: 'marketing' | 'transactional' = 'marketing') {
    now = new Date(`${day}T10:00:00Z`);
    await s.t.db.query(
      `INSERT INTO message_intents (workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, context, created_at)
       VALUES ($1, $2, $3, 'spring', 'mail', $4, 'spring-mail', '{"fixed":"email"}', '{"arms":{"ab":"B"}}', $5)`,
      [ws, `spring:${user}:${day}`, ids[user], purpose, now],
    );
    const r = await dispatchDue(s.t.db, now, {
      providers: configuredProviders(),
      renderer: templateRenderer,
      baseUrl: s.url,
    });
    assert.equal(r.sent, 1);
    const mail = smtp.mails.filter((m) => m.to === `${user}@example.com`).at(-1)!;
    const html = htmlOf(mail.raw);
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)![1]!;
    const [sale, home, unsubscribe] = hrefs(html);
    return {
      raw: mail.raw,
      html,
      pixel,
      sale: sale!,
      home: home!,
      unsubscribe: unsubscribe!,
      key: `spring:${user}:${day}`,
    };
  }

  const later = (ms: number) => (now = new Date(now.getTime() + ms));
  const hit = (url: string, opts: { method?: string; userAgent?: string } = {}) =>
    fetch(url, {
      method: opts.method ?? 'GET',
      redirect: 'manual',
      headers: { 'user-agent': opts.userAgent ?? CHROME },
    });
  const stateOf = async (key: string) => {
    const [m] = await s.t.db.query<{ status: string; opened_at: Date | null; clicked_at: Date | null }>(
      'SELECT status, opened_at, clicked_at FROM messages WHERE workspace_id = $1 AND message_key = $2',
      [ws, key],
    );
    return {
      status: m!.status,
      openedAt: m!.opened_at && new Date(m!.opened_at).toISOString(),
      clickedAt: m!.clicked_at && new Date(m!.clicked_at).toISOString(),
    };
  };
  const eventsOf = async (user: string) =>
    (
      await s.t.db.query<{ name: string; properties: Record<string, unknown> }>(
        "SELECT name, properties FROM events WHERE workspace_id = $1 AND customer_id = $2 AND name IN ('Message Opened', 'Message Clicked') ORDER BY timestamp, message_id",
        [ws, ids[user]],
      )
    ).map((e) => `${e.name}${e.properties.machine ? ` by a machine (${e.properties.reason})` : ''}`);
  const metricsOf = async (day: string) => {
    const r = await s.call('GET', `/api/v1/analytics/messages?from=${day}&to=${day}&by=day`, { key: s.adminKey });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const { sent, delivered, opens, machineOpens, clicks, openRate, clickRate } = r.body.totals;
    return { sent, delivered, opens, machineOpens, clicks, openRate, clickRate };
  };

  it('the mail as received: shop links tracked (UTM inside the signed token), the unsubscribe link and <link> untouched, the pixel before </body>', async () => {
    const m = await send('ann', '2026-06-01');
    assert.match(m.sale, new RegExp(`^${s.url}/t/c/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
    assert.match(m.home, /\/t\/c\//);
    assert.match(m.unsubscribe, new RegExp(`^${s.url}/c/unsubscribe\\?t=`), 'our own page: no detour');
    assert.match(m.html, /<link href="https:\/\/fonts\.test\/inter\.css"/);
    assert.match(m.html, /<img src="[^"]+\/t\/o\/[^"]+" width="1" height="1"[^>]*\/><\/body>/);
    assert.match(m.raw, /List-Unsubscribe:\s+<http:\/\/127\.0\.0\.1:\d+\/c\/unsubscribe\?t=/);
    assert.doesNotMatch(m.html, /shop\.test/, 'no target readable (or changeable) outside the token');
  });

  it('the pixel: a 1×1 GIF that is never cached; the first open is recorded, a second changes nothing', async () => {
    const m = await send('bob', '2026-06-02');
    const sentAt = now.getTime();
    later(HOUR);
    const first = await hit(m.pixel);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'image/gif');
    assert.match(first.headers.get('cache-control')!, /no-store/);
    const gif = Buffer.from(await first.arrayBuffer());
    assert.deepEqual([gif.subarray(0, 6).toString(), gif.readUInt16LE(6), gif.readUInt16LE(8)], ['GIF89a', 1, 1]);
    later(HOUR);
    assert.equal((await hit(m.pixel)).status, 200);
    assert.deepEqual(
      await stateOf(m.key),
      { status: 'opened', openedAt: new Date(sentAt + HOUR).toISOString(), clickedAt: null },
      'the first open counts',
    );
    assert.deepEqual(await eventsOf('bob'), ['Message Opened'], 'once');
    assert.deepEqual(await metricsOf('2026-06-02'), {
      sent: 1,
      delivered: 1,
      opens: 1,
      machineOpens: 0,
      clicks: 0,
      openRate: 1,
      clickRate: 0,
    });
  });

  it('a click: 302 to the signed URL with UTM added (the link’s own kept); records the click and the open it implies', async () => {
    const m = await send('cy', '2026-06-03');
    later(HOUR);
    const res = await hit(m.sale);
    assert.equal(res.status, 302);
    assert.equal(
      res.headers.get('location'),
      'https://shop.test/sale?size=m&color=red&utm_source=retain&utm_medium=email&utm_campaign=spring&utm_content=mail%2FB#shoes',
    );
    assert.match(res.headers.get('cache-control')!, /no-store/);
    assert.equal(
      (await hit(m.home)).headers.get('location'),
      'https://shop.test/?utm_campaign=own&utm_source=retain&utm_medium=email&utm_content=mail%2FB',
    );
    const at = now.toISOString();
    assert.deepEqual(await stateOf(m.key), { status: 'clicked', openedAt: at, clickedAt: at });
    assert.deepEqual((await eventsOf('cy')).sort(), ['Message Clicked', 'Message Opened']);
    assert.deepEqual(await metricsOf('2026-06-03'), {
      sent: 1,
      delivered: 1,
      opens: 1,
      machineOpens: 0,
      clicks: 1,
      openRate: 1,
      clickRate: 1,
    });
  });

  it('a transactional mail: links tracked, but no UTM (it is not a campaign)', async () => {
    const m = await send('fay', '2026-06-04', 'transactional');
    later(HOUR);
    assert.equal((await hit(m.sale)).headers.get('location'), 'https://shop.test/sale?size=m&color=red#shoes');
  });

  it('a bad token: a 400 page and never a redirect; a bad pixel token still gets the image and records nothing', async () => {
    const m = await send('dee', '2026-06-05');
    later(HOUR);
    const token = m.sale.split('/t/c/')[1]!;
    const [body, signature] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const other = await createWorkspace(s.t.db, 'other');
    const otherKey = await trackingKey(s.t.db, other.id);
    const bad: [string, string][] = [
      [
        'the target changed (evil.test)',
        `${Buffer.from(JSON.stringify({ ...payload, u: 'https://evil.test/' })).toString('base64url')}.${signature}`,
      ],
      ['the signature changed', `${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`],
      ['not a token at all', 'nonsense'],
      ['an open token on the click path', m.pixel.split('/t/o/')[1]!],
      ['signed with another workspace’s key', signTracking(otherKey, { ...payload, u: 'https://evil.test/' })],
      [
        'a non-web target, validly signed',
        signTracking(await trackingKey(s.t.db, ws), { k: 'click', ws, m: payload.m, u: 'javascript:alert(1)' }),
      ],
    ];
    for (const [what, t] of bad) {
      const res = await hit(`${s.url}/t/c/${t}`);
      assert.equal(res.status, 400, what);
      assert.equal(res.headers.get('location'), null, what);
      assert.match(await res.text(), /This link does not work/, what);
    }
    const pixel = await hit(`${s.url}/t/o/nonsense`);
    assert.deepEqual([pixel.status, pixel.headers.get('content-type')], [200, 'image/gif']);
    assert.deepEqual(await stateOf(m.key), { status: 'sent', openedAt: null, clickedAt: null });
    assert.deepEqual(await eventsOf('dee'), []);
  });

  it('Apple Mail Privacy Protection: the proxy’s prefetch is a machine open, flagged and left out of the open rate', async () => {
    const m = await send('eve', '2026-06-06');
    later(5 * 60_000);
    assert.equal((await hit(m.pixel, { userAgent: 'Mozilla/5.0' })).status, 200, 'the proxy still gets its image');
    const id = (
      await s.t.db.query<{ id: string }>('SELECT id::text FROM messages WHERE workspace_id = $1 AND message_key = $2', [
        ws,
        m.key,
      ])
    )[0]!.id;
    assert.deepEqual(
      await recordOpen(s.t.db, ws, id, { method: 'GET', ip: '17.58.63.10', userAgent: CHROME, at: later(60_000) }),
      { recorded: 'machine', reason: 'apple_privacy_proxy' },
      'from Apple’s network',
    );
    assert.deepEqual(await stateOf(m.key), { status: 'sent', openedAt: null, clickedAt: null });
    assert.deepEqual(
      await eventsOf('eve'),
      ['Message Opened by a machine (apple_privacy_proxy)'],
      'one event, flagged',
    );
    assert.deepEqual(await metricsOf('2026-06-06'), {
      sent: 1,
      delivered: 1,
      opens: 0,
      machineOpens: 1,
      clicks: 0,
      openRate: 0,
      clickRate: 0,
    });
  });

  it('link checkers: a HEAD and a click within seconds of sending are machine clicks (still redirected); the person’s click later counts', async () => {
    const m = await send('ann', '2026-06-07');
    const sentAt = now.getTime();
    later(1_000);
    const head = await hit(m.sale, { method: 'HEAD' });
    assert.deepEqual([head.status, head.headers.get('location')?.startsWith('https://shop.test/sale?')], [302, true]);
    later(1_000);
    assert.equal((await hit(m.sale)).status, 302, 'a scanner following the link on delivery');
    assert.deepEqual(await stateOf(m.key), { status: 'sent', openedAt: null, clickedAt: null });
    const scanner = (
      await s.t.db.query<{ properties: Record<string, unknown> }>(
        'SELECT properties FROM events WHERE workspace_id = $1 AND message_id = $2',
        [ws, `msg:${m.key}:email:clicked:machine`],
      )
    )[0]!.properties;
    assert.deepEqual(
      [scanner.machine, scanner.reason],
      [true, 'head_request'],
      'the first machine click is the one logged',
    );
    now = new Date(sentAt + 2 * HOUR);
    assert.equal((await hit(m.sale)).status, 302);
    assert.equal((await stateOf(m.key)).clickedAt, now.toISOString());
    assert.deepEqual(await metricsOf('2026-06-07'), {
      sent: 1,
      delivered: 1,
      opens: 1,
      machineOpens: 0,
      clicks: 1,
      openRate: 1,
      clickRate: 1,
    });
  });
});
