// Browser test of the customer list a marketer reads: names in Polish, Russian and English, search by words of the
// name, sorting by revenue (and back), a profile headed by the name with its user id under it, and the note that
// explains a churned stage next to a low churn risk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ingest } from '../../src/ingest/ingest.ts';
import { startDashboard, until } from '../helpers/browser.ts';

const SHOTS = fileURLToPath(new URL('../../.tmp/', import.meta.url));
const DAY = 86_400_000;

/** Three customers: Anna (2 orders, 90), Ольга (1 order, 500, long ago), Mary (3 orders, 60). */
function shop(now: number) {
  const people = [
    {
      userId: 'anna',
      traits: { firstName: 'Anna', lastName: 'Kowalska', email: 'anna@example.pl' },
      totals: [40, 50],
      daysAgo: 20,
    },
    { userId: 'olga', traits: { name: 'Ольга Кузнецова', email: 'olga@example.ru' }, totals: [500], daysAgo: 500 },
    { userId: 'mary', traits: { name: "Mary O'Brien", email: 'mary@example.com' }, totals: [10, 20, 30], daysAgo: 5 },
  ];
  return people.flatMap((p) => [
    { type: 'identify', userId: p.userId, traits: p.traits, timestamp: new Date(now - 600 * DAY).toISOString() },
    ...p.totals.map((total, i) => ({
      type: 'track',
      userId: p.userId,
      event: 'Order Completed',
      timestamp: new Date(now - (p.daysAgo + i) * DAY).toISOString(),
      properties: { orderId: `${p.userId}-${i}`, total, currency: 'EUR' },
    })),
  ]);
}

const names = async (page: Page) => (await page.getByTestId('customer-name').allTextContents()).map((s) => s.trim());
const listReads = (page: Page, expected: string[]) =>
  until(`the list to read ${expected.join(', ')}`, async () => {
    const seen = await names(page);
    if ((await page.getByText('Loading…').count()) === 0 && JSON.stringify(seen) === JSON.stringify(expected))
      return true;
    throw new Error(`it reads ${seen.join(', ')}`);
  });

test('customers: names, search by name, sort by revenue, a profile with its score note', {
  timeout: 120_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'customers');
  const { running } = dashboard;
  const ws = running.firstWorkspace;
  assert.ok(ws);
  const now = Date.now();
  assert.deepEqual((await ingest(running.db, ws.id, shop(now))).rejected, []);
  // Olga's scores as a scoring run would leave them: churned by the day rule, low risk after a single order.
  await running.db.query(
    `UPDATE customers SET lifecycle_stage = 'churned', churn_risk = 'low', p_alive = 1, scored_at = now() WHERE workspace_id = $1 AND user_id = 'olga'`,
    [ws.id],
  );

  const { page, errors, signIn } = await dashboard.openPage();
  mkdirSync(SHOTS, { recursive: true });

  await t.test('the list shows names, newest first', async () => {
    await signIn(ws.adminKey);
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await listReads(page, ["Mary O'Brien", 'Ольга Кузнецова', 'Anna Kowalska']);
  });

  await t.test('sorting by revenue puts Ольга first; a second click turns it round', async () => {
    await page.getByTestId('sort-revenue').click();
    await listReads(page, ['Ольга Кузнецова', 'Anna Kowalska', "Mary O'Brien"]);
    assert.equal(await page.locator('th[aria-sort=descending]').count(), 1);
    await page.getByTestId('sort-revenue').click();
    await listReads(page, ["Mary O'Brien", 'Anna Kowalska', 'Ольга Кузнецова']);
    await page.screenshot({ path: `${SHOTS}e2e-customers-1440.png`, fullPage: true });
  });

  await t.test('searching the start of a Russian last name finds her', async () => {
    await page.locator('input[name=q]').fill('кузн');
    await page.getByRole('button', { name: 'Search' }).click();
    await listReads(page, ['Ольга Кузнецова']);
  });

  await t.test('her profile is headed by her name and explains churned next to a low risk', async () => {
    await page.getByTestId('customer-name').first().click();
    await page.getByTestId('customer-title').waitFor();
    assert.equal((await page.getByTestId('customer-title').textContent())?.trim(), 'Ольга Кузнецова');
    assert.equal((await page.getByTestId('customer-user-id').textContent())?.trim(), 'User id olga');
    const note = ((await page.getByTestId('score-note-churned_by_days').textContent()) ?? '').trim();
    assert.match(
      note,
      /^Churned because the only order was 500 days ago \(the shop's rule: no order for 365 days\)\. The churn risk stays low/,
    );
  });

  assert.deepEqual(errors, [], 'no errors in the browser console');
});
