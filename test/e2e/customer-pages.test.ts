// The pages a customer opens from a message, in Chromium as they see them: a Polish customer's unsubscribe page and
// what it says once the button is pressed, and the preference centre, are in Polish; a Russian one's in Russian; no
// English word of ours is on screen. Screenshots go to .tmp/screenshots (git-ignored).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { serve, type Served } from '../http/server.ts';
import { consentLinks } from '../../src/consent/store.ts';
import { CONSENT_TEXTS } from '../../src/consent/texts.ts';

const SHOTS = fileURLToPath(new URL('../../.tmp/screenshots/', import.meta.url));

/** English words of our pages that another language's page must not show. */
const ENGLISH = [
  ...new Set(
    Object.values(CONSENT_TEXTS.en).flatMap(
      (m) =>
        m.match(/\b(?:Unsubscribe|Stop|receiving|marketing|messages|preferences|Save|Topics|Saved|orders)\b/g) ?? [],
    ),
  ),
];

describe("customer pages in Chromium, in the customer's language", () => {
  let s: Served;
  let browser: Browser;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await serve();
    await s.call('PUT', '/api/v1/settings/messaging', { key: s.adminKey, body: { senderName: 'Sklep' } });
    for (const [userId, locale] of [
      ['ola', 'pl-PL'],
      ['ivan', 'ru-RU'],
    ]) {
      const r = await s.call('POST', '/v1/identify', {
        key: s.writeKey,
        body: { userId, traits: { email: `${userId}@example.com` }, context: { locale } },
      });
      assert.equal(r.status, 200);
    }
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  });

  const cases = [
    {
      user: 'ola',
      lang: 'pl',
      question: 'Czy chcesz zrezygnować z otrzymywania wiadomości marketingowych e-mailem od Sklep?',
      button: 'Wypisz mnie',
      done: 'Wypisano z subskrypcji',
      preferences: 'Ustawienia subskrypcji',
    },
    {
      user: 'ivan',
      lang: 'ru',
      question: 'Отписаться от рекламных рассылок по электронной почте от Sklep?',
      button: 'Отписаться',
      done: 'Вы отписались',
      preferences: 'Настройки подписки',
    },
  ];
  for (const c of cases) {
    it(`${c.user} (${c.lang}): unsubscribe, its answer and the preference centre, with no English word of ours`, async () => {
      const [row] = await s.t.db.query<{ id: string }>(
        'SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = $2',
        [s.t.workspaceId, c.user],
      );
      const links = await consentLinks(s.t.db, s.t.workspaceId, { customerId: row!.id, channel: 'email' }, s.url);
      const page = await browser.newPage({ locale: 'en-US' });
      const noEnglish = async (what: string) => {
        const text = await page.locator('body').innerText();
        assert.deepEqual(
          ENGLISH.filter((w) => new RegExp(`\\b${w}\\b`).test(text)),
          [],
          `${what}: ${text}`,
        );
        assert.equal(await page.getAttribute('html', 'lang'), c.lang);
      };
      await page.goto(links.unsubscribe);
      assert.equal(await page.locator('p').first().innerText(), c.question);
      await noEnglish('the question');
      await page.screenshot({ path: `${SHOTS}unsubscribe-${c.lang}.png`, fullPage: true });
      await page.getByRole('button', { name: c.button }).click();
      await page.waitForSelector(`h1:text-is("${c.done}")`);
      await noEnglish('the answer');
      await page.screenshot({ path: `${SHOTS}unsubscribed-${c.lang}.png`, fullPage: true });
      await page.goto(links.preferences);
      assert.equal(await page.locator('h1').innerText(), c.preferences);
      await noEnglish('the preference centre');
      await page.screenshot({ path: `${SHOTS}preferences-${c.lang}.png`, fullPage: true });
      await page.close();
    });
  }
});
