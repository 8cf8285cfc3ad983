// Browser test of Messages: write a template in English, Polish and Russian in the editor (a bad subject is refused with
// its path, line and column), edit and save it, preview it for ola (her own language, Polish) and ivan (Russian chosen)
// with money and dates written their way, and send a test e-mail through a local SMTP server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ingest } from '../../src/ingest/ingest.ts';
import { startDashboard, until } from '../helpers/browser.ts';
import { smtpServer } from '../helpers/smtp.ts';

const shot = (name: string) => fileURLToPath(new URL(`../../.tmp/e2e-messages${name}.png`, import.meta.url));

/** A header of a raw mail, unfolded, with its RFC 2047 encoded words (=?UTF-8?B|Q?…?=) decoded. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (!line) return undefined;
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_m, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

const mjml = (text: string) =>
  `<mjml><mj-body><mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section></mj-body></mjml>`;

const VARIANTS = {
  en: {
    subject: 'Your order is on its way, {{ customer.first_name }}',
    body: mjml(
      "Hello {{ customer.first_name }}! You paid {{ 1234.5 | money: 'USD' }}. Delivery on {{ '2026-03-15' | local_date: 'long' }}.",
    ),
  },
  pl: {
    subject: 'Twoje zamówienie jest w drodze, {{ customer.first_name }}',
    body: mjml(
      "Cześć {{ customer.first_name }}! Zapłacono {{ 1234.5 | money: 'PLN' }}. Dostawa {{ '2026-03-15' | local_date: 'long' }}.",
    ),
  },
  ru: {
    subject: 'Ваш заказ в пути, {{ customer.first_name }}',
    body: mjml(
      "Здравствуйте, {{ customer.first_name }}! Оплачено {{ 1234.5 | money: 'RUB' }}. Доставка {{ '2026-03-15' | local_date: 'long' }}.",
    ),
  },
};
const EDITED_PL_SUBJECT = '{{ customer.first_name }}, paczka już jedzie!';

const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Fills the open locale's e-mail subject and MJML body. */
async function fillEmail(page: Page, v: { subject: string; body: string }) {
  await page.getByRole('tab', { name: 'Email' }).click();
  await page.getByLabel('Subject', { exact: true }).fill(v.subject);
  await page.getByLabel('MJML body').fill(v.body);
}

/** Previews for `customer` in `locale` ('' = the customer's own) and returns the locale line and the e-mail's text. */
async function preview(page: Page, customer: string, locale: string) {
  await page.getByLabel('Preview customer').fill(customer);
  await page.getByLabel('Preview locale').selectOption(locale);
  await page.getByLabel('Preview channel').selectOption('email');
  const before = (await page.getByTestId('preview-result').count()) ? await text(page, 'preview-locale') : '';
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await until('the preview to render', async () => {
    const now = (await page.getByTestId('preview-result').count()) ? await text(page, 'preview-locale') : '';
    return now && now !== before ? true : undefined;
  });
  // Each preview gets a new frame, marked once loaded (its stylesheets fetched or failed): screenshots show it painted.
  await page.locator('iframe[title="E-mail preview"][data-loaded]').waitFor();
  const html = (await page.frameLocator('iframe[title="E-mail preview"]').locator('body').innerText()).replace(
    /\s+/g,
    ' ',
  );
  return { locale: await text(page, 'preview-locale'), subject: await text(page, 'preview-subject'), html };
}

test('messages: write a template in three locales, preview it in Polish and Russian, send a test e-mail', {
  timeout: 120_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'messages');
  const { running } = dashboard;
  const ws = running.firstWorkspace;
  assert.ok(ws, 'a fresh data dir gets a first workspace');
  const smtp = await smtpServer();
  t.after(() => smtp.close());
  // A refused save answers 400; metrics and the message log may not exist on this server yet (404); the preview frame
  // asks Google Fonts for MJML's default font, which a machine without a network cannot resolve.
  const {
    page,
    errors: pageErrors,
    signIn,
  } = await dashboard.openPage({ ignoreConsole: /status of (400|404|422)|net::ERR_NAME_NOT_RESOLVED/ });

  await t.test('set up: the e-mail channel on the local SMTP server, and ola (pl-PL) and ivan (ru-RU)', async () => {
    const res = await fetch(`${running.url}/api/v1/channels/email`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ws.adminKey}` },
      body: JSON.stringify({
        provider: 'smtp',
        config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
      }),
    });
    assert.equal(res.status, 200, await res.text());
    const now = new Date().toISOString();
    const r = await ingest(running.db, ws.id, [
      {
        type: 'identify',
        userId: 'ola',
        traits: { first_name: 'Ola', email: 'ola@example.com', locale: 'pl-PL', timezone: 'Europe/Warsaw' },
        timestamp: now,
      },
      {
        type: 'identify',
        userId: 'ivan',
        traits: { first_name: 'Иван', email: 'ivan@example.com', locale: 'ru-RU', timezone: 'Europe/Moscow' },
        timestamp: now,
      },
    ]);
    assert.deepEqual(r.rejected, []);
  });

  await t.test('Messages lists no templates and the channel as set up', async () => {
    await signIn(ws.adminKey);
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByRole('heading', { name: 'Messages', exact: true }).waitFor();
    await page.getByTestId('templates-empty').waitFor();
    await page.getByTestId('channel-email').getByText('smtp').waitFor();
    assert.match(await text(page, 'channel-email'), new RegExp(`127\\.0\\.0\\.1.*Shop <shop@example\\.com>`));
    assert.match(await text(page, 'channel-sms'), /not set up/);
    // The send gate's defaults are in the form.
    assert.equal(await page.getByLabel('Daily cap, all channels').inputValue(), '1');
    assert.equal(await page.getByLabel('Quiet from').inputValue(), '21:00');
  });

  await t.test(
    'write it: en, then pl and ru added as copies and translated; a broken subject is refused with its place',
    async () => {
      await page.getByRole('link', { name: 'New template' }).click();
      await page.getByRole('heading', { name: 'New template' }).waitFor();
      assert.equal(new URL(page.url()).hash, '#/messages/templates/new');
      await page.getByLabel('Template name').fill('Order shipped');
      await page.getByLabel('Template id').fill('order-shipped');
      await fillEmail(page, VARIANTS.en);

      for (const locale of ['pl', 'ru'] as const) {
        await page.getByLabel('New locale').fill(locale);
        await page.getByRole('button', { name: 'Add locale' }).click();
        await page.getByRole('tab', { name: locale, exact: true, selected: true }).waitFor();
        assert.equal(
          await page.getByLabel('Subject', { exact: true }).inputValue(),
          locale === 'pl' ? VARIANTS.en.subject : VARIANTS.pl.subject,
          'a new locale starts as a copy',
        );
        await fillEmail(page, VARIANTS[locale]);
      }

      // An unclosed output in the Russian subject: Save lists it at $.ru.email.subject with its line and column.
      await page.getByLabel('Subject', { exact: true }).fill('Ваш заказ, {{ customer.first_name');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByTestId('template-problems').waitFor();
      const problems = await page.getByTestId('template-problems').getByRole('listitem').allTextContents();
      assert.ok(
        problems.some((p) => /^\$\.ru\.email\.subject line 1, column \d+/.test(p)),
        problems.join('; '),
      );
      assert.equal(new URL(page.url()).hash, '#/messages/templates/new', 'nothing saved');
      // A misspelt variable is caught on save too, not when a customer's message is rendered: with the name meant.
      await page.getByLabel('Subject', { exact: true }).fill('Ваш заказ, {{ customer.frist_name }}');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await until('the misspelt variable to be listed', async () => {
        const listed = await page.getByTestId('template-problems').getByRole('listitem').allTextContents();
        return (
          listed.find((p) =>
            /^\$\.ru\.email\.subject line 1, column 15 Unknown variable "customer\.frist_name" \(did you mean "customer\.first_name"/.test(
              p,
            ),
          ) || undefined
        );
      });
      assert.equal(new URL(page.url()).hash, '#/messages/templates/new', 'nothing saved');

      // The SMS tab counts segments as the server does: GSM-7 until a Polish letter forces UCS-2.
      await page.getByRole('tab', { name: 'en', exact: true }).click();
      await page.getByRole('tab', { name: 'SMS' }).click();
      await page.getByRole('button', { name: 'Add SMS' }).click();
      await page.getByLabel('SMS text').fill('Hi {{ customer.first_name }}, your order ships today.');
      assert.match(await text(page, 'sms-meter'), /1 segment of 160 · GSM-7/);
      await page.getByLabel('SMS text').fill(`Cześć {{ customer.first_name }}! ${'x'.repeat(70)}`);
      assert.match(await text(page, 'sms-meter'), /2 segments of 67 · UCS-2 \(because of "ś" "ć"\)/);
      await page.getByRole('button', { name: 'Remove SMS from en' }).click();

      await page.getByRole('tab', { name: 'ru', exact: true }).click();
      await fillEmail(page, VARIANTS.ru);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByTestId('template-notice').waitFor();
      assert.equal(await text(page, 'template-notice'), 'Saved “Order shipped” as order-shipped.');
      assert.equal(new URL(page.url()).hash, '#/messages/templates/order-shipped');
      assert.equal(await page.getByTestId('template-problems').count(), 0);
    },
  );

  await t.test('edit the Polish subject and save', async () => {
    await page.getByRole('tab', { name: 'pl', exact: true }).click();
    await page.getByLabel('Subject', { exact: true }).fill(EDITED_PL_SUBJECT);
    await page.getByText('Unsaved changes.').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await until('the save', async () => ((await text(page, 'template-notice')) === 'Saved.' ? true : undefined));
    const res = await fetch(`${running.url}/api/v1/templates/order-shipped`, {
      headers: { Authorization: `Bearer ${ws.adminKey}` },
    });
    const saved = await res.json();
    assert.equal(saved.content.pl.email.subject, EDITED_PL_SUBJECT);
    assert.deepEqual(Object.keys(saved.content).sort(), ['en', 'pl', 'ru']);
    assert.equal(saved.content.en.sms, undefined);
  });

  await t.test('preview for ola in her own language: Polish, złoty and a Polish month', async () => {
    const p = await preview(page, 'ola', '');
    assert.match(p.locale, /^Rendered in pl \(the customer’s language\) · money and dates as pl-PL, Europe\/Warsaw/);
    assert.equal(p.subject, 'Ola, paczka już jedzie!');
    assert.match(p.html, /Cześć Ola! Zapłacono 1234,50\s?zł\. Dostawa 15 marca 2026\./);
    await page.screenshot({
      path: (mkdirSync(dirname(shot('')), { recursive: true }), shot('-preview-pl')),
      fullPage: true,
    });
  });

  await t.test('preview for ivan in Russian (chosen): roubles and a Russian month', async () => {
    const p = await preview(page, 'ivan', 'ru');
    assert.match(p.locale, /^Rendered in ru \(the locale chosen\) · money and dates as ru, Europe\/Moscow/);
    assert.equal(p.subject, 'Ваш заказ в пути, Иван');
    assert.match(p.html, /Здравствуйте, Иван! Оплачено 1\s234,50\s₽\. Доставка 15 марта 2026\sг\./);
    await page.screenshot({ path: shot('-preview-ru'), fullPage: true });
  });

  await t.test('send a test to qa@example.com for ola: the SMTP server gets the edited Polish subject', async () => {
    await page.getByLabel('Preview customer').fill('ola');
    await page.getByLabel('Preview locale').selectOption('');
    await page.getByLabel('Test address').fill('qa@example.com');
    await page.getByRole('button', { name: 'Send test (email)' }).click();
    await page.getByTestId('test-result').waitFor();
    assert.match(await text(page, 'test-result'), /^Sent to qa@example\.com by email in pl/);
    const mail = await until('the test e-mail', async () => smtp.mails.find((m) => m.to === 'qa@example.com'));
    assert.equal(header(mail.raw, 'Subject'), 'Ola, paczka już jedzie!');
    assert.match(header(mail.raw, 'From') ?? '', /shop@example\.com/);
    await page.screenshot({ path: shot(''), fullPage: true });
  });

  await t.test(
    'the messaging settings: an e-mail cap, no quiet hours, the sender name and identification',
    async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Messages' }).click();
      await page.getByLabel('Daily cap, email').fill('2');
      await page.getByLabel('Hold marketing during quiet hours').uncheck();
      await page.getByLabel('Sender name').fill('Sklep');
      await page.getByLabel('Sender identification').fill('Sklep sp. z o.o., KRS 0000123456');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByTestId('settings-result').waitFor();
      assert.equal(await text(page, 'settings-result'), 'Settings saved.');
      const res = await fetch(`${running.url}/api/v1/settings/messaging`, {
        headers: { Authorization: `Bearer ${ws.adminKey}` },
      });
      assert.deepEqual(await res.json(), {
        caps: { all: { perDay: 1, perWeek: 3 }, email: { perDay: 2 } },
        doubleOptInEmail: false,
        senderName: 'Sklep',
        senderIdentification: 'Sklep sp. z o.o., KRS 0000123456',
      });
    },
  );

  await t.test('the template is listed on Messages; Analytics opens', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Messages' }).click();
    await page.getByTestId('template-row').first().waitFor();
    const row = page.getByTestId('template-row');
    assert.deepEqual((await row.getByRole('cell').allTextContents()).slice(0, 2), ['Order shipped', 'order-shipped']);
    assert.deepEqual(await row.locator('.tag').allTextContents(), ['en', 'pl', 'ru']);
    assert.equal(await row.getByRole('cell').nth(3).textContent(), 'email');
    await page.getByRole('navigation').getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Analytics', exact: true }).waitFor();
    // The metrics, or (on a server without GET /analytics/messages yet) a note saying so.
    await page.getByTestId('metrics-totals').or(page.getByTestId('metrics-unavailable')).waitFor();
    await page.screenshot({ path: shot('-analytics'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });
});
