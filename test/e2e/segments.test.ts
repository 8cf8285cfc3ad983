// Browser test of Segments: three customers with 1, 3 and 5 orders; build "orders ≥ 3" in the builder, watch the live
// count, save it, see it listed with 2 members, open it and see the two member rows (linking to their profiles); a
// trait "is one of" numbers matches them as numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ingest } from '../../src/ingest/ingest.ts';
import { startDashboard, until } from '../helpers/browser.ts';

const SCREENSHOT = fileURLToPath(new URL('../../.tmp/e2e-segments.png', import.meta.url));
const BUILDER_SCREENSHOT = fileURLToPath(new URL('../../.tmp/e2e-segments-builder.png', import.meta.url));
const DAY = 86_400_000;

/** ann has 1 order, bob 3, cat 5, each with an identify carrying the e-mail and a size (1, "1.0", "7"). */
function shop(now: number) {
  const messages: object[] = [];
  for (const [userId, orders, size] of [
    ['ann', 1, 1],
    ['bob', 3, '1.0'],
    ['cat', 5, '7'],
  ] as const) {
    messages.push({
      type: 'identify',
      userId,
      traits: { email: `${userId}@example.com`, size },
      timestamp: new Date(now - 20 * DAY).toISOString(),
    });
    for (let i = 0; i < orders; i++) {
      messages.push({
        type: 'track',
        userId,
        event: 'Order Completed',
        timestamp: new Date(now - (10 - i) * DAY).toISOString(),
        properties: { orderId: `${userId}-${i}`, total: 20 + i, currency: 'EUR' },
      });
    }
  }
  return messages;
}

const textOf = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();
const waitForText = (page: Page, testId: string, expected: string) =>
  until(`${testId} to read "${expected}"`, async () => {
    const seen = await textOf(page, testId);
    if (seen === expected) return true;
    throw new Error(`it reads "${seen}"`);
  });

test('segments: build orders ≥ 3 with a live count, save it, see it listed and open its members', {
  timeout: 60_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'segments');
  const { running } = dashboard;
  const ws = running.firstWorkspace;
  assert.ok(ws, 'a fresh data dir gets a first workspace');
  const ingested = await ingest(running.db, ws.id, shop(Date.now()));
  assert.deepEqual(ingested.rejected, []);

  const { page, errors: pageErrors, signIn } = await dashboard.openPage();

  await t.test('sign in and open Segments: none yet', async () => {
    await signIn(ws.adminKey);
    await page.getByRole('link', { name: 'Segments', exact: true }).click();
    await page.getByRole('heading', { name: 'Segments', exact: true }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/segments');
    await page.getByTestId('segments-empty').waitFor();
  });

  await t.test('build orders ≥ 3: the live count follows every change and settles on 2', async () => {
    await page.getByLabel('Condition 1 kind').selectOption('aggregate');
    await page.getByLabel('Condition 1 field').selectOption('orders_count');
    await page.getByLabel('Condition 1 operator').selectOption({ label: '≥' });
    await waitForText(page, 'live-count', 'Condition 1: enter a value.');
    await page.getByLabel('Condition 1 value').fill('1');
    await waitForText(page, 'live-count', '3 customers match');
    await page.getByLabel('Condition 1 value').fill('3');
    await waitForText(page, 'live-count', '2 customers match');
    const sample = await page.getByTestId('live-sample').getByRole('link').allTextContents();
    assert.deepEqual(sample, ['cat', 'bob'], 'the sample, newest customer first');

    // The same definition as JSON, and back to rows.
    await page.getByRole('button', { name: 'JSON', exact: true }).click();
    const json = JSON.parse(await page.getByLabel('Definition JSON').inputValue());
    assert.deepEqual(json, { aggregate: 'orders_count', op: 'gte', value: 3 });
    await page.getByRole('button', { name: 'Rows', exact: true }).click();
    assert.equal(await page.getByLabel('Condition 1 value').inputValue(), '3');
    await waitForText(page, 'live-count', '2 customers match');

    await page.locator('input[name=segmentName]').fill('Repeat buyers');
    mkdirSync(dirname(BUILDER_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: BUILDER_SCREENSHOT, fullPage: true });
  });

  await t.test('save: the segment is listed with its 2 members', async () => {
    await page.getByRole('button', { name: 'Save segment' }).click();
    await waitForText(page, 'segment-notice', 'Saved “Repeat buyers” with 2 members.');
    const row = page.getByTestId('segment-row').filter({ hasText: 'Repeat buyers' });
    await row.waitFor();
    assert.equal(await page.getByTestId('segment-row').count(), 1);
    assert.equal((await row.getByTestId('segment-members').textContent())?.trim(), '2');
    // The builder is ready for the next one.
    assert.equal(await page.locator('input[name=segmentName]').inputValue(), '');
  });

  await t.test('open it: two member rows linking to the profiles, and the entries of today', async () => {
    await page.getByRole('link', { name: 'Repeat buyers' }).click();
    await page.getByTestId('segment-title').waitFor();
    assert.match(new URL(page.url()).hash, /^#\/segments\/seg_[0-9a-f]+$/);
    assert.equal(await textOf(page, 'segment-title'), 'Repeat buyers');
    assert.equal(await textOf(page, 'segment-member-count'), '2');
    await page.getByTestId('members-table').waitFor();
    const rows = page.getByTestId('member-row');
    await until('two member rows', async () => ((await rows.count()) === 2 ? true : undefined));
    const links = rows.getByRole('link');
    assert.deepEqual(await links.allTextContents(), ['cat', 'bob']);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
      assert.match(href ?? '', /^#\/customers\/\d+$/);
    await page.getByTestId('segment-activity-chart').waitFor();
    assert.deepEqual(JSON.parse(await textOf(page, 'segment-definition')), {
      aggregate: 'orders_count',
      op: 'gte',
      value: 3,
    });

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await links.first().click();
    await page.getByTestId('customer-title').waitFor();
    assert.equal(await textOf(page, 'customer-title'), 'cat');
    assert.equal(await textOf(page, 'agg-ordersCount'), '5');
  });

  await t.test(
    'a trait "is one of" numbers compares numbers as numbers: size 1, 007 → ann (1) and bob ("1.0"); 007 stays text',
    async () => {
      await page.getByRole('link', { name: 'Segments', exact: true }).click();
      await page.getByLabel('Condition 1 kind').selectOption('trait');
      await page.getByLabel('Condition 1 field').fill('size');
      await page.getByLabel('Condition 1 operator').selectOption('in');
      await page.getByLabel('Condition 1 value').fill('1, 007');
      await waitForText(page, 'live-count', '2 customers match');
      assert.deepEqual(await page.getByTestId('live-sample').getByRole('link').allTextContents(), ['bob', 'ann']);
      await page.getByRole('button', { name: 'JSON', exact: true }).click();
      assert.deepEqual(JSON.parse(await page.getByLabel('Definition JSON').inputValue()), {
        trait: 'size',
        op: 'in',
        value: [1, '007'],
      });
    },
  );

  assert.deepEqual(pageErrors, [], 'no errors in the browser console');
});
