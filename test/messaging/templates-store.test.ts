// Templates in the database, on the backend under test: create (ids from names), every problem refused at once, update
// (a new version that renders anew), list, delete refused while a journey sends the template, and the dispatcher's
// renderer: an intent rendered for its customer on each channel it may take.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend, freshDb, type TestDb } from '../helpers/db.ts';
import { ingest } from '../../src/ingest/ingest.ts';
import { activateJourney, archiveJourney, createJourney } from '../../src/journeys/index.ts';
import { provideFor } from '../helpers/sendable.ts';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  InvalidTemplate,
  listTemplates,
  renderTemplate,
  TemplateStoreError,
  updateTemplate,
} from '../../src/messaging/templates/index.ts';
import { templateRenderer } from '../../src/messaging/templates/renderer.ts';
import { putCurrencySettings } from '../../src/money/store.ts';
import type { IntentRow } from '../../src/messaging/dispatch/facts.ts';

const NBSP = '\u00a0';
const now = new Date('2026-05-02T10:00:00Z');
const content = {
  pl: {
    email: {
      subject: '{{ customer.first_name }}, koszyk: {{ event.total | money }}',
      html: '<p>{% for p in event.products %}{{ p.name }} {% endfor %}</p><a href="{% unsubscribe_url %}">Wypisz</a>',
    },
    sms: { text: 'Koszyk {{ event.total | money }}, kod {{ coupon }}' },
  },
  en: { email: { subject: 'Your cart', html: '<p>{{ event.total | money }}</p>' } },
};

async function storeError<T extends Error>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const err = await p.then(
    () => assert.fail('succeeded instead of failing'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof type, String(err));
  return err;
}

describe(`templates store (${backend})`, () => {
  let t: TestDb;
  let ws: string;
  before(async () => {
    t = await freshDb();
    ws = t.workspaceId;
  });
  after(async () => t.close());

  it('creates templates, deriving ids from names', async () => {
    const first = await createTemplate(
      t.db,
      ws,
      { name: 'Przypomnienie o koszyku', defaultLocale: 'en', content },
      now,
    );
    const second = await createTemplate(
      t.db,
      ws,
      { name: 'Przypomnienie o koszyku', defaultLocale: 'en', content },
      now,
    );
    assert.deepEqual([first.id, second.id], ['przypomnienie-o-koszyku', 'przypomnienie-o-koszyku-2']);
    assert.deepEqual(await getTemplate(t.db, ws, first.id), first);
    assert.deepEqual(
      [first.createdAt, first.updatedAt, first.defaultLocale],
      [now.toISOString(), now.toISOString(), 'en'],
    );
    const taken = await storeError(
      createTemplate(t.db, ws, { id: first.id, name: 'x', defaultLocale: 'en', content }),
      TemplateStoreError,
    );
    assert.equal(taken.code, 'conflict');
    assert.match(taken.message, /A template "przypomnienie-o-koszyku" already exists: choose another id/);
  });

  it('refuses a template with every problem at once, and writes nothing', async () => {
    const bad = { pl: { email: { subject: 'Hi {{ customer.first_name', html: '<p>{% if x %}</p>' } } };
    const err = await storeError(
      createTemplate(t.db, ws, { id: 'bad id!', name: 'Bad', defaultLocale: 'de', content: bad }),
      InvalidTemplate,
    );
    assert.deepEqual(
      err.problems.map((p) => [p.path, p.line ?? null, p.column ?? null]),
      [
        ['$.id', null, null],
        ['$.defaultLocale', null, null],
        ['$.pl.email.subject', 1, 4],
        ['$.pl.email.html', 1, 4],
      ],
    );
    assert.equal((await listTemplates(t.db, ws)).length, 2);
  });

  it('lists templates with their locales and channels', async () => {
    const list = await listTemplates(t.db, ws);
    assert.deepEqual(
      list.map((l) => [l.id, l.locales, l.channels]),
      [
        ['przypomnienie-o-koszyku', ['en', 'pl'], ['email', 'sms']],
        ['przypomnienie-o-koszyku-2', ['en', 'pl'], ['email', 'sms']],
      ],
    );
  });

  it('an update is a new version: updated_at moves on even with a clock that stands still, and renders anew', async () => {
    const data = { customer: {}, event: { total: 5, products: [] }, coupon: 'A1', links: {} };
    const before = await getTemplate(t.db, ws, 'przypomnienie-o-koszyku');
    assert.equal(
      (await renderTemplate(before!, 'sms', data, { locale: 'pl-PL', currency: 'PLN' })).sms!.text,
      `Koszyk 5,00${NBSP}zł, kod A1`,
    );
    const after = await updateTemplate(
      t.db,
      ws,
      'przypomnienie-o-koszyku',
      { name: 'Koszyk', content: { ...content, pl: { ...content.pl, sms: { text: 'Nowy: {{ coupon }}' } } } },
      now,
    );
    assert.ok(after.updatedAt > before!.updatedAt, `${after.updatedAt} after ${before!.updatedAt}`);
    assert.deepEqual([after.name, after.createdAt], ['Koszyk', before!.createdAt]);
    assert.equal(
      (await renderTemplate(after, 'sms', data, { locale: 'pl-PL', currency: 'PLN' })).sms!.text,
      'Nowy: A1',
    );
    const err = await storeError(
      updateTemplate(t.db, ws, 'przypomnienie-o-koszyku', { defaultLocale: 'ru' }),
      InvalidTemplate,
    );
    assert.deepEqual(
      err.problems.map((p) => p.path),
      ['$.defaultLocale'],
    );
    assert.equal(
      (await storeError(updateTemplate(t.db, ws, 'nope', { name: 'x' }), TemplateStoreError)).code,
      'not_found',
    );
  });

  it('does not delete a template a journey sends, until the journey is archived', async () => {
    const definition = {
      trigger: { type: 'event', event: 'Cart Abandoned' },
      start: 'send',
      steps: [{ id: 'send', type: 'send', template: 'przypomnienie-o-koszyku-2', channel: { fixed: 'email' } }],
    };
    await createJourney(t.db, ws, { id: 'cart', name: 'Cart', definition }, now);
    await provideFor(t.db, ws, definition);
    await activateJourney(t.db, ws, 'cart', now);
    const err = await storeError(deleteTemplate(t.db, ws, 'przypomnienie-o-koszyku-2'), TemplateStoreError);
    assert.deepEqual(
      [err.code, err.message],
      ['in_use', 'The journeys "cart" send this template: change their send steps, or archive them, first.'],
    );
    await archiveJourney(t.db, ws, 'cart', now);
    await deleteTemplate(t.db, ws, 'przypomnienie-o-koszyku-2');
    assert.equal(await getTemplate(t.db, ws, 'przypomnienie-o-koszyku-2'), null);
    assert.equal(
      (await storeError(deleteTemplate(t.db, ws, 'przypomnienie-o-koszyku-2'), TemplateStoreError)).code,
      'not_found',
    );
  });

  it('renders an intent for the dispatcher: its customer, trigger, params and links, on the channels the template has', async () => {
    await t.db.query(`UPDATE workspaces SET settings = jsonb_set(settings, '{messaging}', $2::jsonb) WHERE id = $1`, [
      ws,
      JSON.stringify({ defaultLocale: 'en' }),
    ]);
    await putCurrencySettings(t.db, ws, { base: 'PLN' }, now);
    const r = await ingest(
      t.db,
      ws,
      [
        {
          type: 'identify',
          userId: 'ola',
          traits: { first_name: 'Ola', email: 'ola@example.com', locale: 'pl-PL' },
          context: { timezone: 'Europe/Warsaw' },
          timestamp: now.toISOString(),
        },
      ],
      { receivedAt: now },
    );
    assert.deepEqual(r.rejected, []);
    const [customer] = await t.db.query<Record<string, unknown>>(
      "SELECT c.*, c.id::text AS id FROM customers c WHERE workspace_id = $1 AND user_id = 'ola'",
      [ws],
    );
    const intent = {
      id: '1',
      workspace_id: ws,
      message_key: 'k1',
      customer_id: String(customer!.id),
      journey_id: 'cart',
      step_id: 'send',
      purpose: 'marketing',
      template: 'przypomnienie-o-koszyku',
      channel: { best: ['email', 'sms', 'push'] },
      params: { coupon: 'WIOSNA' },
      created_at: now,
      cascade_index: 0,
      context: {
        key: 'c1',
        trigger: {
          event: 'Cart Abandoned',
          properties: { total: 59.9, products: [{ name: 'Tulipany' }, { name: 'Wazon' }] },
          at: now.toISOString(),
        },
      },
    } as unknown as IntentRow;
    const links = {
      unsubscribe: 'https://retain.example/c/unsubscribe?t=x',
      preferences: 'https://retain.example/c/preferences?t=x',
    };
    const rendered = await templateRenderer.render(t.db, intent, customer!, ['email', 'sms', 'push'], links, now);
    assert.ok(rendered.ok);
    assert.equal(rendered.locale, 'pl');
    assert.deepEqual(rendered.locales, { email: 'pl', sms: 'pl' });
    assert.deepEqual(Object.keys(rendered.content), ['email', 'sms']); // no push content: the dispatcher says so
    assert.equal(rendered.content.email!.email!.subject, `Ola, koszyk: 59,90${NBSP}zł`);
    assert.equal(rendered.content.email!.email!.text, `Tulipany Wazon\n\nWypisz (${links.unsubscribe})`);
    assert.deepEqual(rendered.content.sms, { sms: { text: 'Nowy: WIOSNA' } });

    const broken = await templateRenderer.render(
      t.db,
      { ...intent, context: {} } as IntentRow,
      customer!,
      ['email'],
      links,
      now,
    );
    assert.deepEqual(broken, {
      ok: false,
      error:
        'template "przypomnienie-o-koszyku": $.pl.email.subject (line 1, column 39): Unknown variable "event.total": this message\'s data has no such field. Check the spelling, or guard it with {% if event.total %} … {% endif %} or {{ event.total | default: "…" }}.',
    });
    const missing = await templateRenderer.render(
      t.db,
      { ...intent, template: 'gone' } as IntentRow,
      customer!,
      ['email'],
      links,
      now,
    );
    assert.deepEqual(missing, {
      ok: false,
      error: 'No template "gone" in this workspace: create it, or change the journey\'s send step.',
    });
  });
});
