// The workspace's default language set in the dashboard (Messages page): the marketer picks Polish and saves; the API
// then answers pl, the form shows it after a reload, and a customer with no locale of their own gets the unsubscribe
// page in Polish. Back to English, the same page is in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingest } from '../../src/ingest/ingest.ts';
import { consentLinks } from '../../src/consent/store.ts';
import { startDashboard, until } from '../helpers/browser.ts';

test('the workspace default language: chosen in the dashboard, followed by the pages of customers without a locale', {
  timeout: 90_000,
}, async (t) => {
  const dashboard = await startDashboard(t, 'ws-language');
  const { running } = dashboard;
  const ws = running.firstWorkspace!;
  const r = await ingest(
    running.db,
    ws.id,
    [{ type: 'identify', userId: 'nolocale', traits: { email: 'nolocale@example.com' } }],
    { receivedAt: new Date() },
  );
  assert.deepEqual(r.rejected, []);
  const [row] = await running.db.query<{ id: string }>(
    'SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = $2',
    [ws.id, 'nolocale'],
  );
  const links = await consentLinks(running.db, ws.id, { customerId: row!.id, channel: 'email' }, running.url);
  const apiLocale = async () => {
    const res = await fetch(`${running.url}/api/v1/workspace`, { headers: { Authorization: `Bearer ${ws.adminKey}` } });
    return ((await res.json()) as { defaultLocale: string }).defaultLocale;
  };

  const { page, errors, signIn } = await dashboard.openPage();
  await signIn(ws.adminKey);
  const form = page.getByTestId('workspace-language');
  const save = async (language: string, name: string) => {
    await page.goto(`${running.url}/#/messages`);
    await form.getByLabel('Default language').selectOption(language);
    await form.getByRole('button', { name: 'Save language' }).click();
    await until('saved', async () =>
      (await page.getByTestId('workspace-language-result').textContent())?.includes(name) ? true : undefined,
    );
  };

  const cases = [
    { language: 'pl', name: 'Polski', unsubscribe: 'Wypisz mnie' },
    { language: 'en', name: 'English', unsubscribe: 'Unsubscribe' },
  ];
  for (const c of cases) {
    await t.test(
      `${c.language}: saved in the form, answered by the API, kept after a reload, read by the customer`,
      async () => {
        await save(c.language, c.name);
        assert.equal(await apiLocale(), c.language);
        await page.reload();
        await until('the form loaded again', async () =>
          (await form.getByLabel('Default language').count()) ? true : undefined,
        );
        assert.equal(await form.getByLabel('Default language').inputValue(), c.language);
        const customer = await page.context().newPage();
        await customer.goto(links.unsubscribe);
        assert.equal(await customer.getAttribute('html', 'lang'), c.language);
        await customer.getByRole('button', { name: c.unsubscribe }).waitFor();
        await customer.close();
      },
    );
  }
  assert.deepEqual(errors, []);
});
