// Browser test of the layout on a phone and a laptop: every page at 390×844 has no sideways scroll (the navigation
// folds behind a menu button, wide tables scroll inside their card), every page has a title of its own, and each page
// is photographed at 1440×900 and 390×844 into .tmp/screens (not committed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ingest } from '../../src/ingest/ingest.ts';
import { startDashboard, until } from '../helpers/browser.ts';

const SCREENS = fileURLToPath(new URL('../../.tmp/screens/', import.meta.url));
const DAY = 86_400_000;
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1440, height: 900 };

/** A small shop with long names, long e-mails and orders, so that tables have something wide in them. */
function shop(now: number) {
  return ['Małgorzata Brzęczyszczykiewicz', 'Александра Константинопольская', 'Christopher Worthington-Smythe'].flatMap(
    (name, i) => [
      {
        type: 'identify',
        userId: `customer-with-a-long-identifier-${i}`,
        traits: { name, email: `${name.split(' ')[0]!.toLowerCase()}.very.long.address@example-shop.com` },
        timestamp: new Date(now - 90 * DAY).toISOString(),
      },
      ...[0, 1, 2].map((k) => ({
        type: 'track',
        userId: `customer-with-a-long-identifier-${i}`,
        event: 'Order Completed',
        timestamp: new Date(now - (30 + 10 * k + i) * DAY).toISOString(),
        properties: { orderId: `order-${i}-${k}`, total: 123.45 * (k + 1), currency: 'PLN' },
      })),
    ],
  );
}

/** Each page of the dashboard, its hash and a heading that says it has rendered. */
const PAGES: [string, string, RegExp][] = [
  ['overview', '#/overview', /^Overview$/],
  ['customers', '#/customers', /^Customers$/],
  ['customer', '#/customers/CUSTOMER', /Małgorzata/],
  ['segments', '#/segments', /^Segments$/],
  ['journeys', '#/journeys', /^Journeys$/],
  ['journey-new', '#/journeys/new', /journey/i],
  ['messages', '#/messages', /^Messages$/],
  ['template-new', '#/messages/templates/new', /template/i],
  ['analytics', '#/analytics', /^Analytics$/],
  ['results', '#/results', /^Results$/],
  ['loyalty', '#/loyalty', /^Loyalty$/],
  ['rfm', '#/rfm', /^RFM$/],
  ['models', '#/models', /^Models$/],
  ['channels', '#/channels', /^Channels$/],
  ['channel-email', '#/channels/email', /mail/i],
  ['coupons', '#/coupons', /^Coupons$/],
];

async function settle(page: Page, heading: RegExp) {
  await page.locator('h1').filter({ hasText: heading }).first().waitFor();
  await until('the page to load', async () => ((await page.getByText('Loading…').count()) === 0 ? true : undefined));
}

const sidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('layout: no sideways scroll on a phone, a title per page, screenshots at two sizes', {
  timeout: 180_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'responsive');
  const { running } = dashboard;
  const ws = running.firstWorkspace;
  assert.ok(ws);
  assert.deepEqual((await ingest(running.db, ws.id, shop(Date.now()))).rejected, []);
  const [first] = await running.db.query<{ id: string }>(
    "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'customer-with-a-long-identifier-0'",
    [ws.id],
  );
  mkdirSync(SCREENS, { recursive: true });

  // Answers the pages show in words, which Chromium also logs: a blank journey's validation (400) and the holdout check
  // on a shop too young for it (422), a lift report while the control group has nobody (409).
  const { page, errors, signIn } = await dashboard.openPage({
    viewport: PHONE,
    ignoreConsole: /status of (400|409|422)/,
  });
  await signIn(ws.adminKey);

  await t.test('on a phone the navigation folds behind the menu button, which opens it', async () => {
    assert.equal(await page.locator('#main-nav').isVisible(), false);
    await page.getByTestId('menu-toggle').click();
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await settle(page, /^Customers$/);
    assert.equal(await page.locator('#main-nav').isVisible(), false, 'choosing a page folds the menu again');
  });

  const titles = new Map<string, string>();
  for (const [name, hash, heading] of PAGES) {
    await t.test(`${name}: no sideways scroll at 390 px, its own title`, async () => {
      await page.setViewportSize(PHONE);
      await page.goto(`${running.url}/${hash.replace('CUSTOMER', first!.id)}`);
      await settle(page, heading);
      await page.screenshot({ path: `${SCREENS}${name}-390.png`, fullPage: true });
      assert.equal(await sidewaysScroll(page), 0, `${name} scrolls sideways at 390 px`);
      titles.set(name, await page.title());
      await page.setViewportSize(LAPTOP);
      await page.screenshot({ path: `${SCREENS}${name}-1440.png`, fullPage: true });
      assert.equal(await sidewaysScroll(page), 0, `${name} scrolls sideways at 1440 px`);
    });
  }

  await t.test('every kind of page has a title that names it', async () => {
    for (const [name, title] of titles) assert.match(title, /^.+ · Retain$/, `${name}: "${title}"`);
    const lists = [
      'overview',
      'customers',
      'segments',
      'journeys',
      'messages',
      'analytics',
      'results',
      'loyalty',
      'rfm',
      'models',
      'channels',
      'coupons',
    ].map((n) => titles.get(n));
    assert.equal(new Set(lists).size, lists.length, `distinct titles: ${lists.join(', ')}`);
  });

  assert.deepEqual(errors, [], 'no errors in the browser console');
});
