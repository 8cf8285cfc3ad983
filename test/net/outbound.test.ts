// Outgoing requests against real local receivers: an inside address is refused before anything is sent — in any URL
// spelling, behind a DNS name, behind a redirect — unless the operator allows it; what a name resolves to is checked by
// the very lookup the socket connects with; and every provider that calls an address a workspace chose goes this way.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { createECDH, generateKeyPairSync, randomBytes } from 'node:crypto';
import webpush from 'web-push';
import { failureOf, httpCall, isFailure } from '../../src/channels/http.ts';
import { NOTHING_ALLOWED, parseAllowList } from '../../src/net/policy.ts';
import type { OutboundPolicy } from '../../src/net/request.ts';
import { WebhookProvider, webhookSettings } from '../../src/channels/webhook.ts';
import { SmsHttpProvider, smsHttpSettings } from '../../src/channels/sms-http.ts';
import { TwilioProvider, twilioSettings } from '../../src/channels/twilio.ts';
import { TelegramProvider, telegramSettings } from '../../src/channels/telegram.ts';
import { FcmProvider, fcmSettings } from '../../src/channels/fcm.ts';
import { WebPushProvider, webPushSettings } from '../../src/channels/webpush.ts';
import type { OutgoingMessage, Provider } from '../../src/channels/types.ts';
import { localServer, type LocalServer } from '../channels/servers.ts';

const LOOPBACK = 'blocked_address: 127.0.0.1 is a loopback address; allow it with RETAIN_ALLOW_PRIVATE_HOSTS';
const post = (url: string, policy: OutboundPolicy, headers: Record<string, string> = {}) =>
  httpCall(url, {
    body: '{"n":1}',
    headers: { 'content-type': 'application/json', ...headers },
    timeoutMs: 5000,
    policy,
  });
const refusedWith = (error: string) => ({ ok: false, retryable: false, error });
const only = (...entries: string[]): OutboundPolicy => ({ allow: parseAllowList(entries) });
/** A resolver that knows a few names (and counts the questions), as DNS would answer them. */
function dns(names: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = async (host: string): Promise<LookupAddress[]> => {
    asked.push(host);
    const found = names[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { asked, resolve };
}

describe('outgoing requests reach inside addresses only when the operator allows them', () => {
  let inside: LocalServer; // 127.0.0.1: what must not be reached
  let allowed: LocalServer; // 127.0.0.2: a receiver the operator allows
  let port: string;
  before(async () => {
    inside = await localServer(() => ({ status: 200, body: { secret: 'inside' } }));
    allowed = await localServer((req) => {
      const m = /^\/to\/(\d{3})\/(.+)$/.exec(req.url);
      return m
        ? { status: Number(m[1]), headers: { location: decodeURIComponent(m[2]!) } }
        : { status: 200, body: { ok: true } };
    }, '127.0.0.2');
    port = new URL(inside.url).port;
  });
  after(async () => {
    await inside.close();
    await allowed.close();
  });
  const nothingReachedInside = () => assert.deepEqual(inside.seen, [], 'the inside receiver got nothing');

  it('a loopback receiver without the allow list: refused before sending, permanent, saying how to allow it', async () => {
    assert.deepEqual(await post(`${inside.url}/hook`, { allow: NOTHING_ALLOWED }), refusedWith(LOOPBACK));
    nothingReachedInside();
  });

  it('every URL spelling of 127.0.0.1 and of ::1 is judged as the address it is', async () => {
    const table: [string, string][] = [
      [`http://0x7f.1:${port}/`, LOOPBACK],
      [`http://2130706433:${port}/`, LOOPBACK],
      [`http://017700000001:${port}/`, LOOPBACK],
      [`http://127.1:${port}/`, LOOPBACK],
      [
        `http://[::ffff:127.0.0.1]:${port}/`,
        'blocked_address: ::ffff:7f00:1 is a loopback address; allow it with RETAIN_ALLOW_PRIVATE_HOSTS',
      ],
      [`http://[::1]:${port}/`, 'blocked_address: ::1 is a loopback address; allow it with RETAIN_ALLOW_PRIVATE_HOSTS'],
      [
        `http://localhost:${port}/`,
        'blocked_address: localhost is a loopback address; allow it with RETAIN_ALLOW_PRIVATE_HOSTS',
      ],
      [
        `http://0.0.0.0:${port}/`,
        'blocked_address: 0.0.0.0 is an unspecified address; allow it with RETAIN_ALLOW_PRIVATE_HOSTS',
      ],
    ];
    for (const [url, error] of table)
      assert.deepEqual(await post(url, { allow: NOTHING_ALLOWED }), refusedWith(error), url);
    nothingReachedInside();
  });

  it('allowed by the list (an address, a range or the name): delivered', async () => {
    for (const policy of [only('127.0.0.1'), only('127.0.0.0/8'), only('localhost')]) {
      const url = policy.allow.hosts.length ? `http://localhost:${port}/hook` : `${inside.url}/hook`;
      const r = await post(url, policy);
      assert.ok(!isFailure(r) && r.status === 200, JSON.stringify(r));
    }
    assert.equal(inside.seen.length, 3);
    inside.seen.length = 0;
  });

  it('a redirect from an allowed receiver to an inside address is refused; the inside receiver gets nothing', async () => {
    for (const status of [307, 308]) {
      const r = await post(
        `${allowed.url}/to/${status}/${encodeURIComponent(`${inside.url}/steal`)}`,
        only('127.0.0.2'),
      );
      assert.deepEqual(r, refusedWith(LOOPBACK));
    }
    const viaName = await post(`${allowed.url}/to/307/${encodeURIComponent(`http://evil.example.test:${port}/`)}`, {
      ...only('127.0.0.2'),
      resolve: dns({ 'evil.example.test': ['127.0.0.1'] }).resolve,
    });
    assert.deepEqual(
      viaName,
      refusedWith(
        'blocked_address: evil.example.test resolves to a loopback address; allow it with RETAIN_ALLOW_PRIVATE_HOSTS',
      ),
    );
    nothingReachedInside();
  });

  it('307/308 keep the method and body to an allowed place; credentials stay behind on another origin; 301/302/303 are not followed', async () => {
    allowed.seen.length = 0;
    const hop = `${allowed.url}/to/308/${encodeURIComponent(`http://127.0.0.2:${new URL(allowed.url).port}/final`)}`;
    const same = await post(hop, only('127.0.0.2'), { authorization: 'Bearer s3cret' });
    assert.ok(!isFailure(same) && same.status === 200);
    assert.deepEqual(
      allowed.seen.map((s) => [s.method, s.url.split('/')[1], s.text, s.headers.authorization]),
      [
        ['POST', 'to', '{"n":1}', 'Bearer s3cret'],
        ['POST', 'final', '{"n":1}', 'Bearer s3cret'],
      ],
    );
    const other = await post(
      `${allowed.url}/to/307/${encodeURIComponent(`${inside.url}/other-origin`)}`,
      only('127.0.0.2', '127.0.0.1'),
      { authorization: 'Bearer s3cret' },
    );
    assert.ok(!isFailure(other) && other.status === 200);
    assert.deepEqual(
      inside.seen.map((s) => [s.method, s.text, s.headers.authorization]),
      [['POST', '{"n":1}', undefined]],
    );
    inside.seen.length = 0;
    const moved = await post(
      `${allowed.url}/to/302/${encodeURIComponent(`${inside.url}/x`)}`,
      only('127.0.0.2', '127.0.0.1'),
    );
    assert.ok(
      !isFailure(moved) && moved.status === 302,
      'a 302 would turn the POST into a GET without its body: not followed',
    );
    assert.deepEqual(
      failureOf(moved),
      refusedWith('HTTP 302: the provider redirected the request: configure the address it redirects to'),
    );
    const loop = `${allowed.url}/to/307/${encodeURIComponent(`${allowed.url}/to/307/${encodeURIComponent(`${allowed.url}/to/307/${encodeURIComponent(`${allowed.url}/to/307/${encodeURIComponent(`${allowed.url}/to/307/x`)}`)}`)}`)}`;
    assert.deepEqual(
      await post(loop, only('127.0.0.2')),
      refusedWith('bad_redirect: more than 3 redirects; configure the address they end at'),
    );
    nothingReachedInside();
  });

  it('what DNS answers is checked: private, metadata and IPv6 loopback answers are refused without saying the address', async () => {
    const names = dns({
      'hooks.shop.test': ['10.0.0.1'],
      'meta.shop.test': ['169.254.169.254'],
      'six.shop.test': ['::1'],
      'nat64.shop.test': ['64:ff9b::a9fe:a9fe'],
    });
    const table: [string, string][] = [
      ['hooks.shop.test', 'a private network address'],
      ['meta.shop.test', 'a cloud metadata address'],
      ['six.shop.test', 'a loopback address'],
      ['nat64.shop.test', 'a cloud metadata address'],
    ];
    for (const [host, kind] of table) {
      assert.deepEqual(
        await post(`http://${host}:${port}/`, { allow: NOTHING_ALLOWED, resolve: names.resolve }),
        refusedWith(`blocked_address: ${host} resolves to ${kind}; allow it with RETAIN_ALLOW_PRIVATE_HOSTS`),
      );
    }
    const unknown = await post(`http://nowhere.shop.test:${port}/`, { allow: NOTHING_ALLOWED, resolve: names.resolve });
    assert.ok(
      isFailure(unknown) && unknown.retryable && /ENOTFOUND/.test(unknown.error),
      'a name that does not resolve is a network failure',
    );
    nothingReachedInside();
  });

  it('the socket connects to what was checked: one lookup per connection, and only allowed answers are used', async () => {
    allowed.seen.length = 0;
    const names = dns({ 'mixed.shop.test': ['127.0.0.1', '127.0.0.2'] });
    const r = await post(`http://mixed.shop.test:${new URL(allowed.url).port}/mixed`, {
      ...only('127.0.0.2'),
      resolve: names.resolve,
    });
    assert.ok(!isFailure(r) && r.status === 200);
    assert.deepEqual(
      names.asked,
      ['mixed.shop.test'],
      'no separate check before connecting: nothing for DNS to change in between',
    );
    assert.deepEqual(
      allowed.seen.map((s) => s.url),
      ['/mixed'],
    );
    nothingReachedInside();
  });

  it('a name the operator allows may resolve to an inside address', async () => {
    const r = await post(`http://gateway.internal:${port}/sms`, {
      ...only('gateway.internal'),
      resolve: dns({ 'gateway.internal': ['127.0.0.1'] }).resolve,
    });
    assert.ok(!isFailure(r) && r.status === 200);
    assert.deepEqual(
      inside.seen.map((s) => s.url),
      ['/sms'],
    );
    inside.seen.length = 0;
  });
});

describe('every provider that calls an address from its settings or its recipient is refused an inside one', () => {
  let inside: LocalServer;
  const saved = process.env.RETAIN_ALLOW_PRIVATE_HOSTS;
  before(async () => {
    inside = await localServer(() => ({
      status: 200,
      body: { ok: true, id: 'x', sid: 'SM1', name: 'm/1', access_token: 't', result: { message_id: 1 } },
    }));
    delete process.env.RETAIN_ALLOW_PRIVATE_HOSTS; // providers use the operator's list: none here
  });
  after(async () => {
    process.env.RETAIN_ALLOW_PRIVATE_HOSTS = saved;
    await inside.close();
  });

  const vapid = webpush.generateVAPIDKeys();
  const browser = createECDH('prime256v1');
  const keys = { p256dh: browser.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
  const serviceKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  const table: [string, () => [Provider, OutgoingMessage]][] = [
    [
      'webhook',
      () => [
        new WebhookProvider(webhookSettings.parse({ url: `${inside.url}/hook`, secret: '0123456789abcdef' })),
        { key: 'k1', channel: 'webhook', to: '1', purpose: 'marketing', webhook: { body: { a: 1 } } },
      ],
    ],
    [
      'sms-http',
      () => [
        new SmsHttpProvider(
          smsHttpSettings.parse({ url: `${inside.url}/sms`, body: { to: '{{to}}', text: '{{text}}' } }),
        ),
        { key: 'k2', channel: 'sms', to: '+48600100200', purpose: 'marketing', sms: { text: 'hi' } },
      ],
    ],
    [
      'twilio',
      () => [
        new TwilioProvider(
          twilioSettings.parse({ accountSid: 'AC1', authToken: 't', from: '+15005550006', baseUrl: inside.url }),
        ),
        { key: 'k3', channel: 'sms', to: '+48600100200', purpose: 'marketing', sms: { text: 'hi' } },
      ],
    ],
    [
      'telegram',
      () => [
        new TelegramProvider(telegramSettings.parse({ botToken: '123:abc', baseUrl: inside.url })),
        { key: 'k4', channel: 'telegram', to: '42', purpose: 'marketing', telegram: { text: 'hi' } },
      ],
    ],
    [
      'fcm (its token URL)',
      () => [
        new FcmProvider(
          fcmSettings.parse({
            serviceAccount: {
              project_id: 'p',
              client_email: 'a@p.iam.gserviceaccount.com',
              private_key: serviceKey,
              token_uri: `${inside.url}/token`,
            },
          }),
        ),
        { key: 'k5', channel: 'push', to: 'tok', purpose: 'marketing', push: { title: 't', body: 'b' } },
      ],
    ],
    [
      'webpush (the subscription endpoint)',
      () => [
        new WebPushProvider(
          webPushSettings.parse({
            subject: 'mailto:ops@shop.example',
            publicKey: vapid.publicKey,
            privateKey: vapid.privateKey,
            allowHttpEndpoints: true,
          }),
        ),
        {
          key: 'k6',
          channel: 'webpush',
          to: JSON.stringify({ endpoint: `${inside.url}/push/1`, keys }),
          purpose: 'marketing',
          push: { title: 't', body: 'b' },
        },
      ],
    ],
  ];
  for (const [name, make] of table) {
    it(`${name}: refused, permanent, nothing sent`, async () => {
      const [provider, message] = make();
      assert.deepEqual(await provider.send(message), refusedWith(LOOPBACK));
      assert.deepEqual(inside.seen, []);
    });
  }
});
