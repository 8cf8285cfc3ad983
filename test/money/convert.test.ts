// Conversion to the base currency (pure): what goes into `revenue`, what is listed as not converted, and to the cent.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addByCurrency,
  byCurrency,
  moneyNote,
  toBase,
  type ByCurrency,
  type CurrencySettings,
} from '../../src/money/currency.ts';
import { soleCurrency } from '../../src/money/store.ts';

const EUR: CurrencySettings = {
  base: 'EUR',
  rates: { PLN: { rate: 0.2333, date: '2026-05-01' }, USD: { rate: 0.9, date: '2026-04-30' } },
};

describe('money: converting amounts per currency', () => {
  const table: [string, ByCurrency, number, string[]][] = [
    ['the base alone', { EUR: 10.5 }, 10.5, []],
    ['a currency with a rate, rounded to the cent', { EUR: 10, PLN: 100 }, 33.33, []],
    ['each currency rounded, then added', { PLN: 0.03, USD: 0.01 }, 0.02, []],
    ['a currency without a rate: left out, and named', { EUR: 10, GBP: 50 }, 10, ['GBP']],
    ['only currencies without a rate: 0 in the base, all named', { GBP: 50, CHF: 1 }, 0, ['CHF', 'GBP']],
    ['nothing', {}, 0, []],
  ];
  for (const [what, amounts, revenue, unconverted] of table) {
    it(what, () => {
      assert.equal(toBase(amounts, EUR), revenue);
      assert.deepEqual(moneyNote([amounts], EUR).unconverted, unconverted);
    });
  }

  it('the note lists only the rates a figure used, with their days', () => {
    assert.deepEqual(moneyNote([{ EUR: 1 }, { PLN: 2 }], EUR), {
      currency: 'EUR',
      rates: { PLN: { rate: 0.2333, date: '2026-05-01' } },
      unconverted: [],
    });
  });

  it('amounts per currency: summed, to the cent, sorted, and a currency that comes to nothing left out', () => {
    assert.deepEqual(
      byCurrency([
        ['PLN', 0.1],
        ['EUR', 70],
        ['PLN', 0.2],
        ['EUR', -70],
        ['GBP', 1.25],
        ['GBP', 0.004],
      ]),
      { GBP: 1.25, PLN: 0.3 },
    );
    assert.deepEqual(addByCurrency([{ EUR: 1 }, { EUR: 2, PLN: 3 }, {}]), { EUR: 3, PLN: 3 });
  });

  const sole: [string, [string | null, string | null, boolean], string | null][] = [
    ['no orders: the base', [null, null, false], 'EUR'],
    ['all in GBP', ['GBP', 'GBP', false], 'GBP'],
    ['GBP and some without a currency, which are in the base (EUR)', ['GBP', 'GBP', true], null],
    ['EUR and some without', ['EUR', 'EUR', true], 'EUR'],
    ['only orders without a currency', [null, null, true], 'EUR'],
    ['EUR to PLN', ['EUR', 'PLN', false], null],
  ];
  for (const [what, [lo, hi, without], want] of sole) {
    it(`the one currency of all orders: ${what}`, () => assert.equal(soleCurrency(lo, hi, without, 'EUR'), want));
  }
});
