// Browser test of the live template preview: a new template from the cart layout previews the chosen customer's real
// cart (lines and total in its currency) as the editor changes; a misspelt variable is flagged with the name meant as
// it is typed; the preview follows the locale tab open; a sample event brings its own cart, in the workspace's currency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startDashboard, until } from '../helpers/browser.ts';

const shot = fileURLToPath(new URL('../../.tmp/e2e-template-preview.png', import.meta.url));

const frameText = async (page: Page) => {
  await page.locator('iframe[title="E-mail preview"][data-loaded]').waitFor();
  return (await page.frameLocator('iframe[title="E-mail preview"]').locator('body').innerText()).replace(/\s+/g, ' ');
};
const textOf = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();

test('templates: live preview of the cart layout for a customer’s cart, unknown variables as you type, every locale tab', {
  timeout: 120_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'template-preview');
  const { running } = dashboard;
  const ws = running.firstWorkspace;
  assert.ok(ws, 'a fresh data dir gets a first workspace');
  const send = async (method: string, path: string, key: string, body: object) => {
    const res = await fetch(`${running.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.text());
  };
  await send('PUT', '/api/v1/settings/messaging', ws.adminKey, { senderIdentification: 'Shop Ltd, 1 Main St' });
  const at = (minute: number) => new Date(Date.UTC(2026, 5, 1, 12, minute)).toISOString();
  await send('POST', '/v1/batch', ws.writeKey, {
    batch: [
      { type: 'identify', userId: 'ann', traits: { first_name: 'Ann', email: 'ann@example.com' }, timestamp: at(0) },
      {
        type: 'track',
        userId: 'ann',
        event: 'Product Added',
        timestamp: at(1),
        properties: {
          cart_id: 'c-ann',
          product_id: 'kettle',
          name: 'Kettle',
          price: 30,
          currency: 'USD',
          cart_url: 'https://shop.test/cart',
        },
      },
      {
        type: 'track',
        userId: 'ann',
        event: 'Product Added',
        timestamp: at(2),
        properties: { cart_id: 'c-ann', product_id: 'mug', name: 'Mug', price: 7.5, quantity: 2, currency: 'USD' },
      },
    ],
  });

  // While typing, drafts that are not whole yet answer 422 and a customer half typed 404; MJML's default font is on Google Fonts.
  const { page, errors, signIn } = await dashboard.openPage({
    ignoreConsole: /status of (400|404|422)|net::ERR_NAME_NOT_RESOLVED/,
  });
  await signIn(ws.adminKey);
  await page.goto(`${running.url}/#/messages/templates/new`);

  await t.test(
    'the cart layout previews ann’s cart: each line and the total in dollars, and the legal footer',
    async () => {
      await page.getByRole('button', { name: 'Start from Cart reminder' }).click();
      assert.equal(await page.getByLabel('Template name').inputValue(), 'Cart reminder');
      await page.getByLabel('Preview customer').fill('ann');
      const body = await until('ann’s cart in the preview', async () => {
        const text = await frameText(page);
        return /Hello Ann/.test(text) ? text : undefined;
      });
      assert.match(body, /Kettle 1 \$30\.00 Mug 2 \$15\.00 Total \$45\.00/);
      assert.match(body, /Shop Ltd, 1 Main St Unsubscribe · Preferences/);
      assert.equal(await textOf(page, 'preview-subject'), 'You left 3 item(s) in your cart');
      assert.match(await textOf(page, 'preview-locale'), /Rendered in en .* USD · for ann$/);
      await page.screenshot({ path: (mkdirSync(dirname(shot), { recursive: true }), shot), fullPage: true });
    },
  );

  await t.test('a misspelt variable is flagged as it is typed, with the name meant', async () => {
    await page.getByLabel('Subject', { exact: true }).fill('Your cart, {{ customer.firt_name }}');
    const flagged = await until(
      'the unknown variable to be flagged',
      async () => {
        const items = await page.getByTestId('live-problems').getByRole('listitem').allTextContents();
        return items.find((p) => p.startsWith('$.en.email.subject line 1, column 15')) ?? undefined;
      },
      1_000,
    );
    assert.match(flagged, /Unknown variable "customer\.firt_name" \(did you mean "customer\.first_name"/);
    await page.getByLabel('Subject', { exact: true }).fill('Your cart, {{ customer.first_name }}');
    await until('the problem to go', async () =>
      (await page.getByTestId('live-problems').count()) === 0 ? true : undefined,
    );
    await until('the subject to follow', async () =>
      (await textOf(page, 'preview-subject')) === 'Your cart, Ann' ? true : undefined,
    );
  });

  await t.test('the preview follows the locale tab open: Polish, then English again', async () => {
    // The layout comes in English, Polish and Russian: open its Polish variant.
    await page.getByRole('tab', { name: 'pl', exact: true }).click();
    await page.getByRole('tab', { name: 'pl', exact: true, selected: true }).waitFor();
    await page.getByLabel('Subject', { exact: true }).fill('Twój koszyk, {{ customer.first_name }}');
    await until('the Polish render', async () =>
      (await textOf(page, 'preview-subject')) === 'Twój koszyk, Ann' ? true : undefined,
    );
    assert.match(await textOf(page, 'preview-locale'), /^Rendered in pl /);
    assert.match(await frameText(page), /Razem 45,00 USD/);
    await page.getByRole('tab', { name: 'en', exact: true }).click();
    await until('the English render', async () =>
      (await textOf(page, 'preview-subject')) === 'Your cart, Ann' ? true : undefined,
    );
    assert.match(await textOf(page, 'preview-locale'), /^Rendered in en /);
  });

  await t.test(
    'every locale variant in turn from the Preview locale picker, while the English tab stays open',
    async () => {
      const picker = page.getByLabel('Preview locale');
      const offered = await picker.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      for (const l of ['en', 'pl', 'ru']) assert.ok(offered.includes(l), `${l} is offered: ${offered.join(', ')}`);
      const cases = [
        { locale: 'pl', subject: 'Twój koszyk, Ann' },
        { locale: 'ru', subject: null },
        { locale: 'en', subject: 'Your cart, Ann' },
      ];
      for (const c of cases) {
        await picker.selectOption(c.locale);
        await until(`the ${c.locale} render`, async () =>
          (await textOf(page, 'preview-locale')).startsWith(`Rendered in ${c.locale} `) ? true : undefined,
        );
        if (c.subject) assert.equal(await textOf(page, 'preview-subject'), c.subject, c.locale);
        else assert.match(await textOf(page, 'preview-subject'), /[а-яё]/i, "the Russian variant's subject");
      }
      assert.equal(
        await page.getByRole('tab', { name: 'en', exact: true, selected: true }).count(),
        1,
        "the editor's tab did not move",
      );
      await picker.selectOption('@tab');
    },
  );

  await t.test(
    "without a customer, the Product Added sample brings its own cart, in the workspace's currency",
    async () => {
      await page.getByLabel('Preview customer').fill('');
      await page.getByLabel('Preview event').selectOption('sample:product_added');
      const body = await until('the sample cart', async () => {
        const text = await frameText(page);
        return /Total \$51\.90/.test(text) ? text : undefined;
      });
      assert.match(body, /Kettle 1 \$34\.90 Mug 2 \$17\.00/);
    },
  );

  assert.deepEqual(errors, []);
});
