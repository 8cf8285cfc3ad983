// Browser test of the Results page: a marketing journey with a 10 % control group and an A/B split ran for 30 days of
// virtual clock (ending a month ago), customers bought at known rates per arm. The page's figures must be the API's:
// lift per journey with its bars and verdict, the split's arms and winner, LTV with and without messages, retention
// per month and the cohort heatmap; each table exports as CSV with the API's numbers; and the winner gets all traffic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startDashboard, until } from '../helpers/browser.ts';
import { journeyWorld } from '../journeys/world.ts';
import { putJourneySettings } from '../../src/journeys/index.ts';
import { seededRandom } from '../../src/models/simulate.ts';

const DAY = 86_400_000;
const SCREENSHOT = fileURLToPath(new URL('../../.tmp/e2e-results.png', import.meta.url));
const en = new Intl.NumberFormat('en-US');
const pct = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** The rows of a CSV file the page made (no quoted commas in these). */
async function download(page: Page, testId: string): Promise<string[][]> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).first().click()]);
  const text = readFileSync((await file.path())!, 'utf8');
  return text
    .trim()
    .split('\r\n')
    .map((line) => line.split(','));
}

test("Results page: lift, A/B winner, LTV, retention and cohorts show the API's numbers; CSV export; all traffic to the winner", {
  timeout: 300_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'results');
  const { running } = dashboard;
  const ws = running.firstWorkspace!;
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${running.url}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${ws.adminKey}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };

  // 20 sign-ups a day for 30 days, from 60 days ago; three days later each buys at the rate of their arm.
  const start = new Date(Math.floor((Date.now() - 60 * DAY) / DAY) * DAY + 9 * 3_600_000);
  const w = await journeyWorld({ db: running.db }, start, ws.id);
  await putJourneySettings(running.db, ws.id, { share: 0.1, periodMonths: 3 });
  await w.journey('welcome', {
    trigger: { type: 'event', event: 'Signed Up' },
    start: 'ab',
    steps: [
      {
        id: 'ab',
        type: 'split',
        arms: [
          { name: 'plain', weight: 1, next: 'hi' },
          { name: 'coupon', weight: 1, next: 'hi' },
        ],
      },
      { id: 'hi', type: 'send', template: 'welcome', channel: { fixed: 'email' } },
    ],
  });
  const random = seededRandom(15);
  let orders = 0;
  for (let day = 0; day < 30; day++) {
    const users = Array.from({ length: 20 }, (_, i) => `d${day}-${i}`);
    await w.send(...users.map((u) => ({ type: 'track', userId: u, event: 'Signed Up' })));
    const arms = new Map(
      (
        await running.db.query<{ user_id: string; arm: string }>(
          `SELECT c.user_id, l.outcome AS arm FROM journey_step_log l JOIN customers c ON c.workspace_id = l.workspace_id AND c.id = l.customer_id
       WHERE l.workspace_id = $1 AND l.type = 'split' AND c.user_id = ANY($2::text[])`,
          [ws.id, users],
        )
      ).map((r) => [r.user_id, r.arm]),
    );
    const rate = (u: string) => ({ coupon: 0.5, plain: 0.15 })[arms.get(u) as 'coupon' | 'plain'] ?? 0.08;
    const buys = users.filter((u) => random() < rate(u));
    const at = new Date(w.now.getTime() + 3 * DAY).toISOString();
    if (buys.length) {
      await w.send(
        ...buys.map((u) => ({
          type: 'track',
          userId: u,
          event: 'Order Completed',
          timestamp: at,
          properties: { order_id: `o${++orders}`, total: 20 + Math.round(random() * 80), currency: 'PLN' },
        })),
      );
    }
    await w.advance(new Date(w.now.getTime() + DAY), { every: '+1d' });
  }

  const { page, errors, signIn } = await dashboard.openPage({
    viewport: { width: 1400, height: 1000 },
    timeoutMs: 20_000,
  });
  await signIn(ws.adminKey);
  await page.getByRole('link', { name: 'Results', exact: true }).click();
  await page.getByRole('heading', { name: 'Results', exact: true }).waitFor();
  assert.equal(await page.title(), 'Results · Retain');

  type Cmp = {
    difference: number;
    relativeLift: number;
    relativeInterval: { low: number; high: number };
    incremental: number;
    verdict: { kind: string; moreCustomers?: number | null };
    interval: { low: number; high: number };
    pValue: number;
  };
  type Report = {
    arms: {
      arm: string;
      control: boolean;
      n: number;
      metrics: Record<string, { value: number; vsControl: Cmp | null }>;
    }[];
    currency: { base: string };
  };

  await t.test("lift: each row has the API's arms, values and verdict, the bars its relative lift", async () => {
    await page.getByTestId('lift-metric-conversion').click();
    await until('lift rows', async () => ((await page.getByTestId('lift-row').count()) === 2 ? true : undefined));
    for (const id of ['control-group', 'journey:welcome']) {
      const report = await api<Report>('GET', `/experiments/${encodeURIComponent(id)}/report`);
      const treated = report.arms.find((a) => !a.control)!;
      const control = report.arms.find((a) => a.control)!;
      const row = page.locator(`[data-testid=lift-row][data-id="${id}"]`);
      assert.equal(await row.getByTestId('lift-treated-n').textContent(), en.format(treated.n));
      assert.equal(await row.getByTestId('lift-control-n').textContent(), en.format(control.n));
      assert.equal(
        await row.getByTestId('lift-treated-value').textContent(),
        pct.format(treated.metrics.conversion!.value),
      );
      assert.equal(
        await row.getByTestId('lift-control-value').textContent(),
        pct.format(control.metrics.conversion!.value),
      );
      const vs = treated.metrics.conversion!.vsControl!;
      assert.equal(await row.getAttribute('data-verdict'), vs.verdict.kind);
      const verdict = (await row.getByTestId('lift-verdict').textContent())!;
      if (vs.verdict.kind === 'earns')
        assert.equal(verdict, `earns ${en.format(Math.round(vs.incremental))} more buyers`);
      else if (vs.verdict.kind === 'not_enough_data') assert.match(verdict, /^not enough data yet — /);
      else assert.equal(verdict, 'no measurable effect');
      const bar = page.locator(`[data-testid=lift-bar][data-id="${id}"]`);
      assert.equal(Number(await bar.getAttribute('data-lift')), vs.relativeLift);
      assert.equal(Number(await bar.getAttribute('data-low')), vs.relativeInterval.low);
    }
    // revenue per customer: money in the base currency
    await page.getByTestId('lift-metric-revenue').click();
    const report = await api<Report>('GET', '/experiments/journey%3Awelcome/report');
    const treated = report.arms.find((a) => !a.control)!;
    const money = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: report.currency.base,
      currencyDisplay: 'code',
    });
    assert.equal(
      await page
        .locator('[data-testid=lift-row][data-id="journey:welcome"]')
        .getByTestId('lift-treated-value')
        .textContent(),
      money.format(treated.metrics.revenue!.value),
    );
  });

  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  await t.test("lift CSV: one line per experiment with the API's raw numbers", async () => {
    const rows = await download(page, 'lift-csv');
    assert.equal(rows.length, 3);
    assert.equal(rows[0]![0], 'Measured');
    const report = await api<Report>('GET', '/experiments/journey%3Awelcome/report');
    const treated = report.arms.find((a) => !a.control)!;
    const line = rows.find((r) => r[0] === 'welcome')!;
    assert.deepEqual(line.slice(1, 6).map(Number), [
      treated.n,
      report.arms.find((a) => a.control)!.n,
      treated.metrics.revenue!.value,
      report.arms.find((a) => a.control)!.metrics.revenue!.value,
      treated.metrics.revenue!.vsControl!.difference,
    ]);
  });

  await t.test(
    'A/B split: the arms on conversion, coupon wins; CSV; send all further traffic to it after confirming',
    async () => {
      const id = 'journey:welcome:split:ab';
      const report = await api<Report>('GET', `/experiments/${encodeURIComponent(id)}/report`);
      const split = page.locator(`[data-testid=split][data-id="${id}"]`);
      await split.waitFor();
      for (const arm of report.arms) {
        const row = split.locator(`[data-testid=split-arm][data-arm="${arm.arm}"]`);
        assert.equal(await row.getByTestId('split-n').textContent(), en.format(arm.n));
        assert.equal(await row.getByTestId('split-value').textContent(), pct.format(arm.metrics.conversion!.value));
      }
      const coupon = report.arms.find((a) => a.arm === 'coupon')!.metrics.conversion!.vsControl!;
      assert.equal(coupon.verdict.kind, 'earns', 'coupon (50 %) against plain (15 %) over ~270 customers each');
      assert.equal(await split.getByTestId('split-winner').getAttribute('data-arm'), 'coupon');
      await split.getByTestId('split-metric-click').click();
      assert.equal(await split.getByTestId('split-table').getAttribute('data-metric'), 'click');
      await split.getByTestId('split-metric-conversion').click();
      const rows = await download(page, 'split-csv');
      assert.deepEqual(
        rows.slice(1).map((r) => [r[0], Number(r[1]), Number(r[2])]),
        report.arms.map((a) => [a.arm, a.n, a.metrics.conversion!.value]),
      );

      await split.getByTestId('split-send-all').click();
      await split.getByTestId('split-confirm').waitFor();
      await split.getByTestId('split-confirm-yes').click();
      await until('the winner is live', async () =>
        (await split.getByTestId('split-done').count()) ? true : undefined,
      );
      assert.equal(
        await split.getByTestId('split-done').textContent(),
        'Done: the journey is now version 2; all further traffic goes to coupon.',
      );
      const journey = await api<{ version: number; definition: { start: string; steps: { id: string }[] } }>(
        'GET',
        '/journeys/welcome',
      );
      assert.equal(journey.version, 2);
      assert.deepEqual([journey.definition.start, journey.definition.steps.map((s) => s.id)], ['hi', ['hi']]);
    },
  );

  await t.test("LTV with and without messages: the API's curves and CLV; CSV", async () => {
    const ltv = await api<{
      arms: { arm: string; customers: number; months: { cumulative: number | null }[] }[];
      currency: string;
    }>('GET', '/measure/ltv');
    await page.getByTestId('ltv-table').waitFor();
    assert.equal(await page.getByTestId('ltv-row').count(), 12);
    const money = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: ltv.currency,
      currencyDisplay: 'code',
    });
    const first = (await page.getByTestId('ltv-row').first().locator('td').allTextContents()).map((s) => s.trim());
    assert.deepEqual(first, [
      '1',
      money.format(ltv.arms[0]!.months[0]!.cumulative!),
      money.format(ltv.arms[1]!.months[0]!.cumulative!),
      money.format(ltv.arms[0]!.months[0]!.cumulative! - ltv.arms[1]!.months[0]!.cumulative!),
    ]);
    assert.match(
      (await page.getByTestId('ltv-arm-treated').textContent())!,
      new RegExp(`${en.format(ltv.arms[0]!.customers)} customers`),
    );
    await page.getByTestId('ltv-line-treated').waitFor();
    const rows = await download(page, 'ltv-csv');
    assert.equal(Number(rows[1]![1]), ltv.arms[0]!.months[0]!.cumulative);
  });

  await t.test("retention per month and the cohort heatmap: the API's figures; CSV", async () => {
    const r = await api<{ periods: { period: string; active: number; retentionRate: number | null }[] }>(
      'GET',
      '/measure/retention?period=month',
    );
    const active = await page.getByTestId('retention-active').locator('td.num').allTextContents();
    assert.deepEqual(
      active,
      r.periods.map((p) => en.format(p.active)),
    );
    assert.match(
      (await page.getByTestId('retention-retentionRate').locator('td.hint').getAttribute('title'))!,
      /\(E − N\) \/ S/,
    );
    const csv = await download(page, 'retention-csv');
    assert.deepEqual(
      csv[0]!.slice(1),
      r.periods.map((p) => p.period),
    );
    assert.deepEqual(
      csv
        .find((l) => l[0] === 'Active customers (E)')!
        .slice(1)
        .map(Number),
      r.periods.map((p) => p.active),
    );

    const c = await api<{
      cohorts: { cohort: string; customers: number; months: { share: number; revenue: number }[] }[];
    }>('GET', '/measure/cohorts');
    assert.equal(await page.getByTestId('cohort-row').count(), c.cohorts.length);
    const firstCells = await page
      .getByTestId('cohort-row')
      .first()
      .locator('td.cell')
      .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
    assert.deepEqual(
      firstCells,
      c.cohorts[0]!.months.map((m) => m.share),
    );
    await page.getByTestId('cohorts-revenue').click();
    const revenueCells = await page
      .getByTestId('cohort-row')
      .first()
      .locator('td.cell')
      .evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
    assert.deepEqual(
      revenueCells,
      c.cohorts[0]!.months.map((m) => m.revenue),
    );
    const cohortCsv = await download(page, 'cohorts-csv');
    assert.deepEqual(
      cohortCsv.slice(1).map((l) => [l[0], Number(l[1])]),
      c.cohorts.map((x) => [x.cohort, x.customers]),
    );

    // In one currency only: every order here is in the base currency, so PLN shows the same and EUR nothing.
    await page.getByTestId('results-currency').selectOption('EUR');
    await until('no EUR orders', async () =>
      (await page.getByText('No orders in the last year.').count()) === 2 ? true : undefined,
    );
    await page.getByTestId('results-currency').selectOption('PLN');
    const pln = await api<{ periods: { active: number }[] }>('GET', '/measure/retention?period=month&currency=PLN');
    await until('the PLN orders', async () => {
      const cells = await page.getByTestId('retention-active').locator('td.num').allTextContents();
      return cells.length && JSON.stringify(cells) === JSON.stringify(pln.periods.map((p) => en.format(p.active)))
        ? true
        : undefined;
    });
  });

  assert.deepEqual(errors, []);
});
