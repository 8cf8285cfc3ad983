// "Check connection" and "Send a test" over the API, against a real local SMTP server and a local stand-in for Telegram:
// the answers are sentences a marketer can act on (wrong password, refused port, unknown host, refused recipient), the
// form's unsaved settings can be tried (•••• keeping the saved secret), and bad settings are refused field by field.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { closeProviders } from '../../src/channels/store.ts';
import { mailServer, type MailServer } from './mail-server.ts';
import { localServer, type LocalServer } from './servers.ts';

/** A port nothing listens on: taken from the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe(`channel check and test send (${backend})`, () => {
  let s: Served;
  let mail: MailServer;
  let telegram: LocalServer;
  const smtp = (over: Record<string, unknown> = {}) => ({
    provider: 'smtp',
    config: {
      host: '127.0.0.1',
      port: mail.port,
      auth: { user: 'shop', pass: 'pw-123' },
      from: 'Shop <hello@shop.test>',
      ...over,
    },
  });
  const post = async (path: string, body?: unknown) => s.call('POST', path, { key: s.adminKey, body });

  before(async () => {
    s = await serve();
    mail = await mailServer();
    telegram = await localServer((req) =>
      req.url.startsWith('/bot123:good/')
        ? { body: { ok: true, result: req.url.endsWith('/getMe') ? { username: 'shop_bot' } : { message_id: 77 } } }
        : { status: 401, body: { ok: false, description: 'Unauthorized' } },
    );
  });
  after(async () => {
    await closeProviders();
    await telegram.close();
    await mail.close();
    await s.close();
  });

  it('admin keys only', async () => {
    assert.equal((await s.call('POST', '/api/v1/channels/email/check', { key: s.writeKey, body: smtp() })).status, 403);
    assert.equal(
      (await s.call('POST', '/api/v1/channels/email/test', { key: s.writeKey, body: { ...smtp(), to: 'a@b.test' } }))
        .status,
      403,
    );
  });

  it('SMTP check: good credentials log in; a wrong password, a refused port and an unknown host are told in words', async () => {
    const good = await post('/api/v1/channels/email/check', smtp());
    assert.equal(good.status, 200);
    assert.deepEqual(good.body, {
      ok: true,
      message: `Connected to 127.0.0.1:${mail.port} and logged in as shop.`,
      reason: 'smtp_connected_login',
      values: { where: `127.0.0.1:${mail.port}`, user: 'shop' },
    });

    const wrong = await post('/api/v1/channels/email/check', smtp({ auth: { user: 'shop', pass: 'nope' } }));
    assert.equal(wrong.body.ok, false);
    assert.match(wrong.body.message, /^The server refused the user name or password: check them/);
    assert.doesNotMatch(wrong.body.message, /nope|at \w+ \(/, 'neither the password nor a stack trace');

    const port = await closedPort();
    const refused = await post('/api/v1/channels/email/check', smtp({ port }));
    assert.deepEqual(refused.body, {
      ok: false,
      message: `Nothing answered at 127.0.0.1:${port} (the connection was refused): check the host and the port.`,
      reason: 'refused_connection',
      values: { where: `127.0.0.1:${port}` },
    });

    const unknown = await post('/api/v1/channels/email/check', smtp({ host: 'no-such-host.invalid' }));
    assert.deepEqual(unknown.body, {
      ok: false,
      message: 'The host "no-such-host.invalid" was not found: check its spelling.',
      reason: 'smtp_host_unknown',
      values: { host: 'no-such-host.invalid' },
    });

    const tls = await post('/api/v1/channels/email/check', smtp({ secure: true }));
    assert.equal(tls.body.ok, false);
    assert.match(
      tls.body.message,
      /^The secure connection \(TLS\) to 127\.0\.0\.1:\d+ failed: this port does not start with TLS/,
    );
  });

  it('SMTP check against something that is not an SMTP server: said in words, its answer never repeated', async () => {
    const other = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request inside-banner-7f3a\r\n\r\n'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const { port } = other.address() as AddressInfo;
      const res = await post('/api/v1/channels/email/check', smtp({ port }));
      assert.deepEqual(res.body, {
        ok: false,
        message: `What answered at 127.0.0.1:${port} is not an SMTP server: check the port (587, 465 or 25).`,
        reason: 'smtp_not_smtp',
        values: { where: `127.0.0.1:${port}` },
      });
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('SMTP test: the local server receives it; a refused recipient is told in words', async () => {
    const before = mail.received.length;
    const sent = await post('/api/v1/channels/email/test', { ...smtp(), to: 'owner@shop.test' });
    assert.equal(sent.body.ok, true, sent.body.message);
    assert.match(sent.body.message, /^Sent: 127\.0\.0\.1 accepted the test for owner@shop\.test/);
    assert.equal(mail.received.length, before + 1);
    assert.deepEqual(mail.received.at(-1)!.to, ['owner@shop.test']);
    assert.match(mail.received.at(-1)!.raw, /Subject: Test from Retain/);

    const gone = await post('/api/v1/channels/email/test', { ...smtp(), to: 'gone@example.test' });
    assert.equal(gone.body.ok, false);
    assert.match(
      gone.body.message,
      /^The server refused the recipient gone@example\.test: check the address\. The server said: "550 5\.1\.1/,
    );
  });

  it('bad settings, a missing sender or a missing recipient: 400 naming the field, nothing sent', async () => {
    const before = mail.received.length;
    const port = await post('/api/v1/channels/email/check', smtp({ port: 70000 }));
    assert.equal(port.status, 400);
    assert.deepEqual(port.body.issues, [
      {
        field: 'config.port',
        reason: 'must be at most 65535: the SMTP port: 587 (STARTTLS), 465 (TLS) or 25',
        code: 'too_big',
        values: { max: 65535 },
      },
    ]);
    const noTo = await post('/api/v1/channels/email/test', smtp());
    assert.equal(noTo.status, 400);
    assert.equal(noTo.body.issues[0].field, 'to');
    const noFrom = await post('/api/v1/channels/email/test', { ...smtp({ from: undefined }), to: 'a@shop.test' });
    assert.equal(noFrom.status, 400);
    assert.equal(noFrom.body.issues[0].field, 'config.from');
    assert.equal(mail.received.length, before);
  });

  it('the saved settings are used when the body has none, and •••• keeps the saved password', async () => {
    const none = await post('/api/v1/channels/email/check');
    assert.equal(none.status, 404);
    assert.match(none.body.message, /No provider is set for "email"/);
    const saved = await s.call('PUT', '/api/v1/channels/email', { key: s.adminKey, body: smtp() });
    assert.equal(saved.status, 200);
    assert.equal(saved.body.config.auth.pass, '••••');
    assert.equal((await post('/api/v1/channels/email/check')).body.ok, true);
    const masked = await post('/api/v1/channels/email/check', smtp({ auth: { user: 'shop', pass: '••••' } }));
    assert.deepEqual(masked.body, {
      ok: true,
      message: `Connected to 127.0.0.1:${mail.port} and logged in as shop.`,
      reason: 'smtp_connected_login',
      values: { where: `127.0.0.1:${mail.port}`, user: 'shop' },
    });
    const before = mail.received.length;
    assert.equal((await post('/api/v1/channels/email/test', { to: 'saved@shop.test' })).body.ok, true);
    assert.deepEqual(
      mail.received.slice(before).map((m) => m.to),
      [['saved@shop.test']],
    );
  });

  it('Telegram: check proves the token, a test reaches the chat, a wrong token is told in words', async () => {
    const config = (botToken: string) => ({ provider: 'telegram', config: { botToken, baseUrl: telegram.url } });
    assert.deepEqual((await post('/api/v1/channels/telegram/check', config('123:good'))).body, {
      ok: true,
      message: 'Telegram knows the token: messages will come from @shop_bot.',
      reason: 'telegram_ok_bot',
      values: { bot: '@shop_bot' },
    });
    assert.deepEqual((await post('/api/v1/channels/telegram/check', config('123:bad'))).body, {
      ok: false,
      message: 'Telegram does not know this bot token: copy it again from @BotFather.',
      reason: 'telegram_refused',
      values: {},
    });
    const sent = await post('/api/v1/channels/telegram/test', { ...config('123:good'), to: '4242' });
    assert.deepEqual(sent.body, {
      ok: true,
      message: 'Sent: Telegram bot accepted the test (its id: 77).',
      reason: 'sent_id',
      values: { provider: 'Telegram bot', id: '77' },
    });
    assert.equal(telegram.seen.at(-1)!.json.chat_id, '4242');
  });

  it('Twilio: check proves the SID and token; a test is sent; a refused number is told in words', async () => {
    const good = `Basic ${Buffer.from('AC1:good-token').toString('base64')}`;
    const twilio = await localServer((req) => {
      if (req.headers.authorization !== good) return { status: 401, body: { code: 20003, message: 'Authenticate' } };
      if (req.method === 'GET') return { body: { sid: 'AC1', status: 'active' } };
      return req.form.get('To') === '+15005550001'
        ? { status: 400, body: { code: 21211, message: 'Invalid To' } }
        : { status: 201, body: { sid: 'SM42' } };
    });
    try {
      const config = (authToken: string) => ({
        provider: 'twilio',
        config: { accountSid: 'AC1', authToken, from: '+15005550006', baseUrl: twilio.url },
      });
      assert.deepEqual((await post('/api/v1/channels/sms/check', config('good-token'))).body, {
        ok: true,
        message: 'Twilio accepted the Account SID and Auth Token.',
        reason: 'twilio_ok',
        values: {},
      });
      assert.equal(twilio.seen.at(-1)!.url, '/2010-04-01/Accounts/AC1.json');
      assert.deepEqual((await post('/api/v1/channels/sms/check', config('bad'))).body, {
        ok: false,
        message: 'Twilio refused the Account SID or the Auth Token: copy them again from the Twilio console.',
        reason: 'twilio_refused',
        values: {},
      });
      assert.deepEqual(
        (await post('/api/v1/channels/sms/test', { ...config('good-token'), to: '+15005550009' })).body,
        {
          ok: true,
          message: 'Sent: Twilio accepted the test (its id: SM42).',
          reason: 'sent_id',
          values: { provider: 'Twilio', id: 'SM42' },
        },
      );
      assert.equal(twilio.seen.at(-1)!.form.get('Body'), 'This is a test from Retain: your channel settings work.');
      const refused = await post('/api/v1/channels/sms/test', { ...config('good-token'), to: '+15005550001' });
      assert.equal(refused.body.ok, false);
      assert.match(refused.body.message, /^Twilio did not accept it \(HTTP 400: Twilio error 21211/);
      assert.equal(refused.body.reason, 'http_not_accepted');
      assert.match(refused.body.said, /^HTTP 400: Twilio error 21211/, 'what Twilio said travels as received');
    } finally {
      await twilio.close();
    }
  });

  it('FCM: check signs in with the service account; a refused account is told in words', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const google = await localServer((req) =>
      req.form.get('assertion')?.split('.').length === 3 &&
      req.form.get('grant_type')?.endsWith('jwt-bearer') &&
      !req.url.includes('refuse')
        ? { body: { access_token: 'ya29.test', expires_in: 3600 } }
        : { status: 400, body: { error: 'invalid_grant' } },
    );
    try {
      const config = (path: string) => ({
        provider: 'fcm',
        config: {
          serviceAccount: {
            project_id: 'shop-app',
            client_email: 'retain@shop-app.iam.example',
            private_key: privateKey,
            token_uri: `${google.url}${path}`,
          },
        },
      });
      assert.deepEqual((await post('/api/v1/channels/push/check', config('/token'))).body, {
        ok: true,
        message: 'Google accepted the service account of project shop-app.',
        reason: 'fcm_ok',
        values: { project: 'shop-app' },
      });
      assert.deepEqual((await post('/api/v1/channels/push/check', config('/refuse'))).body, {
        ok: false,
        message:
          'Google refused the service account: generate a new private key in the Firebase console and paste the new file.',
        reason: 'fcm_refused',
        values: {},
      });
    } finally {
      await google.close();
    }
  });

  it('the address guard: an inside address is refused in words, next to its field, before anything is called', async () => {
    const seen = telegram.seen.length;
    const res = await post('/api/v1/channels/telegram/check', {
      provider: 'telegram',
      config: { botToken: '123:good', baseUrl: 'http://169.254.169.254' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.issues[0].field, 'config.baseUrl');
    assert.match(res.body.issues[0].reason, /^169\.254\.169\.254 is a cloud metadata address/);
    assert.equal(telegram.seen.length, seen);
  });

  it('Web Push: the check proves the generated key pair', async () => {
    const res = await post('/api/v1/channels/webpush/check', {
      provider: 'webpush',
      config: { subject: 'mailto:owner@shop.test' },
    });
    assert.deepEqual(res.body, {
      ok: true,
      message: 'The VAPID keys are a valid pair. Paste the snippet on your site, then send a test to a subscription.',
      reason: 'vapid_ok',
      values: {},
    });
  });
});
