// The empty dashboard offers a demo shop: a new workspace's Overview shows the button, a click fills the workspace
// (through POST /api/v1/demo), the figures appear, and the Customers page lists the shop's customers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDashboard } from '../helpers/browser.ts';
import { DEMO_CUSTOMERS } from '../../src/demo/generate.ts';

test('the empty Overview\'s "Fill with a demo shop" button fills the workspace; Customers lists them', {
  timeout: 180_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'demo');
  const ws = dashboard.running.firstWorkspace!;
  const { page, errors, signIn } = await dashboard.openPage({ timeoutMs: 20_000 });
  await signIn(ws.adminKey);

  const offer = page.getByTestId('demo-offer');
  await offer.waitFor();
  assert.equal((await page.getByTestId('stat-customers').textContent())?.trim(), '0');
  await offer.getByRole('button', { name: 'Fill with a demo shop' }).click();
  // Filling stores about 17,000 events through ingest: well under a minute, more on a busy machine.
  await page
    .getByTestId('stat-customers')
    .filter({ hasText: new Intl.NumberFormat('en-US').format(DEMO_CUSTOMERS) })
    .waitFor({ timeout: 150_000 });
  assert.equal(await offer.count(), 0, 'the offer is gone once the workspace holds customers');
  const orders = Number((await page.getByTestId('stat-orders').textContent())!.replace(/,/g, ''));
  assert.ok(orders > DEMO_CUSTOMERS, `orders: ${orders}`);
  assert.ok((await page.getByTestId('latest-events').locator('tbody tr').count()) > 0);

  await page.goto(`${dashboard.running.url}/#/customers`);
  await page.getByTestId('customer-row').first().waitFor();
  const emails = await page.getByTestId('customer-row').locator('td:nth-child(2)').allTextContents();
  assert.ok(emails.length > 0 && emails.every((e) => /@example\.(com|org|net)$/.test(e.trim())), emails.join(', '));
  const [{ n }] = await dashboard.running.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM customers WHERE workspace_id = $1',
    [ws.id],
  );
  assert.equal(n, DEMO_CUSTOMERS);
  assert.deepEqual(errors, []);
});
