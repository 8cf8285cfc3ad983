// SMS through a configurable HTTP gateway and through Twilio, each against a local server that speaks its request shape.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SmsHttpProvider, smsHttpSettings } from '../../src/channels/sms-http.ts';
import { TwilioProvider, twilioSettings } from '../../src/channels/twilio.ts';
import type { OutgoingMessage, ProviderResult } from '../../src/channels/types.ts';
import { deadUrl, localServer, type LocalServer } from './servers.ts';

const sms = (to: string, text = 'Your code is 1234 & it expires soon'): OutgoingMessage => ({
  key: `k-${to}`,
  channel: 'sms',
  to,
  purpose: 'transactional',
  sms: { text },
});
const shape = (r: ProviderResult) =>
  r.ok
    ? { ok: true, id: r.providerMessageId }
    : { ok: false, retryable: r.retryable, suppress: r.suppress, retryAfterMs: r.retryAfterMs };

describe('SMS over a configurable HTTP gateway', () => {
  let gw: LocalServer;
  before(async () => {
    gw = await localServer((req) => {
      const to = req.json?.recipient ?? req.form.get('to') ?? new URL(req.url, 'http://x').searchParams.get('to');
      if (to === '+15550000429') return { status: 429, headers: { 'retry-after': '3' }, body: { error: 'slow down' } };
      if (to === '+15550000400') return { status: 400, body: { error: 'bad number' } };
      if (to === '+15550000500') return { status: 502, body: 'upstream down' };
      if (to === '+15550000999') return { hang: true };
      return { status: 200, body: { data: { messages: [{ id: `gw-${to}` }] } } };
    });
  });
  after(() => gw.close());

  it('JSON body: placeholders filled (and JSON-escaped), secrets in a header, id read at idPath', async () => {
    const provider = new SmsHttpProvider(
      smsHttpSettings.parse({
        url: `${gw.url}/send`,
        headers: { Authorization: 'Bearer {{secrets.apiKey}}' },
        body: { recipient: '{{to}}', message: '{{text}}', ref: '{{key}}', sender: 'SHOP', options: { flash: false } },
        secrets: { apiKey: 's3cr3t' },
        idPath: 'data.messages[0].id',
      }),
    );
    const r = await provider.send(sms('+15551230001', 'He said "hi" {{to}}'));
    assert.deepEqual(shape(r), { ok: true, id: 'gw-+15551230001' });
    const req = gw.seen.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.headers.authorization, 'Bearer s3cr3t');
    assert.equal(req.headers['content-type'], 'application/json');
    // The message text is data, not a template: its own "{{to}}" stays as written.
    assert.deepEqual(req.json, {
      recipient: '+15551230001',
      message: 'He said "hi" {{to}}',
      ref: 'k-+15551230001',
      sender: 'SHOP',
      options: { flash: false },
    });
  });

  it('form body and GET query: values URL-encoded', async () => {
    const form = new SmsHttpProvider(
      smsHttpSettings.parse({
        url: `${gw.url}/form`,
        format: 'form',
        body: { to: '{{to}}', text: '{{text}}' },
        idPath: '$.data.messages[0].id',
      }),
    );
    assert.deepEqual(shape(await form.send(sms('+15551230002'))), { ok: true, id: 'gw-+15551230002' });
    const posted = gw.seen.at(-1)!;
    assert.equal(posted.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.fromEntries(posted.form), {
      to: '+15551230002',
      text: 'Your code is 1234 & it expires soon',
    });

    const get = new SmsHttpProvider(
      smsHttpSettings.parse({
        url: `${gw.url}/get?to={{to}}&msg={{text}}&key={{secrets.k}}`,
        method: 'GET',
        secrets: { k: 'a&b' },
      }),
    );
    assert.deepEqual(shape(await get.send(sms('+15551230003'))), { ok: true, id: undefined });
    const query = new URL(gw.seen.at(-1)!.url, 'http://x').searchParams;
    assert.deepEqual(
      [query.get('to'), query.get('msg'), query.get('key')],
      ['+15551230003', 'Your code is 1234 & it expires soon', 'a&b'],
    );
  });

  const json = () =>
    new SmsHttpProvider(
      smsHttpSettings.parse({
        url: `${gw.url}/send`,
        body: { recipient: '{{to}}', message: '{{text}}' },
        timeoutMs: 300,
      }),
    );
  const failures: [string, string, ReturnType<typeof shape>][] = [
    [
      '429 with Retry-After: retry in 3 s',
      '+15550000429',
      { ok: false, retryable: true, suppress: undefined, retryAfterMs: 3000 },
    ],
    ['502: retry', '+15550000500', { ok: false, retryable: true, suppress: undefined, retryAfterMs: undefined }],
    ['400: permanent', '+15550000400', { ok: false, retryable: false, suppress: undefined, retryAfterMs: undefined }],
    [
      'no answer within timeoutMs: retry',
      '+15550000999',
      { ok: false, retryable: true, suppress: undefined, retryAfterMs: undefined },
    ],
  ];
  for (const [name, to, expected] of failures)
    it(name, async () => assert.deepEqual(shape(await json().send(sms(to))), expected));

  it('a gateway that is down: retry', async () => {
    const down = new SmsHttpProvider(smsHttpSettings.parse({ url: `${await deadUrl()}/send`, body: { to: '{{to}}' } }));
    assert.deepEqual(shape(await down.send(sms('+15551230009'))), {
      ok: false,
      retryable: true,
      suppress: undefined,
      retryAfterMs: undefined,
    });
  });

  it('settings: an unknown placeholder is named with its field', () => {
    const r = smsHttpSettings.safeParse({
      url: 'https://gw.example/send',
      body: { to: '{{phone}}', auth: '{{secrets.nope}}' },
    });
    assert.equal(r.success, false);
    assert.deepEqual(
      r.error!.issues.map((i) => [i.path.join('.'), i.message.split(':')[0]]),
      [
        ['body.to', '{{phone}} is not a placeholder'],
        ['body.auth', '{{secrets.nope}} is not a placeholder'],
      ],
    );
  });
});

describe('SMS through Twilio', () => {
  let api: LocalServer;
  const twilio = () =>
    new TwilioProvider(
      twilioSettings.parse({
        accountSid: 'AC123',
        authToken: 'tok-456',
        from: '+15005550006',
        statusCallback: 'https://retain.example/hooks/twilio',
        baseUrl: api.url,
      }),
    );

  before(async () => {
    api = await localServer((req) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('AC123:tok-456').toString('base64')}`)
        return { status: 401, body: { code: 20003, message: 'Authenticate' } };
      if (req.url !== '/2010-04-01/Accounts/AC123/Messages.json')
        return { status: 404, body: { code: 20404, message: 'not found' } };
      const to = req.form.get('To');
      if (to === '+15005550001')
        return {
          status: 400,
          body: { code: 21211, message: "The 'To' number +15005550001 is not a valid phone number.", status: 400 },
        };
      if (to === '+15005550002')
        return { status: 400, body: { code: 21614, message: "'To' number is not a valid mobile number", status: 400 } };
      if (to === '+15005550004')
        return {
          status: 400,
          body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 },
        };
      if (to === '+15005550009')
        return {
          status: 429,
          headers: { 'retry-after': '2' },
          body: { code: 20429, message: 'Too Many Requests', status: 429 },
        };
      return { status: 201, body: { sid: 'SM0001', status: 'queued', to } };
    });
  });
  after(() => api.close());

  it('POSTs To / From / Body / StatusCallback form-encoded with basic auth; answers the SID', async () => {
    const r = await twilio().send(sms('+15551234567'));
    assert.deepEqual(shape(r), { ok: true, id: 'SM0001' });
    const req = api.seen.at(-1)!;
    assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.fromEntries(req.form), {
      To: '+15551234567',
      Body: 'Your code is 1234 & it expires soon',
      From: '+15005550006',
      StatusCallback: 'https://retain.example/hooks/twilio',
    });
  });

  const table: [string, string, ReturnType<typeof shape>][] = [
    [
      '21211 invalid number: permanent, suppressed',
      '+15005550001',
      { ok: false, retryable: false, suppress: 'invalid_address', retryAfterMs: undefined },
    ],
    [
      '21614 not a mobile number: permanent, suppressed',
      '+15005550002',
      { ok: false, retryable: false, suppress: 'invalid_address', retryAfterMs: undefined },
    ],
    [
      '21610 the recipient sent STOP: permanent, unsubscribed',
      '+15005550004',
      { ok: false, retryable: false, suppress: 'unsubscribed', retryAfterMs: undefined },
    ],
    [
      '429 with Retry-After: retry in 2 s',
      '+15005550009',
      { ok: false, retryable: true, suppress: undefined, retryAfterMs: 2000 },
    ],
  ];
  for (const [name, to, expected] of table)
    it(name, async () => assert.deepEqual(shape(await twilio().send(sms(to))), expected));

  it("the error names Twilio's code and says in our words what it means (Twilio's message is not repeated)", async () => {
    const r = await twilio().send(sms('+15005550001'));
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error, 'HTTP 400: Twilio error 21211: the number is not a valid phone number');
  });

  it('settings need a sender', () => {
    const r = twilioSettings.safeParse({ accountSid: 'AC1', authToken: 't' });
    assert.deepEqual(
      r.error?.issues.map((i) => i.path.join('.')),
      ['from'],
    );
  });
});
