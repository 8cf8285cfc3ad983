// Web Push against a local push service: the VAPID JWT verifies with the public key, and the body decrypts (RFC 8291)
// with the browser's subscription keys to the payload the service worker reads; a gone subscription is suppressed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv, createECDH, createPublicKey, createVerify, hkdfSync, randomBytes } from 'node:crypto';
import webpush from 'web-push';
import { WebPushProvider, webPushSettings } from '../../src/channels/webpush.ts';
import type { OutgoingMessage, ProviderResult } from '../../src/channels/types.ts';
import { localServer, type Answer, type LocalServer } from './servers.ts';

const vapid = webpush.generateVAPIDKeys();

/** A browser's side of a subscription: its P-256 key pair and auth secret. */
function browser() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return { ecdh, auth, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } };
}

/** RFC 8291 / 8188 aes128gcm, one record: what the browser does with the push it receives. */
function decrypt(body: Buffer, b: ReturnType<typeof browser>): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const serverKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const shared = b.ecdh.computeSecret(serverKey);
  const info = (label: string) => Buffer.from(`Content-Encoding: ${label}\0`);
  const ikm = Buffer.from(
    hkdfSync(
      'sha256',
      shared,
      b.auth,
      Buffer.concat([Buffer.from('WebPush: info\0'), b.ecdh.getPublicKey(), serverKey]),
      32,
    ),
  );
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, info('aes128gcm'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, info('nonce'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(-16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
  let end = padded.length - 1;
  while (padded[end] === 0) end--;
  assert.equal(padded[end], 2, 'the last record ends with the 0x02 delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** Checks "vapid t=<ES256 JWT>, k=<public key>" and answers the JWT claims (or null). */
function vapidClaims(header: string | undefined): Record<string, unknown> | null {
  const m = /^vapid t=([^,]+), k=(.+)$/.exec(header ?? '');
  if (!m || m[2] !== vapid.publicKey) return null;
  const point = Buffer.from(m[2], 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const [h, c, s] = m[1]!.split('.');
  const ok = createVerify('SHA256')
    .update(`${h}.${c}`)
    .verify({ key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s!, 'base64url'));
  return ok ? JSON.parse(Buffer.from(c!, 'base64url').toString()) : null;
}

const shape = (r: ProviderResult) =>
  r.ok ? { ok: true } : { ok: false, retryable: r.retryable, suppress: r.suppress, retryAfterMs: r.retryAfterMs };

describe('Web Push with VAPID', () => {
  let service: LocalServer;
  let provider: WebPushProvider;
  const ann = browser();
  const message = (endpointPath: string, b = ann): OutgoingMessage => ({
    key: 'intent-9:webpush',
    channel: 'webpush',
    to: JSON.stringify({ endpoint: `${service.url}${endpointPath}`, expirationTime: null, keys: b.keys }),
    purpose: 'marketing',
    push: {
      title: 'Your cart misses you',
      body: 'The lamp is still there.',
      url: 'https://shop.example/cart',
      icon: 'https://shop.example/i.png',
    },
  });

  before(async () => {
    service = await localServer((req): Answer => {
      const claims = vapidClaims(req.headers.authorization);
      if (
        !claims ||
        claims.aud !== service.url ||
        claims.sub !== 'mailto:ops@shop.example' ||
        Number(claims.exp) < Date.now() / 1000
      )
        return { status: 403, body: 'bad VAPID' };
      if (req.url === '/push/gone') return { status: 410, body: 'push subscription has unsubscribed or expired' };
      if (req.url === '/push/unknown') return { status: 404, body: 'not found' };
      if (req.url === '/push/busy') return { status: 429, headers: { 'retry-after': '30' }, body: 'slow down' };
      return { status: 201, headers: { location: `${service.url}/m/1` } };
    });
    provider = new WebPushProvider(
      webPushSettings.parse({
        subject: 'mailto:ops@shop.example',
        publicKey: vapid.publicKey,
        privateKey: vapid.privateKey,
        allowHttpEndpoints: true,
        ttlSeconds: 3600,
        urgency: 'high',
      }),
    );
  });
  after(() => service.close());

  it('delivers an encrypted payload with a VAPID header the push service accepts', async () => {
    const r = await provider.send(message('/push/ann'));
    assert.deepEqual(r, { ok: true, providerMessageId: `${service.url}/m/1` });
    const req = service.seen.at(-1)!;
    assert.deepEqual(
      [req.headers['content-encoding'], req.headers.ttl, req.headers.urgency],
      ['aes128gcm', '3600', 'high'],
    );
    assert.ok(!req.text.includes('lamp'), 'the body is not readable in transit');
    assert.deepEqual(JSON.parse(decrypt(req.body, ann)), {
      title: 'Your cart misses you',
      body: 'The lamp is still there.',
      url: 'https://shop.example/cart',
      icon: 'https://shop.example/i.png',
      key: 'intent-9:webpush',
    });
  });

  const table: [string, string, ReturnType<typeof shape>][] = [
    [
      '410 Gone: the subscription expired → permanent, unsubscribed',
      '/push/gone',
      { ok: false, retryable: false, suppress: 'unsubscribed', retryAfterMs: undefined },
    ],
    [
      '404: the subscription is unknown → permanent, unsubscribed',
      '/push/unknown',
      { ok: false, retryable: false, suppress: 'unsubscribed', retryAfterMs: undefined },
    ],
    [
      '429 with Retry-After → retry in 30 s',
      '/push/busy',
      { ok: false, retryable: true, suppress: undefined, retryAfterMs: 30_000 },
    ],
  ];
  for (const [name, path, expected] of table)
    it(name, async () => assert.deepEqual(shape(await provider.send(message(path))), expected));

  it('an address that is not a usable subscription is suppressed without a request', async () => {
    const before = service.seen.length;
    const strict = new WebPushProvider(
      webPushSettings.parse({
        subject: 'mailto:ops@shop.example',
        publicKey: vapid.publicKey,
        privateKey: vapid.privateKey,
      }),
    );
    const cases = [
      { ...message('/push/ann'), to: 'not json' },
      { ...message('/push/ann'), to: JSON.stringify({ endpoint: 'https://push.example/x' }) },
      {
        ...message('/push/ann'),
        to: JSON.stringify({ endpoint: 'https://push.example/x', keys: { p256dh: 'short', auth: 'x' } }),
      },
      message('/push/ann'), // http:// endpoint while allowHttpEndpoints is off
    ];
    for (const m of cases)
      assert.deepEqual(shape(await strict.send(m)), {
        ok: false,
        retryable: false,
        suppress: 'invalid_address',
        retryAfterMs: undefined,
      });
    assert.equal(service.seen.length, before);
  });
});
