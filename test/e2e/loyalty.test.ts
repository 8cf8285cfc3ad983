// Browser test of loyalty in the dashboard: the marketer switches the programme on in its form (a bad field first shows
// its problem and saves nothing), adds a tier and a reward (a cost of 0 points is refused next to its field), an order
// arrives through the API, the customer's profile shows the balance, tier and ledger, a manual adjustment changes it,
// and the Loyalty page's liability is the API's points and money.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDashboard, until } from '../helpers/browser.ts';

test('Loyalty: programme, tier and reward as forms; an order earns; the profile shows and adjusts; the liability follows', {
  timeout: 180_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'loyalty');
  const { running } = dashboard;
  const ws = running.firstWorkspace!;
  const api = async <T>(method: string, path: string, body?: unknown, key = ws.adminKey): Promise<T> => {
    const res = await fetch(`${running.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const { page, errors, signIn } = await dashboard.openPage({ timeoutMs: 15_000 });
  await signIn(ws.adminKey);
  await page.goto(`${running.url}/#/loyalty`);
  await page.getByTestId('save-program').waitFor();

  await t.test('a bad field shows its problem next to it, and nothing is saved', async () => {
    await page.getByLabel('The programme is on: orders earn points').check();
    await page.locator('#loy-pendingDays').fill('two');
    await page.getByTestId('save-program').click();
    assert.equal(await page.getByTestId('problem-loy-pendingDays').textContent(), 'Enter a number, such as 1 or 0.5.');
    assert.match((await page.getByTestId('program-answer').textContent())!, /Nothing was saved/);
    assert.equal((await api<{ enabled: boolean }>('GET', '/api/v1/loyalty/program')).enabled, false);
  });

  await t.test('the programme switched on with a tier, saved as the form says', async () => {
    await page.locator('#loy-pendingDays').fill('0');
    await page.getByTestId('add-tier').click();
    await page.locator('#loy-tier-0-name').fill('Gold');
    await page.locator('#loy-tier-0-threshold').fill('100');
    await page.getByTestId('tier-0').getByLabel('Free shipping').check();
    await page.getByTestId('save-program').click();
    await until('saved', async () =>
      (await page.getByTestId('program-answer').textContent()) === 'Saved. The programme is on.' ? true : undefined,
    );
    assert.equal(await page.getByTestId('problem-loy-pendingDays').count(), 0, 'the problem is gone once fixed');
    const program = await api<{ enabled: boolean; pendingDays: number; tiers: unknown[] }>(
      'GET',
      '/api/v1/loyalty/program',
    );
    assert.equal(program.enabled, true);
    assert.equal(program.pendingDays, 0);
    assert.deepEqual(program.tiers, [{ name: 'Gold', threshold: 100, multiplier: 1, freeShipping: true }]);
  });

  await t.test('a reward: a cost of 0 is refused next to its field, then it is saved and listed', async () => {
    await page.getByTestId('new-reward').click();
    await page.locator('#loy-reward-name').fill('Free coffee');
    await page.locator('#loy-reward-kind').selectOption('gift');
    await page.locator('#loy-reward-cost').fill('0');
    await page.getByTestId('save-reward').click();
    assert.equal(
      await page.getByTestId('problem-loy-reward-cost').textContent(),
      'Enter a number from 1 to 1000000000.',
    );
    await page.locator('#loy-reward-cost').fill('200');
    await page.getByTestId('save-reward').click();
    await page.getByTestId('reward-free-coffee').waitFor();
    assert.match((await page.getByTestId('reward-free-coffee').textContent())!, /Free coffee.*Gift.*200 points/);
    const { rewards } = await api<{ rewards: { id: string; kind: string; cost: number }[] }>(
      'GET',
      '/api/v1/loyalty/rewards',
    );
    assert.deepEqual(
      rewards.map((r) => [r.id, r.kind, r.cost]),
      [['free-coffee', 'gift', 200]],
    );
  });

  // an order of 250 through the ingest API: 1 point per whole unit, spendable at once (no pending days)
  await api(
    'POST',
    '/v1/batch',
    {
      batch: [
        {
          type: 'track',
          userId: 'ann',
          event: 'Order Completed',
          properties: { order_id: 'A1', total: 250, currency: 'USD' },
        },
      ],
    },
    ws.serverKey,
  );
  const [ann] = await running.db.query<{ id: string }>(
    "SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = 'ann'",
    [ws.id],
  );
  assert.ok(ann);

  await t.test('the profile shows the balance, the tier and the ledger', async () => {
    await page.goto(`${running.url}/#/customers/${ann.id}`);
    await page.getByTestId('loyalty-available').waitFor();
    assert.equal(await page.getByTestId('loyalty-available').textContent(), '250 points');
    assert.equal(await page.getByTestId('loyalty-pending').textContent(), '0 points');
    assert.equal(await page.getByTestId('loyalty-tier').textContent(), 'Gold');
    const rows = await page.getByTestId('loyalty-ledger').locator('tbody tr').allTextContents();
    assert.equal(rows.length, 1);
    assert.match(rows[0]!, /Earned on an order\+250/);
  });

  await t.test(
    'a manual adjustment: empty fields say what is missing, then the balance and the ledger change',
    async () => {
      await page.getByTestId('adjust-submit').click();
      assert.equal(
        await page.getByTestId('problem-loy-adjust-points').textContent(),
        'Enter a number, such as 1 or 0.5.',
      );
      assert.match((await page.getByTestId('problem-loy-adjust-reason').textContent())!, /Say why/);
      await page.locator('#loy-adjust-points').fill('30');
      await page.locator('#loy-adjust-reason').fill('Apology for a late parcel');
      await page.getByTestId('adjust-submit').click();
      await until('the new balance', async () =>
        (await page.getByTestId('loyalty-available').textContent()) === '280 points' ? true : undefined,
      );
      const rows = await page.getByTestId('loyalty-ledger').locator('tbody tr').allTextContents();
      assert.equal(rows.length, 2);
      assert.match(rows[0]!, /Changed by hand\+30.*Apology for a late parcel/);
      const view = await api<{ available: number }>('GET', `/api/v1/customers/${ann.id}/loyalty`);
      assert.equal(view.available, 280);
    },
  );

  await t.test('the liability: the points not yet spent and their worth, as the API says', async () => {
    await page.goto(`${running.url}/#/loyalty`);
    await page.getByTestId('liability-value').waitFor();
    const liability = await api<{ points: number; value: number }>('GET', '/api/v1/loyalty/liability');
    const { base } = await api<{ base: string }>('GET', '/api/v1/settings/currency');
    assert.equal(liability.points, 280);
    assert.equal(await page.getByTestId('liability-points').textContent(), '280 points');
    assert.equal(
      await page.getByTestId('liability-value').textContent(),
      new Intl.NumberFormat('en-US', { style: 'currency', currency: base, currencyDisplay: 'code' }).format(
        liability.value,
      ),
    );
  });

  assert.deepEqual(errors, [], 'no errors in the browser console');
});
