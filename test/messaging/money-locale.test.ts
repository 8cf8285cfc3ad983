// Money in a message is in the order's currency, written as the customer reads it: the triggering event's currency
// (else the cart's, else the workspace's) with the locale of the variant the customer gets — never a fixed USD. The
// whole road: messageLocality → renderTemplate, for pl, ru and en customers and PLN, RUB, EUR, USD and GBP orders.
// (Expected texts come from Node's ICU data: the separators are no-break spaces; Polish groups only from 10 000.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messageLocality, type WorkspaceLocality } from '../../src/messaging/templates/locale.ts';
import { renderTemplate } from '../../src/messaging/templates/render.ts';

const template = {
  defaultLocale: 'en',
  content: {
    en: { sms: { text: 'Order total: {{ event.total | money }}' } },
    pl: { sms: { text: 'Zamówienie na {{ event.total | money }}' } },
    ru: { sms: { text: 'Заказ на {{ event.total | money }}' } },
  },
};
const workspace: WorkspaceLocality = { locale: null, timezone: 'UTC', currency: 'USD' };
const nb = (s: string) => s.replace(/ /g, '\u00a0');

async function textFor(customerLocale: string | null, event: Record<string, unknown>, ws = workspace): Promise<string> {
  const locality = messageLocality({ locale: customerLocale, timezone: null }, ws, event);
  return (await renderTemplate(template, 'sms', { event }, locality)).sms!.text;
}

describe("money in the order's currency and the customer's locale", () => {
  const cases: [string, string, string][] = [
    ['pl-PL', 'PLN', `Zamówienie na ${nb('123,45 zł')}`],
    ['pl-PL', 'RUB', `Zamówienie na ${nb('123,45 RUB')}`],
    ['pl-PL', 'EUR', `Zamówienie na ${nb('123,45 €')}`],
    ['pl-PL', 'USD', `Zamówienie na ${nb('123,45 USD')}`],
    ['pl-PL', 'GBP', `Zamówienie na ${nb('123,45 GBP')}`],
    ['ru-RU', 'PLN', `Заказ на ${nb('123,45 PLN')}`],
    ['ru-RU', 'RUB', `Заказ на ${nb('123,45 ₽')}`],
    ['ru-RU', 'EUR', `Заказ на ${nb('123,45 €')}`],
    ['ru-RU', 'USD', `Заказ на ${nb('123,45 $')}`],
    ['ru-RU', 'GBP', `Заказ на ${nb('123,45 £')}`],
    ['en-GB', 'PLN', `Order total: ${nb('PLN 123.45')}`],
    ['en-GB', 'RUB', `Order total: ${nb('RUB 123.45')}`],
    ['en-GB', 'EUR', 'Order total: €123.45'],
    ['en-US', 'USD', 'Order total: $123.45'],
    ['en-GB', 'GBP', 'Order total: £123.45'],
  ];
  for (const [locale, currency, want] of cases) {
    it(`${locale}, an order in ${currency}: ${want}`, async () => {
      assert.equal(await textFor(locale, { total: 123.45, currency }), want);
    });
  }

  it('thousands as each language groups them: 1 234,50 ₽ in Russian, 1234,50 zł in Polish (grouped from 10 000), $1,234.50 in English', async () => {
    assert.equal(await textFor('ru', { total: 1234.5, currency: 'RUB' }), `Заказ на ${nb('1 234,50 ₽')}`);
    assert.equal(
      await textFor('pl', { total: 1234.5, currency: 'pln' }),
      `Zamówienie na ${nb('1234,50 zł')}`,
      'a code in any case',
    );
    assert.equal(await textFor('pl', { total: 12345.5, currency: 'PLN' }), `Zamówienie na ${nb('12 345,50 zł')}`);
    assert.equal(await textFor('en-US', { total: 1234.5, currency: 'USD' }), 'Order total: $1,234.50');
  });

  it("an event without a currency is in the workspace's; a customer without a locale reads the workspace's language", async () => {
    assert.equal(
      await textFor('pl-PL', { total: 5 }, { ...workspace, currency: 'PLN' }),
      `Zamówienie na ${nb('5,00 zł')}`,
    );
    assert.equal(
      await textFor(null, { total: 5, currency: 'RUB' }, { ...workspace, locale: 'ru' }),
      `Заказ на ${nb('5,00 ₽')}`,
    );
    assert.equal(
      await textFor('de-DE', { total: 5, currency: 'EUR' }, { ...workspace, locale: 'pl' }),
      `Zamówienie na ${nb('5,00 €')}`,
      "a language we do not write: the workspace's",
    );
  });
});
