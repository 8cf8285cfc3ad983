// Plural forms through the dashboard's i18n library (FormatJS, ICU MessageFormat with the CLDR plural rules):
// Polish one / few / many and Russian one / few / many for 0, 1, 2, 5, 12, 21, 22, 25, 101, on the real catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatWith, formatLocaleFor, makeIntl, pickLanguage } from '../../web/src/i18n/core.ts';

const NUMBERS = [0, 1, 2, 5, 12, 21, 22, 25, 101];

function forms(language: 'en' | 'pl' | 'ru'): string[] {
  const intl = makeIntl(language);
  return NUMBERS.map((count) => formatWith(intl, 'customers.orderCount', { count }));
}

test('Polish: 1 zamówienie, 2 zamówienia, 5 zamówień, 22 zamówienia', () => {
  assert.deepEqual(forms('pl'), [
    '0 zamówień',
    '1 zamówienie',
    '2 zamówienia',
    '5 zamówień',
    '12 zamówień',
    '21 zamówień',
    '22 zamówienia',
    '25 zamówień',
    '101 zamówień',
  ]);
});

test('Russian: 1 заказ, 2 заказа, 5 заказов, 21 заказ', () => {
  assert.deepEqual(forms('ru'), [
    '0 заказов',
    '1 заказ',
    '2 заказа',
    '5 заказов',
    '12 заказов',
    '21 заказ',
    '22 заказа',
    '25 заказов',
    '101 заказ',
  ]);
});

test('English: one and other', () => {
  assert.deepEqual(forms('en'), [
    '0 orders',
    '1 order',
    '2 orders',
    '5 orders',
    '12 orders',
    '21 orders',
    '22 orders',
    '25 orders',
    '101 orders',
  ]);
});

test('numbers inside a message follow the language: 1 234 in Polish and Russian, 1,234 in English', () => {
  const n = 1234;
  assert.equal(formatWith(makeIntl('en'), 'customers.orderCount', { count: n }), '1,234 orders');
  assert.equal(formatWith(makeIntl('pl'), 'customers.orderCount', { count: n }), '1234 zamówienia'); // Polish groups from 5 digits
  assert.equal(formatWith(makeIntl('ru'), 'customers.orderCount', { count: n }), '1\u00a0234 заказа');
});

test('the first choice follows the browser, a stored choice wins, English when nothing matches', () => {
  assert.equal(pickLanguage(null, ['pl-PL', 'en-US']), 'pl');
  assert.equal(pickLanguage(null, ['de-DE', 'ru']), 'ru');
  assert.equal(pickLanguage(null, ['de-DE', 'fr']), 'en');
  assert.equal(pickLanguage('ru', ['pl-PL']), 'ru');
  assert.equal(pickLanguage('xx', ['pl-PL']), 'pl');
  assert.equal(formatLocaleFor('en', ['pl-PL', 'en-GB']), 'en-GB');
  assert.equal(formatLocaleFor('ru', ['pl-PL', 'en-GB']), 'ru');
});
