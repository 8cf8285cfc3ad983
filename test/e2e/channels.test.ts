// Browser test of the Channels pages, from an empty workspace as a marketer works: the E-mail form against a real local
// SMTP server (a bad port refused next to its field, check connection, send a test that arrives, save, the password
// never shown back, a wrong one told in words), and Web Push keys made by the server with the snippet to paste.
// Screenshots of each page at 1440×900 and 390×844 go to .tmp/screenshots (git-ignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startDashboard } from '../helpers/browser.ts';
import { mailServer } from '../channels/mail-server.ts';

const SHOTS = fileURLToPath(new URL('../../.tmp/screenshots/', import.meta.url));

async function screenshots(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  for (const [label, size] of [
    ['desktop', { width: 1440, height: 900 }],
    ['mobile', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SHOTS}${name}-${label}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

const field = (page: Page, path: string) => page.locator(`[name="field-${path}"]`);
const problemOf = (page: Page, path: string) =>
  page.locator(`.ch-field:has([name="field-${path}"]) [data-testid=field-problem]`);
/** The answer of an action once it says `expected` (an earlier answer may still be on screen right after the click). */
async function answer(page: Page, what: string, expected: string | RegExp): Promise<string> {
  const shown = page.getByTestId(`answer-${what}`).filter({ hasText: expected });
  await shown.waitFor();
  return ((await shown.textContent()) ?? '').trim();
}

test('channels: set up SMTP in the form against a local server, check it, send a test; Web Push keys and snippet', {
  timeout: 90_000,
}, async (t) => {
  const mail = await mailServer();
  t.after(() => mail.close());
  const dashboard = await startDashboard(t, 'channels');
  const ws = dashboard.running.firstWorkspace!;
  const { page, errors, signIn } = await dashboard.openPage({
    viewport: { width: 1440, height: 900 },
    ignoreConsole: /status of 400/,
  }); // the bad port's refusals
  await signIn(ws.adminKey);

  await t.test('the Channels page lists every channel, none set up', async () => {
    await page.getByRole('link', { name: 'Channels', exact: true }).click();
    await page.getByRole('heading', { name: 'Channels', exact: true }).waitFor();
    await page.getByTestId('channel-email').waitFor();
    for (const channel of ['email', 'sms', 'webpush', 'push', 'telegram', 'webhook']) {
      assert.match((await page.getByTestId(`channel-${channel}`).textContent()) ?? '', /Not set up/, channel);
    }
    await screenshots(page, 'channels-list-empty');
  });

  await t.test('E-mail: a bad port is refused next to the Port field', async () => {
    await page.getByTestId('channel-email').click();
    await page.getByRole('heading', { level: 1, name: 'E-mail' }).waitFor();
    await field(page, 'host').fill('127.0.0.1');
    await field(page, 'port').fill('99999');
    await page.getByRole('button', { name: 'Save' }).click();
    await problemOf(page, 'port').waitFor();
    assert.equal(
      ((await problemOf(page, 'port').textContent()) ?? '').trim(),
      'Port must be at most 65535: the SMTP port: 587 (STARTTLS), 465 (TLS) or 25',
    );
    assert.equal(await page.locator('[data-testid=field-problem]').count(), 1, 'only the port is marked');
    assert.equal(
      await answer(page, 'save', 'Some settings'),
      'Some settings need a fix: see the fields marked in red.',
    );
    await screenshots(page, 'channel-email-field-error');
  });

  await t.test('E-mail: check connection and send a test reach the local SMTP server', async () => {
    await field(page, 'port').fill(String(mail.port));
    await field(page, 'auth.user').fill('shop');
    await field(page, 'auth.pass').fill('pw-123');
    await field(page, 'from').fill('Shop <hello@shop.test>');
    await page.getByRole('button', { name: 'Check connection' }).click();
    assert.equal(
      await answer(page, 'check', 'Connected'),
      `Connected to 127.0.0.1:${mail.port} and logged in as shop.`,
    );
    assert.equal(await problemOf(page, 'port').count(), 0, 'the port problem is gone');

    await page.locator('[name="field-to"]').fill('owner@shop.test');
    await page.getByRole('button', { name: 'Send a test' }).click();
    await answer(page, 'test', /^Sent: 127\.0\.0\.1 accepted the test for owner@shop\.test/); // waits until it says so, or fails
    assert.equal(mail.received.length, 1);
    assert.deepEqual(mail.received[0]!.to, ['owner@shop.test']);
    assert.equal(mail.received[0]!.from, 'hello@shop.test');
    assert.match(mail.received[0]!.raw, /Subject: Test from Retain/);
    await screenshots(page, 'channel-email-test-sent');
  });

  await t.test('E-mail: saved, the password is never shown back and kept; a wrong one is told in words', async () => {
    await page.getByText('Advanced settings').click();
    await field(page, 'perSecond').fill('fast');
    await page.getByRole('button', { name: 'Save' }).click();
    await problemOf(page, 'perSecond').waitFor();
    assert.match((await problemOf(page, 'perSecond').textContent()) ?? '', /^Most messages per second/);
    await field(page, 'perSecond').fill('20');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.equal(await answer(page, 'save', 'Saved'), 'Saved: E-mail now sends through SMTP server.');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'E-mail' }).waitFor();
    await field(page, 'host').and(page.locator('[value="127.0.0.1"]')).waitFor();
    assert.equal(await field(page, 'auth.pass').inputValue(), '');
    assert.equal(await field(page, 'auth.pass').getAttribute('placeholder'), 'set — leave empty to keep');
    assert.ok(!(await page.content()).includes('pw-123'), 'the password is nowhere in the page');
    assert.equal(await field(page, 'perSecond').inputValue(), '20');

    await page.getByRole('button', { name: 'Check connection' }).click();
    assert.equal(
      await answer(page, 'check', 'Connected'),
      `Connected to 127.0.0.1:${mail.port} and logged in as shop.`,
      'the saved password is used',
    );

    await field(page, 'auth.pass').fill('wrong-one');
    await page.getByRole('button', { name: 'Check connection' }).click();
    await answer(page, 'check', /^The server refused the user name or password: check them/); // waits until it says so, or fails
    await screenshots(page, 'channel-email-saved');

    await page.getByRole('link', { name: 'Channels', exact: true }).first().click();
    await page.getByTestId('channel-email').waitFor();
    assert.match((await page.getByTestId('channel-email').textContent()) ?? '', /SMTP server/);
    await screenshots(page, 'channels-list');
  });

  await t.test(
    'Web Push: the server makes the VAPID keys, the page shows the snippet with the public key',
    async () => {
      await page.getByTestId('channel-webpush').click();
      await page.getByRole('heading', { level: 1, name: 'Web Push' }).waitFor();
      await field(page, 'subject').fill('mailto:owner@shop.test');
      await page.getByRole('button', { name: 'Generate VAPID keys' }).click();
      await page.getByTestId('webpush-snippet').waitFor();
      const publicKey = await field(page, 'publicKey').inputValue();
      assert.match(publicKey, /^[A-Za-z0-9_-]{80,90}$/);
      assert.match(
        (await page.getByTestId('webpush-tag').textContent()) ?? '',
        new RegExp(`data-vapid="${publicKey}"`),
      );
      assert.equal(await field(page, 'privateKey').inputValue(), '', 'the private key stays on the server');
      await page.getByRole('button', { name: 'Check connection' }).click();
      await answer(page, 'check', /^The VAPID keys are a valid pair/); // waits until it says so, or fails
      await screenshots(page, 'channel-webpush');
    },
  );

  await t.test(
    'in Polish and Russian: the form, its problems and the answers in the chosen language, what the server said apart',
    async () => {
      const cases = [
        {
          lang: 'pl',
          host: 'Serwer SMTP',
          port: 'Port: może wynosić najwyżej 65535',
          refused: 'Serwer odrzucił nazwę użytkownika lub hasło',
          said: /^Otrzymana odpowiedź: „535/,
          connected: `Połączono z 127.0.0.1:${mail.port} i zalogowano jako shop.`,
        },
        {
          lang: 'ru',
          host: 'SMTP-сервер',
          port: 'Порт: должно быть не больше 65535',
          refused: 'Сервер отклонил имя пользователя или пароль',
          said: /^Получен ответ: «535/,
          connected: `Подключено к 127.0.0.1:${mail.port}, вход выполнен как shop.`,
        },
      ] as const;
      for (const c of cases) {
        await page.locator('select[name=language]').selectOption(c.lang);
        await page.goto(`${dashboard.running.url}/#/channels/email`);
        await page.getByText(c.host, { exact: true }).first().waitFor();
        await field(page, 'port').fill('99999');
        await page.locator('.ch-buttons button[type=submit]').click();
        await problemOf(page, 'port').waitFor();
        assert.equal(((await problemOf(page, 'port').textContent()) ?? '').trim(), c.port, c.lang);
        await field(page, 'port').fill(String(mail.port));
        await field(page, 'auth.pass').fill('wrong-one');
        await page.locator('.ch-buttons button').nth(1).click();
        assert.match(await answer(page, 'check', c.refused), new RegExp(`^${c.refused}`), c.lang);
        assert.match(
          ((await page.getByTestId('answer-check-said').textContent()) ?? '').trim(),
          c.said,
          `${c.lang}: the server's reply as received, labelled`,
        );
        await field(page, 'auth.pass').fill('');
        await page.locator('.ch-buttons button').nth(1).click();
        assert.equal(await answer(page, 'check', c.connected), c.connected, c.lang);
        await screenshots(page, `channel-email-${c.lang}`);
      }
      await page.locator('select[name=language]').selectOption('en');
    },
  );

  assert.deepEqual(errors, [], 'no errors in the browser console');
});
