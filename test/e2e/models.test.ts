// Browser test of the Models and RFM pages: Retain in-process on PGlite with the CDNOW sample imported, driven by
// headless Chromium. Fit now (calibration end 1997-09-30) shows the published estimates and stays the live fit when the
// worker's schedule refits, the holdout check draws the chart with the file's numbers, the RFM grid accounts for every
// customer, and a profile shows the customer's scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { importFile } from '../../src/import/import.ts';
import { startDashboard, until } from '../helpers/browser.ts';
import { fitDueWorkspaces } from '../../src/models/store/job.ts';
import { shippedFile } from '../../src/datasets/shipped.ts';

const SAMPLE = shippedFile('cdnow/CDNOW_sample.txt');
const SCREENSHOT = fileURLToPath(new URL('../../.tmp/e2e-models.png', import.meta.url));

const en = new Intl.NumberFormat('en-US');
const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

test('Models and RFM pages: Fit now on CDNOW shows the published estimates, the holdout chart and the RFM grid', {
  timeout: 120_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'models');
  const { running, dataDir } = dashboard;
  const ws = running.firstWorkspace!;
  const imported = await importFile(running.db, ws.id, {
    kind: 'orders',
    preset: 'cdnow',
    file: SAMPLE,
    rejectsFile: join(dataDir, 'rejects.csv'),
  });
  assert.deepEqual([imported.accepted, imported.rejected], [6919, 0]);

  const {
    page,
    errors: pageErrors,
    signIn,
  } = await dashboard.openPage({ viewport: { width: 1400, height: 1000 }, timeoutMs: 15_000 });
  await signIn(ws.adminKey);

  await t.test(
    'Models: no model yet; Fit now with calibration end 1997-09-30 shows r, α, a, b and the log-likelihood',
    async () => {
      await page.getByRole('link', { name: 'Models', exact: true }).click();
      await page.getByRole('heading', { name: 'Models', exact: true }).waitFor();
      await page.getByText('No model yet').waitFor();
      await page.locator('input[name=calibrationEnd]').fill('1997-09-30');
      await page.getByRole('button', { name: 'Fit now' }).click();
      await page.getByTestId('fit-result').waitFor();
      assert.match(
        await text(page, 'fit-result'),
        /BG\/NBD fitted; Gamma-Gamma fitted\. Scored 2,357 customers as of 1997-09-30/,
      );
      await page.getByTestId('param-r').waitFor();
      const params = await Promise.all(
        ['param-r', 'param-alpha', 'param-a', 'param-b', 'param-p', 'param-q', 'param-gamma'].map((id) =>
          text(page, id),
        ),
      );
      assert.deepEqual(
        params.map((p) => Number(Number(p).toPrecision(3))),
        [0.243, 4.41, 0.793, 2.43, 6.25, 3.74, 15.4],
      );
      assert.equal(await text(page, 'll-bgnbd'), '-9,582.43');
      assert.equal(await page.getByTestId('history-row').count(), 2);
      assert.match(
        await text(page, 'live-calibration'),
        /^The live scores are as of 1997-09-30, the calibration end of a fit on .+ The worker refits every 24 hours as of that same day/,
      );
      assert.match(await text(page, 'fit-result'), /These are the live scores now; scheduled fits keep 1997-09-30\./);
    },
  );

  await t.test(
    "Models: the worker's scheduled fit minutes later keeps 1997-09-30 and the estimates; the history says which fits are live",
    async () => {
      const { runs, errors } = await fitDueWorkspaces(running.db, new Date(Date.now() + 5 * 60_000));
      assert.deepEqual([errors, runs.map((r) => r.run.fit.calibrationEnd)], [[], ['1997-09-30']]);
      await page.reload();
      await page.getByTestId('param-r').waitFor();
      assert.equal(Number(Number(await text(page, 'param-r')).toPrecision(3)), 0.243);
      const rows = await page.getByTestId('history-row').evaluateAll((trs) =>
        trs.map(
          (tr) =>
            `${tr.getAttribute('data-live')} ${[...tr.querySelectorAll('td')]
              .slice(1, 5)
              .map((td) => td.textContent?.trim())
              .join(' ')}`,
        ),
      );
      assert.deepEqual(rows, [
        'yes schedule Gamma-Gamma ok live 1997-09-30',
        'yes schedule BG/NBD ok live 1997-09-30',
        'no you Gamma-Gamma ok 1997-09-30',
        'no you BG/NBD ok 1997-09-30',
      ]);
      assert.equal(
        await page.locator('input[name=calibrationEnd]').inputValue(),
        '1997-09-30',
        'Fit now keeps the live day unless it is changed',
      );
    },
  );

  await t.test(
    'Models: the holdout check holds out the last quarter by default; with the published periods (1997-09-30, 1998-06-30) its chart and table',
    async () => {
      await page.getByTestId('holdout-table').waitFor();
      // CDNOW's purchases run from 1997-01-01 to 1998-06-30: 545 days, of which the first 408 calibrate
      assert.equal(await page.locator('input[name=validationCalibrationEnd]').inputValue(), '1998-02-13');
      assert.equal(await page.locator('input[name=validationHoldoutEnd]').inputValue(), '1998-06-30');
      await page.locator('input[name=validationCalibrationEnd]').fill('1997-09-30');
      await page.getByRole('button', { name: 'Check' }).click();
      await until('the published periods', async () =>
        /holdout 39\.0 weeks/.test(await text(page, 'holdout-summary')) ? true : undefined,
      );
      const rows = page.getByTestId('holdout-row');
      assert.equal(await rows.count(), 8);
      const first = (await rows.first().locator('td').allTextContents()).map((s) => s.trim());
      assert.deepEqual(first, ['0', '1,411', '334', '317.6', '0.237', '0.225']);
      assert.match(
        await text(page, 'holdout-summary'),
        /2,357 customers; holdout 39\.0 weeks: 1,882 purchases happened/,
      );
      await page.getByTestId('holdout-chart').locator('canvas').waitFor();
    },
  );

  await t.test('RFM: the 5×5 grid accounts for all 2,357 customers, and the segments too', async () => {
    await page.getByRole('link', { name: 'RFM', exact: true }).click();
    await page.getByTestId('rfm-grid').waitFor();
    const cells = page.locator('[data-testid^=rfm-cell-]');
    assert.equal(await cells.count(), 25);
    const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-customers'))));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      2357,
    );
    assert.match(await text(page, 'rfm-cell-5-1'), /New/);
    const segs = page.getByTestId('rfm-segment-row');
    assert.equal(await segs.count(), 11);
    const perSegment = await segs.evaluateAll((els) =>
      els.map((e) => Number(e.children[1]!.textContent!.replace(/,/g, ''))),
    );
    assert.equal(
      perSegment.reduce((a, b) => a + b, 0),
      2357,
    );
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.replace('models.png', 'rfm.png'), fullPage: true });
  });

  await t.test('RFM: a cell opens its customers, and makes a segment of them with as many members', async () => {
    // the smallest cell that has customers, so that its whole list fits one page
    const cells = await page
      .locator('[data-testid^=rfm-cell-]')
      .evaluateAll((els) =>
        els.map((e) => ({ id: e.getAttribute('data-testid')!, customers: Number(e.getAttribute('data-customers')) })),
      );
    const target = cells.filter((c) => c.customers > 0).sort((a, b) => a.customers - b.customers)[0]!;
    const [, r, f] = /^rfm-cell-(\d)-(\d)$/.exec(target.id)!;
    await page.getByTestId(target.id).click();
    assert.match(
      await text(page, 'rfm-picked'),
      new RegExp(`^R ${r}, F ${f}( \\(.+\\))?: ${en.format(target.customers)} customers`),
    );
    await page.getByTestId('rfm-open-customers').click();
    await page.getByTestId('rfm-filter').waitFor();
    assert.equal(new URL(page.url()).hash, `#/customers?rfm=${r}-${f}`);
    await until("the cell's customers", async () =>
      (await page.getByTestId('customer-row').count()) === Math.min(target.customers, 50) ? true : undefined,
    );
    await page.goBack();
    await page.getByTestId(target.id).click();
    await page.getByTestId('rfm-make-segment').click();
    await page.getByTestId('segment-title').waitFor();
    assert.match(await text(page, 'segment-title'), new RegExp(`^RFM R${r} F${f}`));
    await until('the member count', async () =>
      (await text(page, 'segment-member-count')) === en.format(target.customers) ? true : undefined,
    );
  });

  await t.test('a customer profile shows the RFM segment, P(alive), churn risk, CLV and stage', async () => {
    const [c] = await running.db.query<{
      id: string;
      rfm_segment: string;
      p_alive: number;
      churn_risk: string;
      lifecycle_stage: string;
    }>(
      "SELECT id::text, rfm_segment, p_alive, churn_risk, lifecycle_stage FROM customers WHERE workspace_id = $1 AND user_id = '1'",
      [ws.id],
    );
    await page.goto(`${running.url}/#/customers/${c!.id}`);
    await page.getByTestId('scores').waitFor();
    assert.equal(await text(page, 'score-rfmSegment'), c!.rfm_segment);
    assert.equal(await text(page, 'score-pAlive'), `${(c!.p_alive * 100).toFixed(1)}%`);
    assert.equal(await text(page, 'score-churnRisk'), c!.churn_risk);
    assert.match(await text(page, 'score-clv'), /^\d+\.\d\d$/);
    assert.ok((await text(page, 'score-lifecycleStage')).length > 2);
  });

  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await page.goto(`${running.url}/#/models`);
  await page.getByTestId('holdout-chart').locator('canvas').waitFor();
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.deepEqual(pageErrors, [], 'no errors in the browser console');
});
