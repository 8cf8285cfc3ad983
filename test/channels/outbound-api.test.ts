// Outgoing requests as a workspace meets them through the API: channel settings, Web Push subscriptions (public write
// key) and journey webhook steps naming an inside address are refused when saved, with the field; a send to an
// address no longer allowed fails at once with the reason and reaches nothing; a journey webhook redirected inside
// fails the same way; and what a provider answers is never repeated to the API caller.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { closeProviders } from '../../src/channels/store.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { tickJourneys, putJourneySettings } from '../../src/journeys/index.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { localServer, type LocalServer } from './servers.ts';

const ALLOW = 'RETAIN_ALLOW_PRIVATE_HOSTS';
const LOOPBACK = 'blocked_address: 127.0.0.1 is a loopback address; allow it with RETAIN_ALLOW_PRIVATE_HOSTS';
const SECRET = 'root-password=hunter2';

describe(`outgoing requests through the API (${backend})`, () => {
  let s: Served;
  let inside: LocalServer; // 127.0.0.1: answers 400 with something private in its body
  let relay: LocalServer; // 127.0.0.2: redirects every request to the inside receiver
  const suiteAllows = process.env[ALLOW];
  const now = new Date('2026-06-01T10:00:00Z');

  /** The operator's allow list while `fn` runs (none: undefined). */
  async function operatorAllows<T>(list: string | undefined, fn: () => Promise<T>): Promise<T> {
    if (list === undefined) delete process.env[ALLOW];
    else process.env[ALLOW] = list;
    try {
      return await fn();
    } finally {
      delete process.env[ALLOW];
    }
  }
  const call = (method: string, path: string, body?: unknown, key?: string) =>
    s.call(method, path, { key: key ?? s.adminKey, body });
  const ok = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await call(method, path, body);
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => {
    s = await serve({ clock: () => now });
    await putJourneySettings(s.t.db, s.t.workspaceId, { share: 0 });
    inside = await localServer(() => ({ status: 400, body: `{"error": "${SECRET}"}` }));
    relay = await localServer(() => ({ status: 307, headers: { location: `${inside.url}/hook` } }), '127.0.0.2');
    delete process.env[ALLOW]; // this file sets the operator's list test by test
  });
  after(async () => {
    process.env[ALLOW] = suiteAllows;
    await closeProviders();
    await inside.close();
    await relay.close();
    await s.close();
  });

  it('channel settings naming an inside address are refused when saved: 400 naming the field', async () => {
    const table: [string, object, string, RegExp][] = [
      [
        'webhook',
        { provider: 'webhook', config: { url: 'http://127.0.0.1:8080/hook', secret: '0123456789abcdef' } },
        'config.url',
        /^127\.0\.0\.1 is a loopback address; allow it with RETAIN_ALLOW_PRIVATE_HOSTS$/,
      ],
      [
        'webhook',
        { provider: 'webhook', config: { url: 'https://2130706433/hook', secret: '0123456789abcdef' } },
        'config.url',
        /^127\.0\.0\.1 is a loopback address/,
      ],
      [
        'sms',
        { provider: 'sms-http', config: { url: 'http://[::1]/send?to={{to}}', method: 'GET' } },
        'config.url',
        /^::1 is a loopback address/,
      ],
      [
        'sms',
        { provider: 'sms-http', config: { url: 'http://0x0a.0.0.1/send', body: { to: '{{to}}' } } },
        'config.url',
        /^10\.0\.0\.1 is a private network address/,
      ],
      [
        'sms',
        {
          provider: 'twilio',
          config: { accountSid: 'AC1', authToken: 't', from: '+15005550006', baseUrl: 'http://169.254.169.254' },
        },
        'config.baseUrl',
        /^169\.254\.169\.254 is a cloud metadata address/,
      ],
      [
        'telegram',
        { provider: 'telegram', config: { botToken: '123:abc', baseUrl: 'http://localhost:8081' } },
        'config.baseUrl',
        /^localhost is a loopback address/,
      ],
      [
        'push',
        {
          provider: 'fcm',
          config: {
            serviceAccount: {
              project_id: 'p',
              client_email: 'a@p.iam.gserviceaccount.com',
              private_key: 'k',
              token_uri: 'http://metadata.google.internal/token',
            },
          },
        },
        'config.serviceAccount.token_uri',
        /^metadata\.google\.internal is a cloud metadata address/,
      ],
    ];
    for (const [channel, body, field, reason] of table) {
      const res = await call('PUT', `/api/v1/channels/${channel}`, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.deepEqual(
        res.body.issues.map((i: { field: string }) => i.field),
        [field],
      );
      assert.match(res.body.issues[0].reason, reason);
      assert.equal(res.body.message.split(':')[0], field);
    }
    assert.deepEqual((await ok('GET', '/api/v1/channels')).channels, [], 'nothing was saved');
  });

  it('a host name is saved (it is judged when sending, after DNS); an inside address saves when the operator allows it', async () => {
    await ok('PUT', '/api/v1/channels/webhook', {
      provider: 'webhook',
      config: { url: 'https://hooks.example.com/retain', secret: '0123456789abcdef' },
    });
    await operatorAllows('127.0.0.1', () =>
      ok('PUT', '/api/v1/channels/webhook', {
        provider: 'webhook',
        config: { url: `${inside.url}/hook`, secret: '0123456789abcdef' },
      }),
    );
    assert.equal((await ok('GET', '/api/v1/channels')).channels[0].config.url, `${inside.url}/hook`);
  });

  it('a Web Push subscription at an inside address is refused with the write key: 400 naming subscription.endpoint, nothing stored', async () => {
    const keys = { p256dh: `B${'x'.repeat(86)}`, auth: 'abcdefghijklmnopqrstuv' };
    const table: [string, RegExp][] = [
      ['https://127.0.0.1/push/1', /^subscription\.endpoint: 127\.0\.0\.1 is a loopback address/],
      ['https://[::ffff:a9fe:a9fe]/push/1', /^subscription\.endpoint: ::ffff:a9fe:a9fe is a cloud metadata address/],
      ['https://localhost:8443/push/1', /^subscription\.endpoint: localhost is a loopback address/],
      ['https://192.168.0.10/push/1', /^subscription\.endpoint: 192\.168\.0\.10 is a private network address/],
    ];
    for (const [endpoint, message] of table) {
      const res = await call(
        'POST',
        '/v1/push/subscribe',
        { userId: 'pia', subscription: { endpoint, keys } },
        s.writeKey,
      );
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.body.message, message);
    }
    const stored = await s.t.db.query('SELECT 1 FROM customers WHERE workspace_id = $1 AND user_id = $2', [
      s.t.workspaceId,
      'pia',
    ]);
    assert.deepEqual(stored, [], 'no customer, no subscription');
    const fine = await call(
      'POST',
      '/v1/push/subscribe',
      { userId: 'pia', subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys } },
      s.writeKey,
    );
    assert.deepEqual([fine.status, fine.body.subscriptions], [200, 1]);
  });

  it('a journey webhook step at an inside address is refused when saved and when validated: 400 naming $.steps[0].url', async () => {
    const definition = {
      trigger: { type: 'event', event: 'Refund Requested' },
      start: 'call',
      steps: [{ id: 'call', type: 'webhook', url: 'http://10.0.0.5/refunds' }],
    };
    for (const [method, path, body] of [
      ['POST', '/api/v1/journeys', { name: 'Refunds', definition }],
      ['POST', '/api/v1/journeys/validate', { definition }],
    ] as const) {
      const res = await call(method, path, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.deepEqual(res.body.errors, [
        {
          path: '$.steps[0].url',
          message: '10.0.0.5 is a private network address; allow it with RETAIN_ALLOW_PRIVATE_HOSTS',
        },
      ]);
    }
  });

  it('a message to a webhook no longer allowed fails at once with the reason; the receiver gets nothing; the log says why', async () => {
    // Saved while the operator allowed 127.0.0.1 (the test before); the list no longer has it.
    await ok(
      'POST',
      '/api/v1/templates',
      {
        id: 'refund-hook',
        name: 'Refund hook',
        defaultLocale: 'en',
        content: { en: { webhook: { body: { refund: '{{ customer.id }}' } } } },
      },
      201,
    );
    const r = await ingest(
      s.t.db,
      s.t.workspaceId,
      [{ type: 'identify', userId: 'rae', traits: { email: 'rae@example.com' }, timestamp: now.toISOString() }],
      { receivedAt: now },
    );
    assert.deepEqual(r.rejected, []);
    await s.t.db.query(
      `INSERT INTO message_intents (workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, created_at)
       SELECT $1, 'refund-1', id, 'j', 's', 'transactional', 'refund-hook', '{"fixed": "webhook"}', $2 FROM customers WHERE workspace_id = $1 AND user_id = 'rae'`,
      [s.t.workspaceId, now],
    );
    const d = await dispatchDue(s.t.db, now, {
      providers: configuredProviders(),
      renderer: templateRenderer,
      baseUrl: 'http://retain.test',
    });
    assert.deepEqual([d.sent, d.retried, d.failed], [0, 0, 1], 'permanent: trying again would reach the same place');
    assert.deepEqual(inside.seen, []);
    const { messages } = await ok('GET', '/api/v1/messages?customer=rae');
    assert.deepEqual(
      messages.map((m: { channel: string; status: string; error: string }) => [m.channel, m.status, m.error]),
      [['webhook', 'failed', LOOPBACK]],
    );
  });

  it('what a provider answers is never repeated to the API caller: the test send and the message log say the status in our words', async () => {
    await operatorAllows('127.0.0.1', async () => {
      const res = await call('POST', '/api/v1/templates/refund-hook/test', {
        channel: 'webhook',
        customer: 'rae',
        to: 'rae',
      });
      assert.equal(res.status, 502, JSON.stringify(res.body));
      assert.equal(
        res.body.message,
        'The webhook provider refused the test: HTTP 400: the provider refused the request',
      );
      await s.t.db.query(
        `INSERT INTO message_intents (workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, created_at)
         SELECT $1, 'refund-2', id, 'j', 's', 'transactional', 'refund-hook', '{"fixed": "webhook"}', $2 FROM customers WHERE workspace_id = $1 AND user_id = 'rae'`,
        [s.t.workspaceId, now],
      );
      await dispatchDue(s.t.db, now, {
        providers: configuredProviders(),
        renderer: templateRenderer,
        baseUrl: 'http://retain.test',
      });
    });
    assert.equal(inside.seen.length, 2, 'both reached the receiver, which answered 400 with its secret');
    const { messages } = await ok('GET', '/api/v1/messages?customer=rae');
    assert.deepEqual(messages[0].error, 'HTTP 400: the provider refused the request');
    const everything = await ok('GET', `/api/v1/customers/${messages[0].customerId}/export`); // its events: Message Failed with the error
    assert.match(JSON.stringify(everything), /Message Failed/);
    for (const answer of [messages, everything]) assert.doesNotMatch(JSON.stringify(answer), /hunter2/);
  });

  it('a journey webhook step fails at once with the reason when its address is refused: directly, or behind a redirect', async () => {
    inside.seen.length = 0;
    const hook = (id: string, url: string) => ({
      id,
      name: id,
      definition: {
        trigger: { type: 'event', event: `${id} requested` },
        start: 'call',
        steps: [{ id: 'call', type: 'webhook', url }],
      },
    });
    await operatorAllows('127.0.0.1,127.0.0.2', async () => {
      for (const [id, url] of [
        ['direct', `${inside.url}/hook`],
        ['redirected', `${relay.url}/hook`],
      ]) {
        await ok('POST', '/api/v1/journeys', hook(id!, url!), 201);
        await ok('POST', `/api/v1/journeys/${id}/activate`);
      }
    });
    // The operator now allows only the relay: the direct address is refused, and so is where the relay redirects.
    await operatorAllows('127.0.0.2', async () => {
      for (const id of ['direct', 'redirected']) {
        const tracked = await call(
          'POST',
          '/v1/track',
          { userId: 'rae', event: `${id} requested`, timestamp: now.toISOString() },
          s.writeKey,
        );
        assert.equal(tracked.status, 200);
      }
      await tickJourneys(s.t.db, now);
    });
    for (const id of ['direct', 'redirected']) {
      const { runs } = await ok('GET', `/api/v1/journeys/${id}/runs?customer=rae`);
      assert.deepEqual(
        runs.map((r: { status: string; history: { outcome: string; detail: unknown }[] }) => [
          r.status,
          r.history.map((h) => [h.outcome, h.detail]),
        ]),
        [['completed', [['failed', { error: LOOPBACK, attempts: 1 }]]]],
        id,
      );
    }
    assert.equal(relay.seen.length, 1, 'the relay was called and answered with its redirect');
    assert.deepEqual(inside.seen, [], 'nothing reached the inside address');
  });
});
