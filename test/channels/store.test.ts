// Channel settings in the database: saved encrypted, shown masked, "••••" keeps a stored secret, and getProvider serves a
// live provider that is reused (one SMTP connection for many sends) until the settings change.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import {
  closeProviders,
  deleteChannel,
  getChannel,
  getProvider,
  listChannels,
  saveChannel,
} from '../../src/channels/store.ts';
import { ChannelConfigError } from '../../src/channels/registry.ts';
import { decryptJson, keyFromSetting } from '../../src/channels/secrets.ts';
import type { OutgoingMessage } from '../../src/channels/types.ts';
import { mailServer, type MailServer } from './mail-server.ts';

const KEY = keyFromSetting(randomBytes(32).toString('base64'));
const OTHER_KEY = keyFromSetting('another passphrase entirely');

const mail = (to: string): OutgoingMessage => ({
  key: `k-${to}`,
  channel: 'email',
  to,
  purpose: 'marketing',
  email: { subject: 'Hi', html: '<p>Hi</p>', text: 'Hi', from: 'shop@shop.example' },
});

/** The fields a refused save names. */
async function refusal(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ChannelConfigError) return err.issues.map((i) => i.field);
    throw err;
  }
  assert.fail('the save was accepted');
}

describe(`channel store (${backend})`, () => {
  let t: TestDb;
  let smtp: MailServer;
  const ws = () => t.workspaceId;
  const smtpConfig = (pass: string) => ({
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    auth: { user: 'shop', pass },
    from: 'shop@shop.example',
  });

  before(async () => {
    t = await freshDb();
    smtp = await mailServer();
  });
  after(async () => {
    await closeProviders();
    await smtp.close();
    await t.close();
  });

  it('saves encrypted and shows secrets masked', async () => {
    const saved = await saveChannel(
      t.db,
      ws(),
      'email',
      { provider: 'smtp', config: smtpConfig('pw-123'), perSecond: 50, pricePerMessage: 0.0004 },
      KEY,
    );
    assert.deepEqual(saved.config, {
      ...smtpConfig('••••'),
      requireTLS: false,
      allowInvalidCertificate: false,
      pool: { maxConnections: 5, maxMessages: 100 },
      timeoutMs: 10_000,
    });
    assert.deepEqual(
      [saved.channel, saved.provider, saved.perSecond, saved.pricePerMessage],
      ['email', 'smtp', 50, 0.0004],
    );
    const [row] = await t.db.query<{ config_encrypted: string }>(
      'SELECT config_encrypted FROM channel_providers WHERE workspace_id = $1',
      [ws()],
    );
    assert.ok(!row!.config_encrypted.includes('pw-123') && !row!.config_encrypted.includes('127.0.0.1'));
    assert.deepEqual(
      (await listChannels(t.db, ws(), KEY)).map((c) => [c.channel, (c.config?.auth as { pass: string }).pass]),
      [['email', '••••']],
    );
  });

  it('"••••" sent back keeps the stored secret; a real value replaces it', async () => {
    const stored = async () => {
      const [row] = await t.db.query<{ config_encrypted: string }>(
        'SELECT config_encrypted FROM channel_providers WHERE workspace_id = $1 AND channel = $2',
        [ws(), 'email'],
      );
      return decryptJson(row!.config_encrypted, KEY, `${ws()}/email`) as { auth: { pass: string }; port: number };
    };
    await saveChannel(
      t.db,
      ws(),
      'email',
      { provider: 'smtp', config: { ...smtpConfig('••••'), pool: { maxConnections: 2 } } },
      KEY,
    );
    assert.equal((await stored()).auth.pass, 'pw-123');
    await saveChannel(t.db, ws(), 'email', { provider: 'smtp', config: smtpConfig('pw-123') }, KEY);
    assert.equal((await stored()).auth.pass, 'pw-123');
  });

  it('refusals name the fields', async () => {
    const table: [string, Parameters<typeof saveChannel>[3], string, string[]][] = [
      [
        '"••••" with nothing stored',
        { provider: 'twilio', config: { accountSid: 'AC1', authToken: '••••', from: '+15550001' } },
        'sms',
        ['config.authToken'],
      ],
      [
        'settings missing and mistyped',
        { provider: 'smtp', config: { hots: 'smtp.example.com', port: 'x' } },
        'email',
        ['config.host', 'config.port', 'config.hots'],
      ],
      ['a provider of another channel', { provider: 'twilio', config: {} }, 'email', ['provider']],
      ['an unknown provider', { provider: 'carrier-pigeon', config: {} }, 'sms', ['provider']],
      ['an unknown channel', { provider: 'smtp', config: {} }, 'fax', ['channel']],
      ['a rate of zero', { provider: 'smtp', config: smtpConfig('x'), perSecond: 0 }, 'email', ['perSecond']],
      [
        'a negative price',
        { provider: 'smtp', config: smtpConfig('x'), pricePerMessage: -1 },
        'email',
        ['pricePerMessage'],
      ],
    ];
    for (const [name, input, channel, fields] of table)
      assert.deepEqual(await refusal(saveChannel(t.db, ws(), channel, input, KEY)), fields, name);
  });

  it('getProvider: one live provider (and one SMTP connection) for many sends, with its rate and price', async () => {
    const before = smtp.connections();
    const p1 = await getProvider(t.db, ws(), 'email', KEY);
    const p2 = await getProvider(t.db, ws(), 'email', KEY);
    assert.ok(p1 && p1 === p2);
    assert.deepEqual([p1.name, p1.channel, p1.perSecond, p1.pricePerMessage], ['smtp', 'email', null, 0]);
    for (const to of ['a@x.test', 'b@x.test', 'c@x.test'])
      assert.equal((await (await getProvider(t.db, ws(), 'email', KEY))!.send(mail(to))).ok, true);
    assert.equal(smtp.connections() - before, 1);
  });

  it('changed settings: a new provider at the next call; the old one closes its connections', async () => {
    const old = await getProvider(t.db, ws(), 'email', KEY);
    const closedBefore = smtp.closed();
    await saveChannel(t.db, ws(), 'email', { provider: 'smtp', config: smtpConfig('pw-123'), perSecond: 20 }, KEY);
    const fresh = await getProvider(t.db, ws(), 'email', KEY);
    assert.ok(fresh && fresh !== old);
    assert.equal(fresh.perSecond, 20);
    assert.equal((await fresh.send(mail('d@x.test'))).ok, true);
    for (let i = 0; i < 50 && smtp.closed() === closedBefore; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(smtp.closed(), closedBefore + 1);
  });

  it('Web Push without keys gets a VAPID pair: the public key is shown, the private key masked', async () => {
    const saved = await saveChannel(
      t.db,
      ws(),
      'webpush',
      { provider: 'webpush', config: { subject: 'mailto:ops@shop.example' } },
      KEY,
    );
    assert.match(String(saved.config!.publicKey), /^[\w-]{87}$/);
    assert.equal(saved.config!.privateKey, '••••');
    const again = await saveChannel(t.db, ws(), 'webpush', { provider: 'webpush', config: saved.config }, KEY);
    assert.equal(again.config!.publicKey, saved.config!.publicKey, 'kept when saved back as shown');
  });

  it('a wrong secret key: listed with the reason, and getProvider says which setting to check', async () => {
    const [email] = (await listChannels(t.db, ws(), OTHER_KEY)).filter((c) => c.channel === 'email');
    assert.equal(email!.config, null);
    assert.match(email!.error!, /another secret key.*RETAIN_SECRET_KEY/);
    await saveChannel(
      t.db,
      ws(),
      'webhook',
      { provider: 'webhook', config: { url: 'https://hooks.example/x', secret: '0123456789abcdef' } },
      KEY,
    );
    await assert.rejects(getProvider(t.db, ws(), 'webhook', OTHER_KEY), /Set RETAIN_SECRET_KEY/);
  });

  it('deleted: no provider any more', async () => {
    assert.equal(await deleteChannel(t.db, ws(), 'webhook'), true);
    assert.equal(await deleteChannel(t.db, ws(), 'webhook'), false);
    assert.equal(await getProvider(t.db, ws(), 'webhook', KEY), null);
    assert.equal(await getChannel(t.db, ws(), 'webhook', KEY), null);
  });
});
