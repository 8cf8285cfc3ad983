// Which locale variant a customer gets: their locale → its language → the workspace default → the template default,
// which one was used and why, and the locale, zone and currency money and dates are written in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseLocale, localeChain, messageLocality, normalizeLocale } from '../../src/messaging/templates/locale.ts';

describe('the fallback chain', () => {
  const cases: [string, string[], string | null, string | null, string, [string, string, string] | null][] = [
    // name, variants, customer locale, workspace locale, template default, [variant, source, formatted in]
    ['the customer’s own locale', ['pl-PL', 'pl', 'en'], 'pl-PL', 'en', 'en', ['pl-PL', 'customer', 'pl-PL']],
    [
      'pl-PL → its language pl, numbers still as in Poland',
      ['pl', 'en'],
      'pl-PL',
      'en',
      'en',
      ['pl', 'language', 'pl-PL'],
    ],
    ['no Polish → the workspace default', ['de', 'en'], 'pl-PL', 'de-AT', 'en', ['de', 'workspace', 'de-AT']],
    ['no workspace default → the template default', ['de', 'en'], 'pl-PL', null, 'en', ['en', 'template', 'en']],
    ['a customer without a locale', ['pl', 'ru'], null, 'ru-RU', 'pl', ['ru', 'workspace', 'ru-RU']],
    ['locales as shops send them (pl_pl)', ['pl-PL', 'en'], 'pl_pl', null, 'en', ['pl-PL', 'customer', 'pl-PL']],
    ['a variant key in another case', ['PT-br', 'en'], 'pt-BR', null, 'en', ['PT-br', 'customer', 'pt-BR']],
    [
      'a script subtag: zh-Hant-TW → zh-Hant',
      ['zh-Hant', 'zh', 'en'],
      'zh-Hant-TW',
      null,
      'en',
      ['zh-Hant', 'language', 'zh-Hant-TW'],
    ],
    ['a locale that is not one is skipped', ['en', 'pl'], 'xx-!!', null, 'pl', ['pl', 'template', 'pl']],
    ['nothing matches (the channel’s content is in no variant)', [], 'pl-PL', 'en', 'en', null],
  ];
  for (const [name, variants, customer, workspace, fallback, want] of cases) {
    it(name, () => {
      const got = chooseLocale(variants, customer, workspace, fallback);
      assert.deepEqual(got && [got.locale, got.source, got.formatLocale], want);
    });
  }

  it('lists every step once, in order', () => {
    assert.deepEqual(
      localeChain('pl-PL', 'en-GB', 'en').map((c) => `${c.locale}:${c.source}`),
      ['pl-PL:customer', 'pl:language', 'en-GB:workspace', 'en:workspace'],
    );
  });

  it('normalizes tags to their canonical case', () => {
    assert.deepEqual(['pl_pl', 'EN-us', 'ru', ' de-at ', '', 'not a locale', null].map(normalizeLocale), [
      'pl-PL',
      'en-US',
      'ru',
      'de-AT',
      null,
      null,
      null,
    ]);
  });
});

describe('where a customer reads a message', () => {
  const workspace = { locale: 'pl-PL', timezone: 'Europe/Warsaw', currency: 'PLN' };
  const cases: [string, { locale?: string | null; timezone?: string | null }, Record<string, unknown>, object][] = [
    [
      'their own zone',
      { locale: 'ru-RU', timezone: 'Europe/Moscow' },
      {},
      { locale: 'ru-RU', timezone: 'Europe/Moscow', currency: 'PLN' },
    ],
    [
      'the workspace zone when theirs is unknown or wrong',
      { locale: null, timezone: 'Mars/Olympus' },
      {},
      { locale: null, timezone: 'Europe/Warsaw', currency: 'PLN' },
    ],
    [
      'the currency of the triggering cart',
      { timezone: null },
      { currency: 'rub' },
      { locale: null, timezone: 'Europe/Warsaw', currency: 'RUB' },
    ],
    [
      'not a currency in the event: the workspace’s',
      {},
      { currency: 'roubles' },
      { locale: null, timezone: 'Europe/Warsaw', currency: 'PLN' },
    ],
  ];
  for (const [name, customer, event, want] of cases) {
    it(name, () =>
      assert.deepEqual(messageLocality(customer, workspace, event), { workspaceLocale: 'pl-PL', ...want }),
    );
  }
});
