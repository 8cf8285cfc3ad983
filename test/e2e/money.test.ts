// Browser test of money in the dashboard: a shop with orders in EUR, in PLN (sent as "pln") and one without a currency.
// The Overview shows the amounts per currency with their codes and, before any rates, adds nothing across them; the
// marketer sets EUR as the base and a PLN rate in the Analytics page's Currencies form (a rate dated in the future is
// refused with the server's message naming the field); the Overview then gives one total in EUR and says which rate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ingest } from '../../src/ingest/ingest.ts';
import { startDashboard, until } from '../helpers/browser.ts';

const shot = (name: string) => fileURLToPath(new URL(`../../.tmp/e2e-money${name}.png`, import.meta.url));
const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).textContent()) ?? '').replace(/\s+/g, ' ').trim();
const day = (d: Date) => d.toISOString().slice(0, 10);

test('money: amounts per currency with their codes, a base currency and a rate set in the form, one total after', {
  timeout: 90_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'money');
  const { running } = dashboard;
  const ws = running.firstWorkspace!;
  const order = (user: string, orderId: string, total: number, currency?: string) => ({
    type: 'track',
    userId: user,
    event: 'Order Completed',
    properties: { orderId, total, ...(currency ? { currency } : {}) },
  });
  const r = await ingest(
    running.db,
    ws.id,
    [order('anna', 'o-1', 100, 'EUR'), order('piotr', 'o-2', 400, 'pln'), order('sam', 'o-3', 30)],
    { receivedAt: new Date() },
  );
  assert.deepEqual(r.rejected, []);

  // The Overview's note names the refused rate's field; a 400 is logged by Chromium as a failed resource.
  const { page, errors, signIn } = await dashboard.openPage({ ignoreConsole: /status of 400/ });
  await signIn(ws.adminKey);

  await t.test('before any settings: USD by default, EUR and PLN shown apart, never added in', async () => {
    await page.getByTestId('stat-revenue').waitFor();
    assert.equal(await text(page, 'stat-revenue'), 'USD 30.00 + EUR 100.00 + PLN 400.00');
    assert.deepEqual(
      (await page.getByTestId('revenue-by-currency').locator('li').allTextContents()).map((s) =>
        s.replace(/\s+/g, ' '),
      ),
      ['EUR 100.00', 'PLN 400.00', 'USD 30.00'],
    );
    assert.match(
      await text(page, 'overview-money-note'),
      /^Amounts in USD\. EUR, PLN have no rate to USD: shown apart/,
    );
  });

  await t.test(
    'the Currencies form: EUR as the base, a PLN rate; a rate of a future day is refused naming the field',
    async () => {
      await page.getByRole('link', { name: 'Analytics', exact: true }).click();
      const form = page.getByTestId('currency-settings');
      await form.getByLabel('Base currency').waitFor();
      assert.match(await text(page, 'currency-source'), /^Not saved yet: the default/);
      await form.getByLabel('Base currency').selectOption('EUR');
      await form.getByRole('button', { name: 'Add a rate' }).click();
      await form.getByLabel('Currency 1').selectOption('PLN');
      await form.getByLabel('Rate of PLN in EUR').fill('0.25');
      await form.getByLabel('Day of the PLN rate').fill(day(new Date(Date.now() + 30 * 86_400_000)));
      await form.getByRole('button', { name: 'Save currencies' }).click();
      await until('the refusal', async () => ((await page.getByTestId('currency-result').count()) ? true : undefined));
      assert.match(await text(page, 'currency-result'), /^rates\.PLN\.date: \d{4}-\d{2}-\d{2} is in the future/);

      const rateDay = day(new Date(Date.now() - 2 * 86_400_000));
      await form.getByLabel('Day of the PLN rate').fill(rateDay);
      await form.getByRole('button', { name: 'Save currencies' }).click();
      await until('the save', async () =>
        (await text(page, 'currency-result')).startsWith('Currencies saved') ? true : undefined,
      );
      assert.equal(await text(page, 'currency-source'), 'Saved settings.');
      mkdirSync(dirname(shot('')), { recursive: true });
      await page.screenshot({ path: shot('-analytics'), fullPage: true });
    },
  );

  await t.test(
    'the Overview after: one total in EUR (the order without a currency is in EUR now), with the rate used',
    async () => {
      await page.getByRole('link', { name: 'Overview', exact: true }).click();
      await page.getByTestId('stat-revenue').waitFor();
      assert.equal(await text(page, 'stat-revenue'), 'EUR 230.00');
      assert.deepEqual(
        (await page.getByTestId('revenue-by-currency').locator('li').allTextContents()).map((s) =>
          s.replace(/\s+/g, ' '),
        ),
        ['EUR 130.00', 'PLN 400.00'],
      );
      assert.match(
        await text(page, 'overview-money-note'),
        /^Amounts in EUR; converted at 1 PLN = 0\.25 EUR \(\d{4}-\d{2}-\d{2}\)\.$/,
      );
    },
  );

  await page.screenshot({ path: shot(''), fullPage: true });
  assert.deepEqual(errors, [], 'no errors in the browser console');
});
