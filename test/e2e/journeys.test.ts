// Browser test of Journeys: build the abandoned-cart journey in the editor (event trigger with a cart key, goal, catching
// up on carts left during a pause, a one-hour delay, an e-mail reminder), save it; activation is refused while the
// reminder's template is missing and e-mail has no provider (the problems shown on the send step and listed); with both
// there, activate it, send a Product Added event through the API, advance time with the journey tick, and see the live
// step counts and ann's run reaching the reminder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { putJourneySettings, tickJourneys } from '../../src/journeys/index.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { saveChannel } from '../../src/channels/store.ts';
import { startDashboard, until } from '../helpers/browser.ts';

const SCREENSHOT = fileURLToPath(new URL('../../.tmp/e2e-journeys.png', import.meta.url));
const EDITOR_SCREENSHOT = fileURLToPath(new URL('../../.tmp/e2e-journeys-editor.png', import.meta.url));

const textOf = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();
/** Waits (past the editor's 3 s refresh) until the element reads `expected`. */
const waitForText = (page: Page, testId: string, expected: string) =>
  until(
    `${testId} to read "${expected}"`,
    async () => {
      const seen = await textOf(page, testId);
      if (seen === expected) return true;
      throw new Error(`it reads "${seen}"`);
    },
    15_000,
  );

test('journeys: build the abandoned-cart journey, activate it, and follow a run to the reminder', {
  timeout: 90_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'journeys');
  const { running } = dashboard;
  const ws = running.firstWorkspace;
  assert.ok(ws, 'a fresh data dir gets a first workspace');
  // No global control group here: workspace ids are random, so whether ann would be held out (5%) would be too.
  await putJourneySettings(running.db, ws.id, { share: 0 });
  // The live check answers 400 for a draft that is not valid yet, and activation 409 while the journey cannot go live,
  // which Chromium logs as failed resources.
  const { page, errors: pageErrors, signIn } = await dashboard.openPage({ ignoreConsole: /status of 40[09]/ });

  await t.test('sign in and open Journeys: none yet', async () => {
    await signIn(ws.adminKey);
    await page.getByRole('link', { name: 'Journeys', exact: true }).click();
    await page.getByRole('heading', { name: 'Journeys', exact: true }).waitFor();
    await page.getByTestId('journeys-empty').waitFor();
    await page.getByRole('link', { name: 'New journey' }).click();
    await page.getByRole('heading', { name: 'New journey' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/journeys/new');
    // The blank draft opens clean: nothing is checked until the marketer acts.
    await page.getByText('Choose a trigger and add steps: the journey is checked as you go.').waitFor();
    assert.equal(await page.getByTestId('journey-errors').count(), 0);
  });

  await t.test(
    'build it: trigger, goal, a delay of 1 hour and an e-mail reminder; the live check says what the workspace lacks',
    async () => {
      await page.getByLabel('Journey name').fill('Abandoned cart');
      await page.getByLabel('Goal event').fill('Order Completed');
      await page.getByLabel('Goal with the same key').check();
      await page.getByLabel('While paused').selectOption('catch_up');

      await page.getByTestId('trigger-node').click();
      assert.equal(await page.getByLabel('Trigger type').inputValue(), 'event');
      await page.getByLabel('Trigger event').fill('Product Added');
      await page.getByLabel('Trigger key').fill('cartId');

      await page.getByRole('button', { name: 'Add delay' }).click();
      await page.getByLabel('Delay duration', { exact: true }).fill('1');
      assert.equal(await page.getByLabel('Delay duration unit').inputValue(), 'hours');

      await page.getByRole('button', { name: 'Add send' }).click();
      await page.getByLabel('Step id').fill('remind');
      await page.getByLabel('Step id').press('Enter');
      await page.getByTestId('step-node-remind').waitFor();
      await page.getByLabel('Template', { exact: true }).fill('cart-reminder');
      await page.getByLabel('Channel', { exact: true }).fill('email');

      // Link the delay to the reminder with its "Next step" select (no dragging needed).
      await page.getByTestId('step-node-delay').click();
      await page.getByLabel('Next step').selectOption('remind');
      assert.equal(await page.getByLabel('Next step').inputValue(), 'remind');
      // Valid, but the workspace has neither the template nor an e-mail provider: both are marked on the send step.
      await page.getByTestId('journey-warnings').waitFor();
      const warnings = await page.getByTestId('journey-warnings').getByRole('listitem').allTextContents();
      assert.deepEqual(
        warnings.map((w) => w.split(' ')[0]),
        ['$.steps[1].template', '$.steps[1].channel.fixed'],
        warnings.join('; '),
      );
      assert.equal(
        ((await page.getByTestId('step-node-remind').locator('.jnode-problem').textContent()) ?? '').trim(),
        '2 problems',
      );

      // The whole definition, as the JSON tab shows it.
      await page.getByRole('tab', { name: 'Advanced (JSON)' }).click();
      const json = JSON.parse(await page.getByLabel('Journey definition JSON').inputValue());
      assert.deepEqual(json.trigger, { type: 'event', event: 'Product Added', key: 'cartId' });
      assert.deepEqual(json.goal, { event: 'Order Completed', sameKey: true });
      assert.deepEqual(
        json.entry,
        { mode: 'every', whilePaused: 'catch_up' },
        'carts left during a pause get their reminder at the resume',
      );
      assert.equal(json.start, 'delay');
      assert.deepEqual(
        json.steps.map(({ ui, ...s }: { ui: { x: number; y: number } }) => (assert.equal(typeof ui.x, 'number'), s)),
        [
          { id: 'delay', type: 'delay', duration: 'PT1H', next: 'remind' },
          { id: 'remind', type: 'send', template: 'cart-reminder', channel: { fixed: 'email' } },
        ],
      );
      await page.getByRole('tab', { name: 'Canvas' }).click();
      await page.getByTestId('step-node-remind').waitFor();
      mkdirSync(dirname(EDITOR_SCREENSHOT), { recursive: true });
      await page.screenshot({ path: EDITOR_SCREENSHOT, fullPage: true });
    },
  );

  await t.test(
    'save as a draft; activating is refused: the template does not exist and e-mail has no provider',
    async () => {
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByTestId('journey-notice').waitFor();
      assert.match(await textOf(page, 'journey-notice'), /^Saved “Abandoned cart” as a draft/);
      assert.equal(new URL(page.url()).hash, '#/journeys/abandoned-cart');
      assert.equal(await textOf(page, 'journey-status'), 'draft');
      await waitForText(page, 'step-stats-remind', '0 waiting · 0 passed');

      await page.getByRole('button', { name: 'Activate' }).click();
      await page.getByTestId('journey-refusal').waitFor();
      assert.match(
        (await page.getByRole('alert').textContent()) ?? '',
        /^Not activated: the journey cannot go live until these problems are fixed/,
      );
      const problems = await page.getByTestId('journey-refusal').getByRole('listitem').allTextContents();
      assert.equal(problems.length, 2, problems.join('; '));
      assert.match(
        problems[0]!,
        /^\$\.steps\[1\]\.template There is no template "cart-reminder": create it in Messages → Templates/,
      );
      assert.match(
        problems[1]!,
        /^\$\.steps\[1\]\.channel\.fixed No e-mail provider is configured: configure one with PUT \/api\/v1\/channels\/email/,
      );
      assert.equal(await textOf(page, 'journey-status'), 'draft');
      // The send step's own form shows each in words next to its field.
      await page.getByTestId('step-node-remind').click();
      const form = page.getByRole('form', { name: 'Step remind' });
      const stepProblems = await form.locator('.jf-problem').allTextContents();
      assert.deepEqual(
        stepProblems,
        problems.map((p) => p.replace(/^\S+ /, '')),
      );
      assert.match(
        (await page.getByLabel('Template', { exact: true }).getAttribute('aria-describedby')) ?? '',
        /-note$/,
      );
    },
  );

  await t.test('with the template written and an e-mail provider configured, it activates', async () => {
    await createTemplate(running.db, ws.id, {
      id: 'cart-reminder',
      name: 'Cart reminder',
      defaultLocale: 'en',
      content: {
        en: {
          email: { subject: 'Your cart', html: '<p>{{ customer.first_name | default: "Hi" }}, your cart waits.</p>' },
        },
      },
    });
    await saveChannel(running.db, ws.id, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: 9, secure: false, from: 'Shop <shop@example.com>' },
    });
    await page.getByRole('button', { name: 'Activate' }).click();
    await waitForText(page, 'journey-status', 'active');
    assert.equal(await page.getByRole('button', { name: 'Pause' }).isVisible(), true);
    assert.equal(await page.getByTestId('journey-refusal').count(), 0);
    await page.getByTestId('journey-valid').waitFor(); // checked again: nothing is missing now
  });

  await t.test('a Product Added event enters ann, who waits an hour, then gets the reminder', async () => {
    const res = await fetch(`${running.url}/v1/track`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from(`${ws.writeKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ userId: 'ann', event: 'Product Added', properties: { cartId: 'c1' } }),
    });
    assert.equal(res.status, 200, await res.text());

    await tickJourneys(running.db, new Date());
    await waitForText(page, 'step-stats-delay', '1 waiting · 0 passed');
    await waitForText(page, 'step-stats-remind', '0 waiting · 0 passed');

    await tickJourneys(running.db, new Date(Date.now() + 61 * 60_000));
    await waitForText(page, 'step-stats-delay', '0 waiting · 1 passed');
    await waitForText(page, 'step-stats-remind', '0 waiting · 1 passed');
    await waitForText(page, 'journey-totals', '1 entered · 0 in progress · 1 completed · 0 exited');
  });

  await t.test("ann's run: the history reaches the reminder", async () => {
    await page.getByLabel('Customer (user id or customer id)').fill('ann');
    await page.getByRole('button', { name: 'Show runs' }).click();
    const run = page.getByTestId('journey-run');
    await run.waitFor();
    assert.equal(await run.count(), 1);
    assert.equal(((await run.getByTestId('run-status').textContent()) ?? '').trim(), 'completed');
    const rows = await run
      .getByTestId('run-history-row')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent?.trim())),
      );
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['delay', 'remind'],
      'the delay, then the reminder',
    );
    assert.deepEqual(rows[1]!.slice(1), ['send', 'queued']);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  await t.test('the list shows it active with one run', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Journeys', exact: true }).click();
    const row = page.getByTestId('journey-row').filter({ hasText: 'Abandoned cart' });
    await row.waitFor();
    assert.equal(((await row.getByTestId('journey-row-status').textContent()) ?? '').trim(), 'active');
    assert.equal(((await row.getByTestId('journey-total-runs').textContent()) ?? '').trim(), '1');
    assert.equal(((await row.getByTestId('journey-active-runs').textContent()) ?? '').trim(), '0');
  });

  assert.deepEqual(pageErrors, [], 'no errors in the browser console');
});
