// Browser test of Coupons, as a marketer works: an empty Coupons page; the pool form refuses a bad currency next to its
// field; a pool "Spring sale" worth 20 PLN, 30 for Champions, created with its value map as rows; 30 codes drawn from a
// pattern, a list imported with its repeated line named; the codes table by status; and the journey editor's send step
// picking that pool, which the definition keeps as coupon.pool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startDashboard } from '../helpers/browser.ts';

const SCREENSHOT = fileURLToPath(new URL('../../.tmp/e2e-coupons.png', import.meta.url));
const textOf = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

test('coupons: create a pool with a value by RFM segment, draw and import codes, pick the pool in a send step', {
  timeout: 90_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'coupons');
  // The refused currency answers 400, which Chromium logs as a failed resource.
  const { page, errors, signIn } = await dashboard.openPage({ ignoreConsole: /status of 400/ });
  await signIn(dashboard.running.firstWorkspace!.adminKey);

  await t.test('the Coupons page: no pools yet', async () => {
    await page.getByRole('link', { name: 'Coupons', exact: true }).click();
    await page.getByRole('heading', { name: 'Coupons', exact: true }).waitFor();
    await page.getByTestId('pools-empty').waitFor();
  });

  await t.test('a bad currency is refused next to its field', async () => {
    const form = page.getByTestId('pool-form');
    await form.locator('[name=pool-name]').fill('Spring sale');
    await form.locator('[name=pool-id]').fill('spring');
    await form.locator('[name=pool-amount]').fill('20');
    await form.locator('[name=pool-currency]').fill('XYZ');
    await form.getByRole('button', { name: 'Create pool' }).click();
    await page.getByTestId('field-problem').waitFor();
    assert.match(await textOf(page, 'field-problem'), /ISO 4217/);
    assert.equal(await textOf(page, 'form-problem'), 'Some fields need a fix: see the ones marked in red.');
  });

  await t.test(
    'the pool, with the value by RFM segment as rows, is created and listed with a low-stock warning',
    async () => {
      const form = page.getByTestId('pool-form');
      await form.locator('[name=pool-currency]').fill('pln');
      await form.locator('[name=pool-by]').selectOption('rfm_segment');
      await form.locator('[name=map-key-0]').fill('Champions');
      await form.locator('[name=map-amount-0]').fill('30');
      await form.locator('[name=pool-default]').fill('10');
      await form.getByRole('button', { name: 'Create pool' }).click();
      await page.getByTestId('pool-row').waitFor();
      const row = page.getByTestId('pool-row').filter({ hasText: 'Spring sale' });
      assert.match((await row.textContent()) ?? '', /20 PLN · By RFM segment/);
      assert.equal(await row.getByTestId('low-stock').count(), 1, 'no free codes: low stock');
      await page.getByTestId('codes-panel').waitFor();
    },
  );

  await t.test('30 codes drawn from a pattern; a list imported with its repeated line named', async () => {
    const gen = page.getByTestId('generate-form');
    await gen.locator('[name=pattern]').fill('SPRING-####-????');
    await gen.locator('[name=count]').fill('30');
    await gen.getByRole('button', { name: 'Generate' }).click();
    await page.getByTestId('codes-answer').filter({ hasText: '30 codes added' }).waitFor();
    await page.getByTestId('code-row').nth(29).waitFor();
    const codes = await page.getByTestId('code-row').locator('td.mono').allTextContents();
    assert.equal(codes.length, 30);
    assert.ok(
      codes.every((c) => /^SPRING-[2-9]{4}-[A-HJKMNP-Z]{4}$/.test(c)),
      codes.join(' '),
    );
    const imp = page.getByTestId('import-form');
    await imp.locator('[name=codes]').fill('code\nGIFT-100\ngift-100\n');
    await imp.getByRole('button', { name: 'Import' }).click();
    await page.getByTestId('codes-answer').filter({ hasText: '1 code added' }).waitFor();
    assert.equal(await textOf(page, 'codes-refused'), 'Line 3 (gift-100): the same code as line 2');
    await page.getByTestId('pool-row').getByTestId('stock-available').filter({ hasText: '31' }).waitFor();
    await page.locator('[name=status]').selectOption('redeemed');
    await page.getByText('No codes with this status.').waitFor();
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  await t.test("the journey editor's send step picks the pool", async () => {
    await page.goto(`${dashboard.running.url}#/journeys/new`);
    await page.getByRole('heading', { name: 'New journey' }).waitFor();
    await page.getByRole('button', { name: 'Add send' }).click();
    const picker = page.getByLabel('Coupon pool (optional)', { exact: true });
    const options = await page
      .locator('#journey-coupon-pools option')
      .evaluateAll((os) => os.map((o) => `${(o as HTMLOptionElement).value}: ${o.textContent}`));
    assert.deepEqual(options, ['spring: Spring sale: 31 codes free']);
    await picker.fill('spring');
    await page.getByRole('tab', { name: 'Advanced (JSON)' }).click();
    const json = JSON.parse(await page.getByLabel('Journey definition JSON').inputValue());
    assert.deepEqual(json.steps.find((s: { type: string }) => s.type === 'send').coupon, { pool: 'spring' });
  });

  assert.deepEqual(errors, []);
});
