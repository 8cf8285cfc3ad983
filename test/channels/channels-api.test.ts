// The channels API over HTTP: admin keys only, refusals naming the fields, settings shown masked; and the Web Push pieces
// websites use: the service worker, the snippet, and /v1/push/subscribe storing subscriptions on the customer.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { closeProviders } from '../../src/channels/store.ts';

process.env.RETAIN_SECRET_KEY ??= randomBytes(32).toString('base64');

const subscription = (id: string) => ({
  endpoint: `https://fcm.googleapis.com/fcm/send/${id}`,
  expirationTime: null,
  keys: { p256dh: `B${'x'.repeat(86)}`, auth: 'abcdefghijklmnopqrstuv' },
});

describe(`channels API (${backend})`, () => {
  let s: Served;
  const admin = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await s.call(method, path, { key: s.adminKey, body });
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  };
  const subscriptionsOf = async (userId: string) => {
    const rows = await s.t.db.query<{ subs: { endpoint: string }[] | null }>(
      `SELECT traits -> 'webpush_subscriptions' AS subs FROM customers WHERE workspace_id = $1 AND user_id = $2`,
      [s.t.workspaceId, userId],
    );
    return (rows[0]?.subs ?? []).map((x) => x.endpoint.split('/').at(-1));
  };

  before(async () => (s = await serve()));
  after(async () => {
    await closeProviders();
    await s.close();
  });

  it('admin keys only', async () => {
    assert.equal((await s.call('GET', '/api/v1/channels')).status, 401);
    assert.equal((await s.call('GET', '/api/v1/channels', { key: s.writeKey })).status, 403);
    assert.equal(
      (await s.call('PUT', '/api/v1/channels/email', { key: s.writeKey, body: { provider: 'smtp', config: {} } }))
        .status,
      403,
    );
  });

  it('refuses bad settings with a 400 naming each field', async () => {
    const table: [string, unknown, string, string[]][] = [
      [
        'email',
        { provider: 'smtp', config: { port: 'x', auth: { user: 'u' } } },
        'config.host',
        ['config.host', 'config.port', 'config.auth.pass'],
      ],
      ['email', { provider: 'twilio', config: {} }, 'provider', ['provider']],
      ['fax', { provider: 'smtp', config: {} }, 'channel', ['channel']],
      [
        'sms',
        { provider: 'twilio', config: { accountSid: 'AC1', authToken: 't', from: '+1555' }, perSecond: 'fast' },
        'perSecond',
        ['perSecond'],
      ],
      ['sms', { config: {} }, 'provider', ['provider']],
    ];
    for (const [channel, body, first, fields] of table) {
      const res = await s.call('PUT', `/api/v1/channels/${channel}`, { key: s.adminKey, body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.message.split(':')[0], first);
      assert.deepEqual(
        res.body.issues.map((i: { field: string }) => i.field),
        fields,
      );
    }
    const res = await s.call('PUT', '/api/v1/channels/email', {
      key: s.adminKey,
      body: { provider: 'smtp', config: {} },
    });
    assert.match(res.body.message, /^config\.host: is required: the SMTP server, e\.g\. smtp\.example\.com$/);
  });

  it('PUT then GET: credentials masked, the rest as set', async () => {
    const put = await admin('PUT', '/api/v1/channels/sms', {
      provider: 'twilio',
      config: { accountSid: 'AC123', authToken: 'tok-secret', from: '+15005550006' },
      perSecond: 10,
      pricePerMessage: 0.0079,
    });
    assert.deepEqual(put.config, {
      accountSid: 'AC123',
      authToken: '••••',
      from: '+15005550006',
      baseUrl: 'https://api.twilio.com',
      timeoutMs: 10_000,
    });
    await admin('PUT', '/api/v1/channels/webhook', {
      provider: 'webhook',
      config: { url: 'https://hooks.example/in', secret: 'whsec-0123456789abcdef', headers: { 'X-Api-Key': 'k' } },
    });
    const { channels } = await admin('GET', '/api/v1/channels');
    assert.deepEqual(
      channels.map((c: { channel: string; provider: string; perSecond: number | null }) => [
        c.channel,
        c.provider,
        c.perSecond,
      ]),
      [
        ['sms', 'twilio', 10],
        ['webhook', 'webhook', null],
      ],
    );
    assert.ok(!JSON.stringify(channels).includes('tok-secret') && !JSON.stringify(channels).includes('whsec-'));
  });

  it('lists the providers with their settings schema and secret fields', async () => {
    const { providers } = await admin('GET', '/api/v1/channels/providers');
    assert.deepEqual(
      providers.map((p: { name: string; channel: string }) => `${p.channel}:${p.name}`),
      [
        'email:smtp',
        'sms:sms-http',
        'sms:twilio',
        'webpush:webpush',
        'push:fcm',
        'telegram:telegram',
        'webhook:webhook',
      ],
    );
    const smtp = providers[0];
    assert.deepEqual(smtp.secrets, ['auth.pass', 'dkim.privateKey']);
    assert.deepEqual(smtp.settings.required, ['host']);
  });

  it('DELETE removes the channel; a second DELETE is a 404', async () => {
    await admin('DELETE', '/api/v1/channels/webhook', undefined, 204);
    const res = await s.call('DELETE', '/api/v1/channels/webhook', { key: s.adminKey });
    assert.equal(res.status, 404);
    assert.match(res.body.message, /GET \/api\/v1\/channels/);
  });

  it('serves the service worker and the snippet (public JavaScript)', async () => {
    for (const [path, mark] of [
      ['/sdk/retain-sw.js', 'showNotification'],
      ['/sdk/webpush.js', '/v1/push/subscribe'],
    ] as const) {
      const res = await s.call('GET', path);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/javascript/);
      assert.ok(String(res.body).includes(mark));
    }
  });

  it('a website may call /v1/push/subscribe from its own origin (CORS preflight without the key)', async () => {
    const res = await s.call('OPTIONS', '/v1/push/subscribe', {
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-headers')!, /authorization/);
    assert.equal((await s.call('OPTIONS', '/v2/push/subscribe')).status, 404);
  });

  it('subscribe stores the subscription on the customer: newest first, one per endpoint', async () => {
    const subscribe = (body: unknown) =>
      s.call('POST', '/v1/push/subscribe', { key: s.writeKey, body, headers: { origin: 'https://shop.example' } });
    const first = await subscribe({ userId: 'ann', subscription: subscription('laptop') });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body, { success: true, subscriptions: 1 });
    assert.equal(first.headers.get('access-control-allow-origin'), '*');
    await subscribe({ userId: 'ann', subscription: subscription('phone') });
    assert.deepEqual(await subscriptionsOf('ann'), ['phone', 'laptop']);
    await subscribe({ userId: 'ann', subscription: subscription('laptop') });
    assert.deepEqual(await subscriptionsOf('ann'), ['laptop', 'phone']);
  });

  it('concurrent subscribes of one customer all stay', async () => {
    const devices = ['d1', 'd2', 'd3', 'd4', 'd5'];
    const answers = await Promise.all(
      devices.map((d) =>
        s.call('POST', '/v1/push/subscribe', {
          key: s.writeKey,
          body: { userId: 'bob', subscription: subscription(d) },
        }),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200, 200],
    );
    assert.deepEqual((await subscriptionsOf('bob')).sort(), devices);
  });

  it('subscribe refusals name the field', async () => {
    const table: [unknown, RegExp][] = [
      [{ subscription: subscription('x') }, /^userId: send userId or anonymousId/],
      [
        { userId: 'ann', subscription: { ...subscription('x'), endpoint: 'http://10.0.0.1/internal' } },
        /^subscription\.endpoint: must be the https:\/\/ URL of a push service/,
      ],
      [{ userId: 'ann', subscription: { endpoint: 'https://push.example/x' } }, /^subscription\.keys: /],
    ];
    for (const [body, message] of table) {
      const res = await s.call('POST', '/v1/push/subscribe', { key: s.writeKey, body });
      assert.equal(res.status, 400);
      assert.match(res.body.message, message);
    }
    const anonymous = await s.call('POST', '/v1/push/subscribe', {
      body: { userId: 'ann', subscription: subscription('x') },
    });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('access-control-allow-origin'), '*', 'so that the page can read why');
  });
});
