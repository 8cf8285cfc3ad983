// FCM HTTP v1 against a local server: the service-account JWT is verified with the public key, the access token is
// cached and renewed when refused, the message has FCM's shape, and FCM's errors are classified.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { FcmProvider, fcmSettings } from '../../src/channels/fcm.ts';
import type { OutgoingMessage, ProviderResult } from '../../src/channels/types.ts';
import { localServer, type LocalServer } from './servers.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

const push = (token: string, url?: string): OutgoingMessage => ({
  key: `k-${token}`,
  channel: 'push',
  to: token,
  purpose: 'marketing',
  push: { title: 'Back in stock', body: 'The lamp you liked is back.', url },
});
const shape = (r: ProviderResult) =>
  r.ok
    ? { ok: true, id: r.providerMessageId }
    : { ok: false, retryable: r.retryable, suppress: r.suppress, retryAfterMs: r.retryAfterMs };

/** Checks an RS256 JWT with the public key and answers its claims (or null). */
function verifiedClaims(jwt: string): Record<string, unknown> | null {
  const [header, claims, signature] = jwt.split('.');
  if (JSON.parse(Buffer.from(header!, 'base64url').toString()).alg !== 'RS256') return null;
  const ok = createVerify('RSA-SHA256')
    .update(`${header}.${claims}`)
    .verify(publicKey, Buffer.from(signature!, 'base64url'));
  return ok ? JSON.parse(Buffer.from(claims!, 'base64url').toString()) : null;
}

const fcmError = (code: number, status: string, message: string, details: unknown[] = []) => ({
  status: code,
  body: { error: { code, message, status, details } },
});

describe('FCM HTTP v1', () => {
  let google: LocalServer;
  const issued: string[] = [];
  const revoked = new Set<string>();
  let fcm: FcmProvider;
  const tokenRequests = () => google.seen.filter((r) => r.url === '/token').length;

  before(async () => {
    google = await localServer((req) => {
      if (req.url === '/token') {
        const claims =
          req.form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer'
            ? verifiedClaims(req.form.get('assertion') ?? '')
            : null;
        const now = Date.now() / 1000;
        const valid =
          claims &&
          claims.iss === 'retain@proj-1.iam.gserviceaccount.com' &&
          claims.aud === `${google.url}/token` &&
          claims.scope === 'https://www.googleapis.com/auth/firebase.messaging' &&
          Number(claims.exp) > now &&
          Number(claims.iat) <= now + 5;
        if (!valid)
          return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
        issued.push(`ya29.token-${issued.length + 1}`);
        return { body: { access_token: issued.at(-1), expires_in: 3599, token_type: 'Bearer' } };
      }
      if (req.url !== '/v1/projects/proj-1/messages:send') return { status: 404, body: 'no such route' };
      const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!issued.includes(bearer) || revoked.has(bearer))
        return fcmError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
      const token = req.json.message.token;
      if (token === 'tok-gone')
        return fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', [
          { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' },
        ]);
      if (token === 'tok-bad')
        return fcmError(400, 'INVALID_ARGUMENT', 'The registration token is not a valid FCM registration token', [
          { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'INVALID_ARGUMENT' },
        ]);
      if (token === 'tok-payload')
        return fcmError(400, 'INVALID_ARGUMENT', 'Invalid value at message.data', [
          { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'message.data' }] },
        ]);
      if (token === 'tok-busy')
        return {
          ...fcmError(503, 'UNAVAILABLE', 'The service is currently unavailable.'),
          headers: { 'retry-after': '10' },
        };
      return { body: { name: `projects/proj-1/messages/0:${token}` } };
    });
    const serviceAccount = {
      type: 'service_account',
      project_id: 'proj-1',
      private_key_id: 'kid-1',
      private_key: privateKey,
      client_email: 'retain@proj-1.iam.gserviceaccount.com',
      token_uri: `${google.url}/token`,
    };
    // Pasted as the JSON text Firebase gives out.
    fcm = new FcmProvider(fcmSettings.parse({ serviceAccount: JSON.stringify(serviceAccount), baseUrl: google.url }));
  });
  after(() => google.close());

  it('gets an access token with a signed JWT, then sends the notification with its link', async () => {
    const r = await fcm.send(push('tok-ok', 'https://shop.example/lamp'));
    assert.deepEqual(shape(r), { ok: true, id: 'projects/proj-1/messages/0:tok-ok' });
    const sent = google.seen.at(-1)!;
    assert.equal(sent.headers.authorization, 'Bearer ya29.token-1');
    assert.deepEqual(sent.json, {
      message: {
        token: 'tok-ok',
        notification: { title: 'Back in stock', body: 'The lamp you liked is back.' },
        data: { key: 'k-tok-ok', url: 'https://shop.example/lamp' },
        webpush: { fcm_options: { link: 'https://shop.example/lamp' } },
      },
    });
  });

  it('reuses the access token until it expires; concurrent sends share one', async () => {
    await Promise.all(['a', 'b', 'c'].map((t) => fcm.send(push(`tok-${t}`))));
    assert.equal(tokenRequests(), 1);
  });

  it('a refused (revoked) access token is renewed once and the send goes through', async () => {
    revoked.add('ya29.token-1');
    assert.equal((await fcm.send(push('tok-d'))).ok, true);
    assert.equal(tokenRequests(), 2);
    assert.equal(google.seen.at(-1)!.headers.authorization, 'Bearer ya29.token-2');
  });

  const table: [string, string, ReturnType<typeof shape>][] = [
    [
      'UNREGISTERED: the app was uninstalled → permanent, unsubscribed',
      'tok-gone',
      { ok: false, retryable: false, suppress: 'unsubscribed', retryAfterMs: undefined },
    ],
    [
      'INVALID_ARGUMENT about the token → permanent, unsubscribed',
      'tok-bad',
      { ok: false, retryable: false, suppress: 'unsubscribed', retryAfterMs: undefined },
    ],
    [
      'INVALID_ARGUMENT about the payload → permanent, the token is kept',
      'tok-payload',
      { ok: false, retryable: false, suppress: undefined, retryAfterMs: undefined },
    ],
    [
      'UNAVAILABLE with Retry-After → retry in 10 s',
      'tok-busy',
      { ok: false, retryable: true, suppress: undefined, retryAfterMs: 10_000 },
    ],
  ];
  for (const [name, token, expected] of table)
    it(name, async () => assert.deepEqual(shape(await fcm.send(push(token))), expected));

  it("a service account with the wrong key is refused a token: permanent, with the OAuth error code (not Google's text)", async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const wrong = new FcmProvider(
      fcmSettings.parse({
        serviceAccount: {
          project_id: 'proj-1',
          private_key: other.privateKey,
          client_email: 'retain@proj-1.iam.gserviceaccount.com',
          token_uri: `${google.url}/token`,
        },
        baseUrl: google.url,
      }),
    );
    const r = await wrong.send(push('tok-ok'));
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && [r.retryable, r.error], [
      false,
      'HTTP 400: the service account was refused a token (invalid_grant)',
    ]);
  });

  it('settings name the missing service-account fields', () => {
    const r = fcmSettings.safeParse({ serviceAccount: { project_id: 'p' } });
    assert.deepEqual(
      r.error?.issues.map((i) => i.path.join('.')),
      ['serviceAccount.client_email', 'serviceAccount.private_key'],
    );
  });
});
