// The generic webhook against a local receiver that checks the signature the way a receiver should.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookProvider, webhookSettings } from '../../src/channels/webhook.ts';
import type { OutgoingMessage } from '../../src/channels/types.ts';
import { localServer, type LocalServer } from './servers.ts';

const SECRET = 'whsec-0123456789abcdef';
const NOW = Date.parse('2026-03-01T12:00:00Z');

/** What a receiver does: recompute HMAC-SHA256(secret, "<t>.<raw body>") and compare in constant time; reject old stamps. */
function verify(header: string | undefined, rawBody: string, secret: string, nowSeconds: number): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!parts.v1 || !Number.isInteger(t) || Math.abs(nowSeconds - t) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const message = (body: Record<string, unknown>, key = 'intent-7:webhook'): OutgoingMessage => ({
  key,
  channel: 'webhook',
  to: 'customer-7',
  purpose: 'transactional',
  webhook: { body },
});

describe('signed webhook', () => {
  let receiver: LocalServer;
  before(async () => {
    receiver = await localServer((req) => {
      if (!verify(req.headers['x-retain-signature'] as string, req.text, SECRET, NOW / 1000))
        return { status: 401, body: { error: 'bad signature' } };
      if (req.json.fail) return { status: Number(req.json.fail), body: 'nope' };
      return { status: 202, headers: { 'x-request-id': 'rcv-1' } };
    });
  });
  after(() => receiver.close());

  const provider = (secret = SECRET) =>
    new WebhookProvider(
      webhookSettings.parse({ url: `${receiver.url}/hook`, secret, headers: { 'X-Tenant': 'shop' } }),
      () => NOW,
    );

  it('POSTs the JSON body with a signature the receiver verifies and the idempotency key', async () => {
    const r = await provider().send(
      message({ event: 'cart.reminder', customer: { id: 7, name: 'Zoë' }, items: [1, 2] }),
    );
    assert.deepEqual(r, { ok: true, providerMessageId: 'rcv-1' });
    const req = receiver.seen.at(-1)!;
    assert.deepEqual(req.json, { event: 'cart.reminder', customer: { id: 7, name: 'Zoë' }, items: [1, 2] });
    assert.equal(req.headers['idempotency-key'], 'intent-7:webhook');
    assert.equal(req.headers['x-tenant'], 'shop');
    assert.match(req.headers['x-retain-signature'] as string, /^t=1772366400,v1=[0-9a-f]{64}$/);
  });

  it('signed with another secret: the receiver refuses (401, permanent), and its answer is not repeated', async () => {
    const r = await provider('another-secret-0123456789').send(message({ a: 1 }));
    assert.deepEqual(!r.ok && [r.retryable, r.error], [
      false,
      'HTTP 401: the provider refused the credentials or the request',
    ]);
  });

  const table: [number, boolean][] = [
    [500, true],
    [503, true],
    [429, true],
    [400, false],
    [410, false],
  ];
  for (const [status, retryable] of table) {
    it(`the receiver answers ${status}: ${retryable ? 'retry' : 'permanent'}`, async () => {
      const r = await provider().send(message({ fail: status }));
      assert.equal(!r.ok && r.retryable, retryable);
    });
  }

  it('a short secret is refused with the field and what to do', () => {
    const r = webhookSettings.safeParse({ url: 'https://hooks.example', secret: 'short' });
    assert.deepEqual(
      r.error?.issues.map((i) => [i.path.join('.'), i.message]),
      [['secret', 'is too short: use 16 characters or more']],
    );
  });
});
