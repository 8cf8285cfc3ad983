// Money: the public surface of src/money/, what other capabilities import from it (see docs/architecture.md, Layers).
export {
  addByCurrency,
  byCurrency,
  type ByCurrency,
  isCurrencyCode,
  moneyNote,
  type MoneyNote,
  toBase,
} from './currency.ts';
export { CurrencySettingsPatch } from './settings.ts';
export { currencyInForce, type CurrencyInForce, orderCurrencySql, putCurrencySettings } from './store.ts';
