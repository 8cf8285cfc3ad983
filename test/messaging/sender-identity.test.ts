// The sender's identity has one place, the messaging settings: migration 015 moves values an older version kept in
// workspaces.settings.messaging there; templates read it from there; and every marketing e-mail carries the
// identification (where the template prints it, or as a footer line), transactional mail only when the template says.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { recordConsent } from '../../src/consent/store.ts';
import { getGateSettings, putGateSettings } from '../../src/messaging/gate-settings.ts';
import { getMessageDefaults } from '../../src/messaging/templates/settings.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { putJourneySettings } from '../../src/journeys/index.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { withSenderIdentification } from '../../src/messaging/templates/sender-footer.ts';
import { readMail } from '../helpers/mail-parts.ts';

const readable = (raw: string) => {
  const m = readMail(raw);
  return `${m.text ?? ''}\n${m.html ?? ''}`;
};
const count = (text: string, part: string) => text.split(part).length - 1;

describe(`sender identity: one setting, carried by marketing e-mail (${backend})`, () => {
  let t: TestDb;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  before(async () => {
    t = await freshDb();
    smtp = await smtpServer();
  });
  after(async () => {
    await closeProviders();
    await smtp.close();
    await t.close();
  });

  it('migration 015 moves the old workspace settings into the messaging settings; a value already there wins', async () => {
    const old = (await createWorkspace(t.db, 'old')).id;
    const both = (await createWorkspace(t.db, 'both')).id;
    const none = (await createWorkspace(t.db, 'none')).id;
    const legacy = (ws: string, messaging: object) =>
      t.db.query(`UPDATE workspaces SET settings = jsonb_set(settings, '{messaging}', $2::jsonb) WHERE id = $1`, [
        ws,
        JSON.stringify(messaging),
      ]);
    await legacy(old, {
      defaultLocale: 'pl',
      currency: 'PLN',
      senderName: ' Old Shop ',
      senderIdentification: 'Old Shop sp. z o.o., KRS 1',
    });
    await legacy(both, { senderName: 'Legacy', senderIdentification: 'Legacy Ltd' });
    await putGateSettings(t.db, both, { doubleOptInEmail: true, senderIdentification: 'Current Ltd' });
    await legacy(none, { currency: 'EUR' });
    await t.db.query("DELETE FROM schema_migrations WHERE name LIKE '015_%'");
    assert.deepEqual((await migrate(t.db)).filter((f) => f.startsWith('015_')).length, 1);

    assert.deepEqual(
      await getGateSettings(t.db, old),
      {
        caps: { all: { perDay: 1, perWeek: 3 } },
        quietHours: { from: '21:00', to: '09:00' },
        doubleOptInEmail: false,
        senderName: 'Old Shop',
        senderIdentification: 'Old Shop sp. z o.o., KRS 1',
      },
      'the defaults, plus the moved sender',
    );
    const b = await getGateSettings(t.db, both);
    assert.deepEqual(
      [b.doubleOptInEmail, b.senderName, b.senderIdentification],
      [true, 'Legacy', 'Current Ltd'],
      'kept, filled in where missing',
    );
    assert.equal(
      (await t.db.query('SELECT 1 FROM messaging_settings WHERE workspace_id = $1', [none])).length,
      0,
      'nothing to move: no row made',
    );
    const left = Object.fromEntries(
      (
        await t.db.query<{ id: string; messaging: object }>(
          "SELECT id, settings->'messaging' AS messaging FROM workspaces WHERE id = ANY($1)",
          [[old, both, none]],
        )
      ).map((r) => [r.id, r.messaging]),
    );
    assert.deepEqual(
      left,
      { [old]: { defaultLocale: 'pl', currency: 'PLN' }, [both]: {}, [none]: { currency: 'EUR' } },
      'removed from the old place',
    );
    const defaults = await getMessageDefaults(t.db, old);
    // (the currency left there is read by migration 019, which makes it the base currency: test/money/currency-reports.test.ts)
    assert.deepEqual(
      [defaults.locale, defaults.sender],
      ['pl', { name: 'Old Shop', identification: 'Old Shop sp. z o.o., KRS 1' }],
    );
  });

  const footer: [string, { html: string; text: string }, string | null, { html: number; text: number }][] = [
    [
      'absent: added to both parts, escaped in HTML',
      { html: '<html><body><p>Hi</p></body></html>', text: 'Hi' },
      'A & B Ltd',
      { html: 1, text: 1 },
    ],
    [
      'printed by the template: left as it is',
      { html: '<body><p>A &amp; B Ltd</p></body>', text: 'Hi\n\nA & B Ltd' },
      'A & B Ltd',
      { html: 1, text: 1 },
    ],
    ['no </body>: appended', { html: '<p>Hi</p>', text: 'Hi' }, 'Shop', { html: 1, text: 1 }],
    ['no identification set: unchanged', { html: '<body></body>', text: 'Hi' }, null, { html: 0, text: 0 }],
  ];
  for (const [what, email, id, expected] of footer) {
    it(`the identification footer: ${what}`, () => {
      const out = withSenderIdentification(email, { identification: id });
      const needle = id ?? 'retain-sender';
      assert.equal(count(out.html, needle.replace(/&/g, '&amp;')), expected.html);
      assert.equal(count(out.text, needle), expected.text);
      if (id && expected.html)
        assert.ok(
          out.html.indexOf(needle.replace(/&/g, '&amp;')) < out.html.indexOf('</body>') >>> 0,
          'inside the body',
        );
    });
  }

  it('a marketing e-mail sent through the dispatcher carries the identification once; a transactional one does not get it added', async () => {
    const ws = (await createWorkspace(t.db, 'shop')).id;
    const now = new Date('2026-06-01T10:00:00Z');
    await putJourneySettings(t.db, ws, { share: 0 });
    await putGateSettings(t.db, ws, {
      quietHours: null,
      senderName: 'Sklep',
      senderIdentification: 'Sklep sp. z o.o., ul. Prosta 1, Warszawa',
    });
    await saveChannel(t.db, ws, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
    });
    await createTemplate(t.db, ws, {
      id: 'plain',
      name: 'Plain',
      defaultLocale: 'en',
      content: { en: { email: { subject: 'News', html: '<p>News from {{ sender.name }}</p>' } } },
    });
    await createTemplate(t.db, ws, {
      id: 'signed',
      name: 'Signed',
      defaultLocale: 'en',
      content: {
        en: { email: { subject: 'Signed', html: '<p>News</p><footer>{{ sender.identification }}</footer>' } },
      },
    });
    await ingest(
      t.db,
      ws,
      ['ann', 'bob', 'cy'].map((u) => ({
        type: 'identify',
        userId: u,
        traits: { email: `${u}@sender.test` },
        timestamp: now.toISOString(),
      })),
      { receivedAt: now },
    );
    const ids = Object.fromEntries(
      (
        await t.db.query<{ user_id: string; id: string }>(
          'SELECT user_id, id::text FROM customers WHERE workspace_id = $1',
          [ws],
        )
      ).map((c) => [c.user_id, c.id]),
    );
    for (const u of ['ann', 'bob'])
      await recordConsent(t.db, ws, ids[u]!, {
        channel: 'email',
        purpose: 'marketing',
        granted: true,
        source: 'api',
        textVersion: 'v1',
        at: now,
      });
    const intents: [string, string, string][] = [
      ['ann', 'plain', 'marketing'],
      ['bob', 'signed', 'marketing'],
      ['cy', 'plain', 'transactional'],
    ];
    for (const [u, template, purpose] of intents) {
      await t.db.query(
        `INSERT INTO message_intents (workspace_id, message_key, customer_id, purpose, template, channel, created_at) VALUES ($1, $2, $3, $4, $5, '{"fixed":"email"}', $6)`,
        [ws, `k-${u}`, ids[u], purpose, template, now],
      );
    }
    assert.equal(
      (
        await dispatchDue(t.db, now, {
          providers: configuredProviders(),
          renderer: templateRenderer,
          baseUrl: 'http://retain.test',
        })
      ).sent,
      3,
    );
    const mail = (u: string) => readable(smtp.mails.find((m) => m.to === `${u}@sender.test`)!.raw);
    const id = 'Sklep sp. z o.o., ul. Prosta 1, Warszawa';
    assert.equal(count(mail('ann'), id), 2, 'added: once in the text part, once in the HTML');
    assert.match(mail('ann'), /News from Sklep/, 'the name from the same settings');
    assert.equal(count(mail('bob'), id), 2, 'where the template put it (text part made from the HTML), not again');
    assert.equal(count(mail('cy'), id), 0, 'transactional: only if the template prints it');
  });
});
