// One workspace's runaway templates cannot stall another's mail: renders run on the render pool's threads, a render
// that takes too long is cut off (by LiquidJS's own limit, or by terminating its thread when one step cannot be
// interrupted, as a huge MJML layout), one that prints too much fails `too large`, and the rest of the batch is sent.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { closeRenderPool, renderPool, useRenderPool } from '../../src/messaging/templates/render-pool.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { HUGE_HTML, LONG_MJML, SLOW_HTML } from '../helpers/runaway-templates.ts';

const NOON = new Date('2026-06-01T10:00:00Z');

describe(`render limits: one workspace's templates cannot stall another's messages (${backend})`, () => {
  let t: TestDb;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  before(async () => {
    t = await freshDb();
    smtp = await smtpServer();
    await useRenderPool({ timeoutMs: 1000, layoutTimeoutMs: 1000, maxFieldLength: 512 * 1024 });
  });
  after(async () => {
    await closeRenderPool();
    await closeProviders();
    await smtp.close();
    await t.close();
  });

  async function shop(name: string) {
    const ws = (await createWorkspace(t.db, name)).id;
    await saveChannel(t.db, ws, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: `${name} <shop@example.com>` },
    });
    await ingest(
      t.db,
      ws,
      [
        {
          type: 'identify',
          userId: 'ann',
          traits: { first_name: 'Ann', email: `ann@${name}.example` },
          timestamp: NOON.toISOString(),
        },
      ],
      { receivedAt: NOON },
    );
    const [{ id: customer }] = await t.db.query<{ id: string }>(
      'SELECT id::text FROM customers WHERE workspace_id = $1',
      [ws],
    );
    let n = 0;
    const intent = (template: string) =>
      t.db.query(
        `INSERT INTO message_intents (workspace_id, message_key, customer_id, journey_id, step_id, purpose, template, channel, created_at)
         VALUES ($1, $2, $3, 'j', 's', 'transactional', $4, '{"fixed": "email"}', $5)`,
        [ws, `${template}-${++n}`, customer, template, NOON],
      );
    const outcome = async () =>
      (
        await t.db.query<{ template: string; status: string; reason: string | null; reason_detail: string | null }>(
          'SELECT template, status, reason, reason_detail FROM message_intents WHERE workspace_id = $1 ORDER BY id',
          [ws],
        )
      ).map((r) => ({ ...r, reason_detail: r.reason_detail ?? '' }));
    return { ws, intent, outcome };
  }

  it('a slow template and a huge one fail with template_error (too slow, too large); the other workspace’s receipt is sent in the same batch', async () => {
    const noisy = await shop('noisy');
    const quiet = await shop('quiet');
    await createTemplate(t.db, noisy.ws, {
      id: 'slow',
      name: 'Slow',
      defaultLocale: 'en',
      content: { en: { email: { subject: 'Slow', html: SLOW_HTML } } },
    });
    await createTemplate(t.db, noisy.ws, {
      id: 'huge',
      name: 'Huge',
      defaultLocale: 'en',
      content: { en: { email: { subject: 'Huge', html: HUGE_HTML } } },
    });
    await createTemplate(t.db, quiet.ws, {
      id: 'receipt',
      name: 'Receipt',
      defaultLocale: 'en',
      content: { en: { email: { subject: 'Your receipt, {{ customer.first_name }}', html: '<p>Thanks</p>' } } },
    });
    await noisy.intent('slow');
    await noisy.intent('huge');
    await noisy.intent('slow');
    await quiet.intent('receipt');
    const before = smtp.mails.length;

    const r = await dispatchDue(t.db, NOON, {
      providers: configuredProviders(),
      renderer: templateRenderer,
      baseUrl: 'http://retain.test',
    });

    assert.deepEqual([r.sent, r.skipped], [1, 3]);
    assert.deepEqual(
      smtp.mails.slice(before).map((m) => m.to),
      ['ann@quiet.example'],
    );
    const failed = await noisy.outcome();
    assert.deepEqual(
      failed.map((f) => [f.template, f.status, f.reason]),
      [
        ['slow', 'skipped', 'template_error'],
        ['huge', 'skipped', 'template_error'],
        ['slow', 'skipped', 'template_error'],
      ],
    );
    // Cut off by LiquidJS inside the thread (at a line and column), or on a busy machine by ending the thread.
    assert.match(
      failed[0]!.reason_detail,
      /^template "slow": \$\.en\.email\.html( \(line 1, column \d+\))?: too slow: rendering it took longer than/,
    );
    assert.match(
      failed[2]!.reason_detail,
      /^template "slow": \$\.en\.email\.html( \(line 1, column \d+\))?: too slow: rendering it took longer than/,
    );
    assert.match(
      failed[1]!.reason_detail,
      /^template "huge": \$\.en\.email\.html: too large: it printed 977 KB for one message, more than the 512 KB allowed/,
    );
    assert.deepEqual(
      (await quiet.outcome()).map((o) => o.status),
      ['sent'],
    );
  });

  it('a step no Liquid limit interrupts (a huge MJML layout) is cut off by ending its render thread; the next message renders on a fresh one', async () => {
    const noisy = await shop('noisy-mjml');
    const quiet = await shop('quiet-mjml');
    // Saved before the limit existed (the check on saving would refuse it now): planted as a row.
    await t.db.query(
      `INSERT INTO templates (workspace_id, id, name, default_locale, content, created_at, updated_at) VALUES ($1, 'long', 'Long', 'en', $2, $3, $3)`,
      [noisy.ws, JSON.stringify({ en: { email: { subject: 'Long', mjml: LONG_MJML } } }), NOON],
    );
    await createTemplate(t.db, quiet.ws, {
      id: 'receipt',
      name: 'Receipt',
      defaultLocale: 'en',
      content: {
        en: {
          email: {
            subject: 'Receipt',
            mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Thanks {{ customer.first_name }}</mj-text></mj-column></mj-section></mj-body></mjml>',
          },
        },
      },
    });
    await noisy.intent('long');
    await quiet.intent('receipt');
    const before = smtp.mails.length;

    const r = await dispatchDue(t.db, NOON, {
      providers: configuredProviders(),
      renderer: templateRenderer,
      baseUrl: 'http://retain.test',
    });

    assert.deepEqual([r.sent, r.skipped], [1, 1]);
    assert.deepEqual(
      smtp.mails.slice(before).map((m) => m.to),
      ['ann@quiet-mjml.example'],
    );
    const [failed] = await noisy.outcome();
    assert.equal(failed!.reason, 'template_error');
    assert.match(
      failed!.reason_detail,
      /^template "long": \$\.en\.email\.mjml: too slow: laying out this MJML took longer than the 1 s allowed/,
    );
    assert.equal(renderPool().load.running, 0);
  });

  it('refuses to save a template whose MJML takes too long to lay out, naming the field', async () => {
    const s = await shop('editor');
    await assert.rejects(
      createTemplate(t.db, s.ws, {
        id: 'long',
        name: 'Long',
        defaultLocale: 'en',
        content: { en: { email: { subject: 'Long', mjml: LONG_MJML } } },
      }),
      (err: Error & { problems?: { path: string; message: string }[] }) => {
        assert.deepEqual(
          err.problems?.map((p) => p.path),
          ['$.en.email.mjml'],
        );
        assert.match(err.problems![0]!.message, /^too slow: laying out this MJML took longer than the 1 s allowed/);
        return true;
      },
    );
  });
});
