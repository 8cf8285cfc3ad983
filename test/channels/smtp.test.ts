// SMTP against a real local SMTP server (smtp-server): the mail as received, DKIM, pooling, and refusals classified.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createVerify, generateKeyPairSync } from 'node:crypto';
import { SmtpProvider, smtpSettings, type SmtpSettings } from '../../src/channels/smtp.ts';
import type { OutgoingMessage } from '../../src/channels/types.ts';
import { mailServer, type MailServer } from './mail-server.ts';
import { readMail } from '../helpers/mail-parts.ts';

/** The header block of a raw message, unfolded. */
const headersOf = (raw: string) => raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(headersOf(raw))?.[1];

/** Checks a relaxed/relaxed rsa-sha256 DKIM signature (RFC 6376 §3.4) against the public key: body hash and signature. */
function verifyDkim(raw: string, publicKey: string): boolean {
  const split = raw.indexOf('\r\n\r\n');
  const lines = raw.slice(0, split).split('\r\n');
  const fields: string[] = [];
  for (const line of lines)
    if (/^[ \t]/.test(line)) fields[fields.length - 1] += `\r\n${line}`;
    else fields.push(line);
  const relaxed = (field: string) => {
    const colon = field.indexOf(':');
    return `${field.slice(0, colon).trim().toLowerCase()}:${field
      .slice(colon + 1)
      .replace(/\r\n/g, '')
      .replace(/[ \t]+/g, ' ')
      .trim()}`;
  };
  const signature = fields.find((f) => /^dkim-signature:/i.test(f))!;
  const tags = Object.fromEntries(
    relaxed(signature)
      .slice('dkim-signature:'.length)
      .split(';')
      .map((t) => t.trim().split(/=(.*)/s).slice(0, 2)),
  );
  const body = raw
    .slice(split + 4)
    .split('\r\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
    .join('\r\n')
    .replace(/(\r\n)*$/, '\r\n');
  if (createHash('sha256').update(body).digest('base64') !== tags.bh) return false;
  const signed = tags.h
    .split(':')
    .map((name: string) => relaxed([...fields].reverse().find((f) => f.toLowerCase().startsWith(`${name.trim()}:`))!));
  const unsigned = relaxed(signature).replace(/b=[^;]*$/, 'b=');
  return createVerify('RSA-SHA256')
    .update(`${signed.join('\r\n')}\r\n${unsigned}`)
    .verify(publicKey, tags.b.replace(/ /g, ''), 'base64');
}

const mail = (to: string, over: Partial<NonNullable<OutgoingMessage['email']>> = {}): OutgoingMessage => ({
  key: `m-${to}`,
  channel: 'email',
  to,
  purpose: 'marketing',
  email: {
    subject: 'Your cart is waiting',
    html: '<p>You left <b>a lamp</b> in your cart.</p>',
    text: 'You left a lamp in your cart.',
    from: 'Shop <hello@shop.example>',
    headers: {
      'List-Unsubscribe': '<https://retain.example/u/abc>, <mailto:unsubscribe@shop.example?subject=abc>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    ...over,
  },
});

describe('SMTP provider', () => {
  let server: MailServer;
  let smtp: SmtpProvider;
  const settings = (over: Record<string, unknown> = {}): SmtpSettings =>
    smtpSettings.parse({
      host: '127.0.0.1',
      port: server.port,
      secure: false,
      auth: { user: 'shop', pass: 'pw-123' },
      ...over,
    });

  before(async () => {
    server = await mailServer();
    smtp = new SmtpProvider(settings());
  });
  after(async () => {
    await smtp.close();
    await server.close();
  });

  it('delivers subject, HTML and text parts and the List-Unsubscribe headers; answers the Message-ID', async () => {
    const result = await smtp.send(mail('ann@example.test'));
    assert.equal(result.ok, true);
    const got = server.received.at(-1)!;
    assert.deepEqual([got.from, got.to], ['hello@shop.example', ['ann@example.test']]);
    assert.equal(header(got.raw, 'Subject'), 'Your cart is waiting');
    assert.equal(
      header(got.raw, 'List-Unsubscribe'),
      '<https://retain.example/u/abc>, <mailto:unsubscribe@shop.example?subject=abc>',
    );
    assert.equal(header(got.raw, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
    const read = readMail(got.raw);
    assert.equal(read.text, 'You left a lamp in your cart.');
    assert.equal(read.html, '<p>You left <b>a lamp</b> in your cart.</p>');
    assert.equal(result.ok && result.providerMessageId, header(got.raw, 'Message-ID'));
  });

  it('keeps its connection open for the next messages (pooled)', async () => {
    const before = server.connections();
    for (const to of ['b@example.test', 'c@example.test', 'd@example.test'])
      assert.equal((await smtp.send(mail(to))).ok, true);
    assert.equal(server.connections(), before);
  });

  const refusals = [
    { to: 'gone@example.test', expect: { ok: false, retryable: false, suppress: 'hard_bounce' }, error: /550 5\.1\.1/ },
    { to: 'busy@example.test', expect: { ok: false, retryable: true, suppress: undefined }, error: /451 4\.7\.1/ },
  ];
  for (const r of refusals) {
    it(`a recipient refused with ${r.error.source.slice(0, 3)} → ${r.expect.retryable ? 'retry later' : 'permanent, suppressed as a hard bounce'}`, async () => {
      const result = await smtp.send(mail(r.to));
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.deepEqual({ ok: result.ok, retryable: result.retryable, suppress: result.suppress }, r.expect);
      assert.match(result.error, r.error);
      // The pool goes on after a refusal.
      assert.equal((await smtp.send(mail('after@example.test'))).ok, true);
    });
  }

  it('signs with DKIM when configured', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const signed = new SmtpProvider(
      settings({ dkim: { domainName: 'shop.example', keySelector: 'retain', privateKey } }),
    );
    try {
      assert.equal((await signed.send(mail('dkim@example.test'))).ok, true);
      const dkim = header(server.received.at(-1)!.raw, 'DKIM-Signature');
      assert.ok(dkim, 'a DKIM-Signature header');
      assert.match(dkim, /a=rsa-sha256/);
      assert.match(dkim, /d=shop\.example/);
      assert.match(dkim, /s=retain/);
      const raw = server.received.at(-1)!.raw;
      assert.equal(verifyDkim(raw, publicKey), true, 'the signature verifies with the public key');
      assert.equal(
        verifyDkim(raw.replace('Subject: Your cart', 'Subject: Your cat'), publicKey),
        false,
        'and fails on a changed subject',
      );
      assert.equal(verifyDkim(raw.replace('a lamp in', 'a lump in'), publicKey), false, 'and on a changed body');
      assert.equal(header(server.received.at(-2)!.raw, 'DKIM-Signature'), undefined, 'unsigned without DKIM settings');
    } finally {
      await signed.close();
    }
  });

  it('wrong credentials are refused (535: permanent); no server at all is retryable', async () => {
    const wrong = new SmtpProvider(settings({ auth: { user: 'shop', pass: 'nope' } }));
    const r1 = await wrong.send(mail('x@example.test'));
    await wrong.close();
    assert.deepEqual(r1.ok === false && [r1.retryable, r1.suppress], [false, undefined]);
    const nowhere = new SmtpProvider(
      smtpSettings.parse({ host: '127.0.0.1', port: 1, secure: false, timeoutMs: 2000 }),
    );
    const r2 = await nowhere.send(mail('x@example.test'));
    await nowhere.close();
    assert.equal(r2.ok === false && r2.retryable, true);
  });

  it('an address that is not one bare address is refused before anything is sent', async () => {
    const before = server.received.length;
    for (const to of ['a@x.test, b@y.test', 'Ann <ann@x.test>', 'not-an-address']) {
      const r = await smtp.send(mail(to));
      assert.deepEqual(!r.ok && [r.retryable, r.suppress], [false, 'invalid_address'], to);
    }
    assert.equal(server.received.length, before);
  });

  it('without a sender anywhere it says where to set one', async () => {
    const r = await smtp.send(mail('x@example.test', { from: undefined }));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /set "from"/);
  });
});
