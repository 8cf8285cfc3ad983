// A journey's and a template's problems in Polish and in Russian, next to the field they are about: a send step whose
// template id is emptied, and an SMS text with a misspelt Liquid variable. The server answers with stable codes beside
// its English words; the dashboard says each in the chosen language, and no English sentence of the server is shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { CATALOGUES, formatWith, makeIntl, type Language } from '../../web/src/i18n/core.ts';
import { startDashboard, until } from '../helpers/browser.ts';

const words = (lang: Language, key: string, values?: Record<string, string>) =>
  formatWith(makeIntl(lang), key as never, values);

test('journey and template problems in Polish and Russian, next to their fields', { timeout: 180_000 }, async (t) => {
  const dashboard = await startDashboard(t, 'problem-words');
  const { running } = dashboard;
  const ws = running.firstWorkspace!;
  await createTemplate(running.db, ws.id, {
    id: 'hello',
    name: 'Hello',
    defaultLocale: 'en',
    content: { en: { sms: { text: 'Hi {{ customer.first_name }}' } } },
  });
  const res = await fetch(`${running.url}/api/v1/journeys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ws.adminKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'Welcome',
      definition: {
        trigger: { type: 'event', event: 'Signed Up' },
        start: 'hi',
        steps: [{ id: 'hi', type: 'send', template: 'hello', channel: { fixed: 'sms' } }],
      },
    }),
  });
  assert.ok(res.ok, await res.clone().text());
  const journey = (await res.json()) as { id: string };

  const { page, errors, signIn } = await dashboard.openPage({ timeoutMs: 20_000, ignoreConsole: /status of 4\d\d/ });
  await signIn(ws.adminKey);

  for (const lang of ['pl', 'ru'] as const) {
    await t.test(`${lang}: the journey's empty template id, under the Template field`, async () => {
      await page.evaluate(`localStorage.setItem('retain.language', '${lang}')`);
      await page.goto(`${running.url}/#/journeys/${journey.id}`);
      await page.reload();
      await page.getByTestId('step-node-hi').click();
      const field = page.getByLabel(CATALOGUES[lang]['title.template']!, { exact: true });
      await field.fill('');
      const expected = words(lang, 'journeyProblem.bad_id');
      const note = page.locator('.field.jf', { has: field }).locator('small.jf-problem');
      await until('the problem under the field', async () =>
        (await note.textContent()) === expected ? true : undefined,
      );
      const listed = await page.getByTestId('journey-errors').getByRole('listitem').allTextContents();
      assert.ok(
        listed.some((l) => l.endsWith(expected)),
        listed.join('; '),
      );
      assert.ok(!listed.some((l) => /letters, digits/.test(l)), "not the server's English");
    });

    await t.test(`${lang}: the template's misspelt variable, at the SMS text's path`, async () => {
      await page.goto(`${running.url}/#/messages/templates/hello`);
      const text = page.getByLabel(CATALOGUES[lang]['sms.text']!, { exact: true });
      await text.fill('Hi {{ customer.frist_name }}');
      await page.getByRole('button', { name: CATALOGUES[lang]['common.save']!, exact: true }).click();
      const expected = words(lang, 'templateProblem.no_such_field', {
        variable: 'customer.frist_name',
        parent: 'customer',
        field: 'frist_name',
      });
      const where = words(lang, 'templateProblem.where', { line: '1', column: '7' });
      let seen: string[] = [];
      await until('the problem listed in the language', async () => {
        seen = await page.getByTestId('template-problems').getByRole('listitem').allTextContents();
        return seen.some((l) => l.startsWith('$.en.sms.text') && l.includes(where) && l.endsWith(expected))
          ? true
          : undefined;
      }).catch((err: Error) => assert.fail(`${err.message}: ${seen.join('; ')} (expected ${where} … ${expected})`));
      const listed = await page.getByTestId('template-problems').getByRole('listitem').allTextContents();
      assert.ok(!listed.some((l) => /Unknown variable/.test(l)), listed.join('; '));
    });
  }
  assert.deepEqual(errors, []);
});
