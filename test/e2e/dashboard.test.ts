// Browser test of the dashboard: Retain in-process on PGlite with the CDNOW sample imported, driven by headless Chromium.
// Sign-in (a wrong key, then the admin key), the Overview totals, a customer search and that customer's profile and timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { importFile } from '../../src/import/import.ts';
import { startDashboard, until } from '../helpers/browser.ts';
import { shippedFile } from '../../src/datasets/shipped.ts';

const SAMPLE = shippedFile('cdnow/CDNOW_sample.txt');
const SCREENSHOT = fileURLToPath(new URL('../../.tmp/e2e-profile.png', import.meta.url));
// The customer opened in the test: the one whose id in the file is 1.
const CUSTOMER = 1;

/** The sample file as the test sees it: one order per line (customer id, YYYYMMDD, quantity, dollars). */
function readSample() {
  const lines = readFileSync(SAMPLE, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [master, sample, date, quantity, dollars] = l.trim().split(/\s+/);
      return {
        master: Number(master),
        sample: Number(sample),
        date: date!,
        quantity: Number(quantity),
        dollars: Number(dollars),
      };
    });
  return lines;
}

const en = new Intl.NumberFormat('en-US');
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const texts = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .allTextContents()
    .then((a) => a.map((s) => s.trim()));

test('dashboard: sign in, overview, search a CDNOW customer and read the profile and timeline', {
  timeout: 120_000,
}, async (t) => {
  const started = Date.now();
  const lap = (what: string) => t.diagnostic(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const dashboard = await startDashboard(t);
  const { running, dataDir } = dashboard;
  lap('server started');
  const ws = running.firstWorkspace;
  assert.ok(ws, 'a fresh data dir gets a first workspace');
  assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);

  const sample = readSample();
  const summary = await importFile(running.db, ws.id, {
    kind: 'orders',
    preset: 'cdnow',
    file: SAMPLE,
    rejectsFile: join(dataDir, 'rejects.csv'),
  });
  lap('sample imported');
  assert.equal(summary.rejected, 0, 'the CDNOW sample imports without rejections');
  assert.ok(summary.complete);

  // What the page must show, computed from the file.
  const customerCount = new Set(sample.map((l) => l.sample)).size;
  const mine = sample.filter((l) => l.sample === CUSTOMER);
  assert.ok(mine.length > 0);
  const userId = String(CUSTOMER);

  // A 401 on the wrong key is expected and logged by Chromium as a failed resource; anything else is a bug.
  const { page, errors: pageErrors, submitKey } = await dashboard.openPage({ ignoreConsole: /status of 401/ });
  lap('browser launched');

  await t.test('a wrong key is refused with a message, the admin key signs in', async () => {
    await page.goto(running.url);
    await submitKey('rk_admin_wrong');
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /That key was not accepted: use the admin key/);
    assert.equal(await page.locator('input[name=adminKey]').count(), 1, 'still on the sign-in page');

    await submitKey(ws.adminKey);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/overview');
    assert.equal((await page.getByTestId('workspace-name').textContent())?.trim(), 'Default');
  });

  await t.test('the Overview shows the number of customers of the sample', async () => {
    const customers = page.getByTestId('stat-customers');
    await customers.waitFor();
    assert.equal(customerCount, 2357);
    assert.equal((await customers.textContent())?.trim(), en.format(customerCount)); // 2,357
    assert.equal((await page.getByTestId('stat-orders').textContent())?.trim(), en.format(summary.accepted));
  });

  await t.test(`Customers: searching "${userId}" finds customer ${userId}`, async () => {
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
    await page.getByTestId('customer-row').first().waitFor(); // the unfiltered list has loaded
    await page.locator('input[name=q]').fill(userId);
    await page.getByRole('button', { name: 'Search' }).click();
    // "1" matches user id 1, and also the customer whose internal id is 1: at most two rows.
    const rows = page.getByTestId('customer-row');
    await until('the search results', async () => {
      const n = await rows.count();
      return n >= 1 && n <= 2 && (await page.getByText('Loading…').count()) === 0 ? n : undefined;
    });
    const row = rows.filter({ has: page.getByRole('link', { name: userId, exact: true }) });
    assert.equal(await row.count(), 1, `one row with user id ${userId}`);
    const cells = (await row.locator('td').allTextContents()).map((s) => s.trim());
    assert.equal(cells[3], en.format(mine.length), 'orders column');
    await row.getByRole('link', { name: userId, exact: true }).click();
  });

  await t.test(
    `the profile of customer ${userId}: orders count and the Order Completed timeline match the file`,
    async () => {
      await page.getByTestId('customer-title').waitFor();
      assert.match(new URL(page.url()).hash, /^#\/customers\/\d+$/);
      assert.equal((await page.getByTestId('customer-title').textContent())?.trim(), userId);
      assert.equal((await page.getByTestId('agg-ordersCount').textContent())?.trim(), String(mine.length));
      const revenue = mine.reduce((s, l) => s + l.dollars, 0);
      assert.equal((await page.getByTestId('agg-revenueTotal').textContent())?.trim(), money.format(revenue));

      const timeline = page.getByTestId('timeline');
      await timeline.waitFor();
      await until('the timeline rows', async () =>
        (await page.getByTestId('timeline-row').count()) > 0 && (await page.getByText('Loading…').count()) === 0
          ? true
          : undefined,
      );

      const events = await texts(page, 'timeline-event');
      const orderIds = await texts(page, 'timeline-order-id');
      const totals = await texts(page, 'timeline-order-total');
      const orders = events.flatMap((name, i) =>
        name === 'Order Completed' ? [{ id: orderIds[i]!, total: totals[i]! }] : [],
      );
      assert.equal(
        orders.length,
        mine.length,
        `one Order Completed row per line of customer ${userId} (timeline: ${events.join(', ')})`,
      );
      for (const o of orders) assert.ok(o.id && o.id !== '—', `an order id is shown (${JSON.stringify(o)})`);
      assert.equal(new Set(orders.map((o) => o.id)).size, orders.length, 'order ids are distinct');
      // Newest first: the file's lines from the latest date to the earliest.
      const expected = [...mine].sort((a, b) => b.date.localeCompare(a.date)).map((l) => money.format(l.dollars));
      assert.deepEqual(
        orders.map((o) => o.total),
        expected,
      );
    },
  );

  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  lap('done');
  assert.deepEqual(pageErrors, [], 'no errors in the browser console');
});
