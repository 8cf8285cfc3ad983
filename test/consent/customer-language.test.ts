// What a customer sees from consent is in their language: the double opt-in e-mail (received by a real SMTP server),
// the confirmation page its link opens, the unsubscribe page and what it says after, and the preference centre — in
// Polish for a pl-PL customer, Russian for a ru one; a customer whose locale is none of ours (or who has none) reads the
// workspace's default language (PATCH /api/v1/workspace), English until it is set; a broken link, the browser's.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';
import { smtpServer } from '../helpers/smtp.ts';
import { readMail } from '../helpers/mail-parts.ts';
import { saveChannel, closeProviders } from '../../src/channels/store.ts';
import { dispatchDue } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';
import { consentLinks } from '../../src/consent/store.ts';

const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};
const form = { 'content-type': 'application/x-www-form-urlencoded' };
/** The page's language and its paragraphs as a reader sees them (entities decoded). */
const readPage = (html: string) => ({
  lang: /<html lang="([^"]+)"/.exec(html)?.[1],
  title: /<h1>([^<]*)<\/h1>/.exec(html)?.[1],
  text: [...html.matchAll(/<(?:p|button|legend|label|a)\b[^>]*>(.*?)<\/(?:p|button|legend|label|a)>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c)))
      .trim(),
  ),
});

describe(`consent pages and e-mail in the customer's language (${backend})`, () => {
  let s: Served;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let now = new Date('2026-06-01T10:00:00Z');
  const later = () => (now = new Date(now.getTime() + 15 * 60_000));
  const dispatch = () =>
    dispatchDue(s.t.db, now, { providers: configuredProviders(), renderer: templateRenderer, baseUrl: s.url });
  const identify = (userId: string, locale: string | null) =>
    s.call('POST', '/v1/identify', {
      key: s.writeKey,
      body: {
        userId,
        traits: { email: `${userId}@example.com`, first_name: userId[0]!.toUpperCase() + userId.slice(1) },
        ...(locale ? { context: { locale } } : {}),
      },
    });
  const idOf = async (userId: string) =>
    (
      await s.t.db.query<{ id: string }>('SELECT id::text FROM customers WHERE workspace_id = $1 AND user_id = $2', [
        s.t.workspaceId,
        userId,
      ])
    )[0]!.id;
  const setLanguage = async (defaultLocale: string) =>
    assert.equal(
      (await s.call('PATCH', '/api/v1/workspace', { key: s.adminKey, body: { defaultLocale } })).status,
      200,
    );

  /** Signs the customer up under double opt-in, sends the e-mail; answers the mail as read and the confirmation page. */
  async function confirmationOf(userId: string) {
    later();
    const res = await s.call('POST', '/v1/consent', {
      key: s.writeKey,
      body: { userId, channel: 'email', purpose: 'marketing', granted: true, textVersion: 'news-v1' },
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal((await dispatch()).sent, 1);
    const raw = smtp.mails.filter((m) => m.to === `${userId}@example.com`).at(-1)!.raw;
    const mail = readMail(raw);
    const link = /href="([^"]*\/c\/confirm\?t=[^"]+)"/.exec(mail.html ?? '')![1]!.replace(/&amp;/g, '&');
    const page = await fetch(link);
    assert.equal(page.status, 200);
    return { subject: mail.header('Subject'), text: mail.text ?? '', page: readPage(await page.text()) };
  }

  /** The unsubscribe page, what it says once pressed, and the preference centre, of the customer's e-mail link. */
  async function pagesOf(userId: string) {
    const links = await consentLinks(
      s.t.db,
      s.t.workspaceId,
      { customerId: await idOf(userId), channel: 'email' },
      s.url,
    );
    const question = await s.call('GET', pathOf(links.unsubscribe));
    const done = await s.call('POST', pathOf(links.unsubscribe), { body: 'List-Unsubscribe=One-Click', headers: form });
    const preferences = await s.call('GET', pathOf(links.preferences));
    assert.deepEqual([question.status, done.status, preferences.status], [200, 200, 200]);
    return { question: readPage(question.body), done: readPage(done.body), preferences: readPage(preferences.body) };
  }

  before(async () => {
    smtp = await smtpServer();
    s = await serve({ clock: () => now });
    await saveChannel(s.t.db, s.t.workspaceId, 'email', {
      provider: 'smtp',
      config: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Shop <shop@example.com>' },
    });
    const settings = await s.call('PUT', '/api/v1/settings/messaging', {
      key: s.adminKey,
      body: {
        doubleOptInEmail: true,
        senderName: 'Sklep Ola',
        senderIdentification: 'Sklep Ola sp. z o.o., ul. Długa 1, Gdańsk',
      },
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    for (const [user, locale] of [
      ['ola', 'pl-PL'],
      ['ivan', 'ru'],
      ['hans', 'de-DE'],
      ['kim', null],
      ['amy', 'en-GB'],
    ] as const)
      assert.equal((await identify(user, locale)).status, 200);
  });
  after(async () => {
    await closeProviders();
    await s.close();
    await smtp.close();
  });

  it('a Polish customer: the double opt-in e-mail and the page its link opens are in Polish', async () => {
    const c = await confirmationOf('ola');
    assert.equal(c.subject, 'Potwierdź subskrypcję');
    assert.match(c.text, /Dzień dobry, Ola!/);
    assert.match(c.text, /Potwierdź, że chcesz otrzymywać nasze wiadomości na adres ola@example\.com\./);
    assert.match(c.text, /Tak, zapisuję się/);
    assert.match(c.text, /Link jest ważny 7 dni\./);
    assert.deepEqual(c.page, {
      lang: 'pl',
      title: 'Subskrypcja potwierdzona',
      text: ['Dziękujemy! Twoja subskrypcja jest potwierdzona.', 'Sklep Ola'],
    });
  });

  it('a Russian customer: the e-mail and the page in Russian', async () => {
    const c = await confirmationOf('ivan');
    assert.equal(c.subject, 'Подтвердите подписку');
    assert.match(c.text, /Здравствуйте, Ivan!/);
    assert.match(c.text, /Подтвердите, что хотите получать наши письма на адрес ivan@example\.com\./);
    assert.match(c.text, /Ссылка действует 7 дней\./);
    assert.deepEqual(c.page, {
      lang: 'ru',
      title: 'Подписка подтверждена',
      text: ['Спасибо! Ваша подписка подтверждена.', 'Sklep Ola'],
    });
  });

  it("a Polish customer's unsubscribe page, what it says after, and the preference centre, in Polish", async () => {
    const p = await pagesOf('ola');
    assert.deepEqual(p.question, {
      lang: 'pl',
      title: 'Rezygnacja z subskrypcji',
      text: [
        'Czy chcesz zrezygnować z otrzymywania wiadomości marketingowych e-mailem od Sklep Ola?',
        'Wypisz mnie',
        'Sklep Ola',
      ],
    });
    assert.deepEqual(p.done, {
      lang: 'pl',
      title: 'Wypisano z subskrypcji',
      text: [
        'Nie będziesz już otrzymywać wiadomości marketingowych e-mailem od Sklep Ola.',
        'Zarządzaj wszystkimi ustawieniami subskrypcji',
        'Sklep Ola',
      ],
    });
    assert.deepEqual(p.preferences, {
      lang: 'pl',
      title: 'Ustawienia subskrypcji',
      text: [
        'Kanały wiadomości marketingowych',
        'E-mail',
        'Zapisz',
        'Nie dotyczy to wiadomości o Twoich zamówieniach i koncie.',
        'Sklep Ola',
      ],
    });
  });

  it("a Russian customer's pages in Russian", async () => {
    const p = await pagesOf('ivan');
    assert.deepEqual(p.question, {
      lang: 'ru',
      title: 'Отписка от рассылки',
      text: ['Отписаться от рекламных рассылок по электронной почте от Sklep Ola?', 'Отписаться', 'Sklep Ola'],
    });
    assert.deepEqual(p.done, {
      lang: 'ru',
      title: 'Вы отписались',
      text: [
        'Вы больше не будете получать рекламные рассылки по электронной почте от Sklep Ola.',
        'Настроить все подписки',
        'Sklep Ola',
      ],
    });
    assert.deepEqual(p.preferences.text.slice(0, 3), ['Каналы рекламных рассылок', 'Электронная почта', 'Сохранить']);
  });

  it('a locale of none of ours, or none at all, reads the workspace default: English until set, then what was set', async () => {
    assert.equal((await pagesOf('hans')).question.lang, 'en');
    assert.equal((await pagesOf('amy')).question.title, 'Unsubscribe', 'en-GB is English');
    await setLanguage('ru');
    const hans = await confirmationOf('hans');
    assert.equal(hans.subject, 'Подтвердите подписку', 'the e-mail falls back the same way');
    assert.equal(hans.page.lang, 'ru');
    assert.equal((await pagesOf('kim')).question.title, 'Отписка от рассылки');
    await setLanguage('pl');
    assert.equal((await pagesOf('hans')).question.title, 'Rezygnacja z subskrypcji');
    assert.equal((await pagesOf('ivan')).question.lang, 'ru', "the customer's own language still comes first");
    await setLanguage('en');
  });

  it("a link that does not work is explained in the browser's language", async () => {
    const broken = async (lang?: string) =>
      readPage(
        (await s.call('GET', '/c/unsubscribe?t=nonsense', lang ? { headers: { 'accept-language': lang } } : {})).body,
      );
    assert.deepEqual(await broken('pl-PL,pl;q=0.9,en;q=0.8'), {
      lang: 'pl',
      title: 'Ten link nie działa',
      text: ['Ten link jest niepełny albo został zmieniony. Otwórz go ponownie z otrzymanej wiadomości.'],
    });
    assert.equal((await broken('de-DE,ru;q=0.5')).title, 'Ссылка не работает');
    assert.equal((await broken()).title, 'This link does not work');
  });
});
