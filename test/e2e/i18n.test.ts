// The dashboard in Polish and in Russian: a workspace filled with the demo shop (customers, orders, scores, a journey and
// its templates from the gallery, a segment), then the language switcher set to Polish and every page walked, then
// Russian and the same walk. On each page no visible text may be an English message of the catalogue (whole, or with
// its placeholders filled), the page's title neither; a screenshot of each page goes to .tmp/i18n-screens/<lang>/.
// Words that are the same in the target language (RFM, CLV, e-mail…) are not English left over and are not counted;
// what the server sends as words (marked data-server-words: the workspace's name, what a provider said, metrics
// row names) is data here, as are the customers, journeys and templates the demo and the gallery made. Provider forms,
// gallery recipes and e-mail layouts are said in the dashboard's language by their ids, so they are checked too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CATALOGUES, type Language } from '../../web/src/i18n/core.ts';
import { startDashboard, until } from '../helpers/browser.ts';

const SCREENS = fileURLToPath(new URL('../../.tmp/i18n-screens/', import.meta.url));

/** A pattern for an English message with its arguments filled; null when it has too few words of its own to tell. */
function patternOf(elements: MessageFormatElement[]): RegExp | null {
  let source = '';
  let letters = 0;
  for (const el of elements) {
    if (el.type === TYPE.literal) {
      source += el.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      letters += (el.value.match(/[A-Za-z]/g) ?? []).length;
    } else if (el.type === TYPE.plural || el.type === TYPE.select || el.type === TYPE.tag) {
      return null; // the plain-text check below covers each branch that has no argument
    } else source += '.+?';
  }
  return letters >= 6 ? new RegExp(`^${source}$`) : null;
}

/** The English messages a page in `lang` must not show: those the language words differently. */
function englishLeftovers(lang: Language) {
  const exact = new Set<string>();
  const patterns: { key: string; re: RegExp }[] = [];
  for (const [key, en] of Object.entries(CATALOGUES.en)) {
    if (CATALOGUES[lang][key] === en) continue; // the same word in both languages
    const elements = parse(en);
    if (elements.every((e) => e.type === TYPE.literal)) exact.add(en.trim());
    else {
      const re = patternOf(elements);
      if (re) patterns.push({ key, re });
    }
  }
  // A word that some message has in both languages (a brand, an abbreviation) is never a leftover.
  for (const key of Object.keys(CATALOGUES.en))
    if (CATALOGUES[lang][key] === CATALOGUES.en[key]) exact.delete(CATALOGUES.en[key]!.trim());
  return { exact, patterns };
}

/**
 * Every visible text of the page: text nodes, the whole text of elements with children (a sentence split by links),
 * placeholders, the chosen option of each select, and the title. Plain script text: the test runner's transform must
 * not touch code that runs in the page.
 */
const VISIBLE_TEXTS = `(() => {
  const out = [document.title.replace(/ · Retain$/, '')];
  // data-server-words: the workspace's name, what a provider said (as received), metrics row names
  const visible = (el) => !!el && !el.closest('[data-server-words]') && el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!parent || ['SCRIPT', 'STYLE', 'TEXTAREA', 'OPTION'].includes(parent.tagName) || !visible(parent)) continue;
    const text = (n.textContent || '').trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll('p, h1, h2, h3, th, td, label, button, a, li, legend, summary, span, dt, small')) {
    if (visible(el) && el.children.length > 0) out.push(el.innerText.trim().replace(/\\s+/g, ' '));
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) if (visible(el)) out.push(el.placeholder.trim());
  for (const el of document.querySelectorAll('select')) if (visible(el) && el.selectedOptions[0]) out.push((el.selectedOptions[0].textContent || '').trim());
  return out.filter(Boolean);
})()`;

async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(VISIBLE_TEXTS) as Promise<string[]>;
}

test('the dashboard in Polish and in Russian: every page, no English message left on screen', {
  timeout: 600_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'i18n');
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
    return (text ? JSON.parse(text) : null) as T;
  };

  // The demo shop, scores, a journey with its templates from the gallery, a segment.
  await api('POST', '/demo');
  await api('POST', '/models/fit');
  const { recipes } = await api<{ recipes: { id: string }[] }>('GET', '/journeys/gallery');
  const { journey } = await api<{ journey: string }>('POST', `/journeys/gallery/${encodeURIComponent(recipes[0]!.id)}`);
  const segment = await api<{ id: string }>('POST', '/segments', {
    name: 'Repeat buyers',
    definition: { aggregate: 'orders_count', op: 'gte', value: 2 },
  });
  await api('POST', `/segments/${segment.id}/evaluate`);
  const { customers } = await api<{ customers: { id: string }[] }>('GET', '/customers?limit=1&sort=orders');
  const { templates } = await api<{ templates: { id: string; name: string }[] }>('GET', '/templates');
  const { journeys } = await api<{ journeys: { name: string }[] }>('GET', '/journeys');
  // What the gallery made is the workspace's data, named as it was made (in English): not a message left untranslated.
  const planted = new Set([...templates.map((x) => x.name), ...journeys.map((x) => x.name)]);
  assert.ok(customers[0] && templates[0], 'the demo shop has customers and the recipe made templates');

  const routes: Record<string, string> = {
    overview: '#/overview',
    customers: '#/customers',
    customer: `#/customers/${customers[0]!.id}`,
    'customers-rfm': '#/customers?rfm=5-5',
    segments: '#/segments',
    segment: `#/segments/${segment.id}`,
    journeys: '#/journeys',
    journey: `#/journeys/${journey}`,
    'journey-new': '#/journeys/new',
    messages: '#/messages',
    template: `#/messages/templates/${templates[0]!.id}`,
    'template-new': '#/messages/templates/new',
    analytics: '#/analytics',
    results: '#/results',
    loyalty: '#/loyalty',
    rfm: '#/rfm',
    models: '#/models',
    channels: '#/channels',
    'channel-email': '#/channels/email',
    'channel-sms': '#/channels/sms',
  };

  // A new journey's draft and the holdout check on a young shop are refused (400, 422), and so is a lift report while
  // the control group has nobody (409): expected answers, shown in words.
  const { page, errors, signIn } = await dashboard.openPage({
    timeoutMs: 30_000,
    ignoreConsole: /status of (400|409|422)/,
  });
  await signIn(ws.adminKey);
  rmSync(SCREENS, { recursive: true, force: true });

  for (const lang of ['pl', 'ru'] as const) {
    await t.test(`${lang}: every page`, async () => {
      await page.goto(`${running.url}/#/overview`);
      await page.locator('select[name=language]').selectOption(lang);
      await until('the language switched', async () =>
        (await page.evaluate('document.documentElement.lang')) === lang ? true : undefined,
      );
      assert.equal(await page.evaluate("localStorage.getItem('retain.language')"), lang, 'the choice is remembered');
      const { exact, patterns } = englishLeftovers(lang);
      const loading = CATALOGUES[lang]['common.loading']!;
      mkdirSync(`${SCREENS}${lang}`, { recursive: true });
      const found: string[] = [];
      for (const [name, hash] of Object.entries(routes)) {
        await page.goto(`${running.url}/${hash}`);
        await page.locator('main h1').first().waitFor();
        await until(
          `${name} loaded`,
          async () => ((await page.getByText(loading, { exact: true }).count()) === 0 ? true : undefined),
          30_000,
        );
        await page.waitForTimeout(400); // charts and late answers (stats, previews) settle
        await page.screenshot({ path: `${SCREENS}${lang}/${name}.png`, fullPage: true });
        for (const text of new Set(await visibleTexts(page))) {
          if (planted.has(text)) continue;
          const hit = exact.has(text) ? text : patterns.find((p) => p.re.test(text))?.key;
          if (hit) found.push(`${name}: “${text}”${hit === text ? '' : ` (${hit})`}`);
        }
      }
      t.diagnostic(`${lang}: ${Object.keys(routes).length} pages, screenshots in ${SCREENS}${lang}`);
      assert.deepEqual(found, [], `English left on screen in ${lang}`);
    });
  }

  await t.test('back to English: the words are English again after a reload', async () => {
    await page.locator('select[name=language]').selectOption('en');
    await page.goto(`${running.url}/#/overview`);
    await page.reload();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.lang'), 'en');
  });
  assert.deepEqual(errors, []);
});
