// SMS segments: the GSM-7 and UCS-2 part sizes at their boundaries, extension characters and surrogate pairs that
// must not be split across parts, real texts in English, Polish and Russian, and the price that follows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { smsSegments, smsPrice, type SmsSegments } from '../../src/messaging/sms-segments.ts';

const a = (n: number) => 'a'.repeat(n);
const ą = (n: number) => 'ą'.repeat(n);
const gsm = (units: number, segments: number, perSegment: number): Omit<SmsSegments, 'nonGsmChars'> => ({
  encoding: 'GSM-7',
  units,
  segments,
  perSegment,
});
const ucs = (units: number, segments: number, perSegment: number): Omit<SmsSegments, 'nonGsmChars'> => ({
  encoding: 'UCS-2',
  units,
  segments,
  perSegment,
});

describe('smsSegments', () => {
  const cases: [string, string, Omit<SmsSegments, 'nonGsmChars'>][] = [
    ['empty text: nothing to send', '', gsm(0, 0, 160)],
    ['one character', 'a', gsm(1, 1, 160)],
    ['exactly 160 GSM characters fit one part', a(160), gsm(160, 1, 160)],
    ['161 GSM characters need two parts of 153', a(161), gsm(161, 2, 153)],
    ['306 = 2 × 153 fit two parts', a(306), gsm(306, 2, 153)],
    ['307 need a third part', a(307), gsm(307, 3, 153)],
    ['every extension character takes two septets', '^{}\\[~]|€\f', gsm(20, 1, 160)],
    ['158 + € = 160 septets: one part', a(158) + '€', gsm(160, 1, 160)],
    ['159 + € = 161 septets: two parts', a(159) + '€', gsm(161, 2, 153)],
    ['€ is not split: 152 + € + 152 = 306 septets but three parts', a(152) + '€' + a(152), gsm(306, 3, 153)],
    ['€ closing a part exactly: 151 + € + 153 = 306 septets, two parts', a(151) + '€' + a(153), gsm(306, 2, 153)],
    ['English reminder', 'Hi Anna, your cart is waiting: 2 items, $54.90. Reply STOP to opt out.', gsm(70, 1, 160)],
    [
      'accented letters of the GSM table stay GSM-7',
      'Café Müller, señor Ågren, Ärger, Çà öß ÉØ ¿¡ ΔΩ',
      gsm(47, 1, 160),
    ],
    ['a CR LF line break is two GSM characters', 'Hi\r\nBye', gsm(7, 1, 160)],
    ['Polish: one letter outside GSM-7 makes it UCS-2', 'Zażółć gęślą jaźń', ucs(17, 1, 70)],
    ['one Polish letter in 101 characters: two UCS-2 parts instead of one GSM-7 part', a(100) + 'ł', ucs(101, 2, 67)],
    ['Russian: 70 Cyrillic letters fit one part', 'Скидка '.repeat(10), ucs(70, 1, 70)],
    ['Russian: 71 need two parts of 67', 'Скидка '.repeat(10) + 'ж', ucs(71, 2, 67)],
    ['Russian: 134 = 2 × 67 fit two parts', 'Скидка '.repeat(19) + 'ж', ucs(134, 2, 67)],
    ['Russian: 135 need a third part', 'Скидка '.repeat(19) + 'жд', ucs(135, 3, 67)],
    ['an emoji is two UTF-16 units', 'Happy birthday 🎉', ucs(17, 1, 70)],
    ['35 emoji = 70 units fit one part', '🎉'.repeat(35), ucs(70, 1, 70)],
    ['36 emoji = 72 units need two', '🎉'.repeat(36), ucs(72, 2, 67)],
    [
      'an emoji straddling unit 67 moves whole to the next part: 66 + 2 + 66 = 134 units, three parts',
      ą(66) + '😀' + ą(66),
      ucs(134, 3, 67),
    ],
    ['an emoji closing a part exactly: 65 + 2 + 67 = 134 units, two parts', ą(65) + '😀' + ą(67), ucs(134, 2, 67)],
    ['a price formatted by Intl for de-DE has a no-break space: UCS-2', 'Nur heute: 1.234,50\u00a0€', ucs(21, 1, 70)],
  ];
  for (const [name, text, want] of cases) {
    it(name, () => {
      const { nonGsmChars, ...got } = smsSegments(text);
      assert.deepEqual(got, want);
      assert.equal(nonGsmChars.length === 0, want.encoding === 'GSM-7');
    });
  }

  it('lists each character that forces UCS-2 once, in order of appearance', () => {
    assert.deepEqual(smsSegments('Zażółć gęślą jaźń').nonGsmChars, ['ż', 'ó', 'ł', 'ć', 'ę', 'ś', 'ą', 'ź', 'ń']);
    assert.deepEqual(smsSegments('Ваш заказ 🎉🎉 готов').nonGsmChars, [
      'В',
      'а',
      'ш',
      'з',
      'к',
      '🎉',
      'г',
      'о',
      'т',
      'в',
    ]);
    assert.deepEqual(smsSegments('Tab\there, “quotes” — and a tilde ~').nonGsmChars, ['\t', '“', '”', '—']);
    assert.deepEqual(smsSegments('Hello {name}!').nonGsmChars, []);
  });
});

describe('smsPrice', () => {
  const cases: [string, string, number, number][] = [
    ['nothing to send costs nothing', '', 0.25, 0],
    ['one GSM-7 part', a(160), 0.25, 0.25],
    ['two GSM-7 parts', a(161), 0.25, 0.5],
    ['one Polish letter doubles it', a(100) + 'ł', 0.25, 0.5],
    ['three UCS-2 parts', ą(66) + '😀' + ą(66), 0.5, 1.5],
    ['a free channel', a(500), 0, 0],
  ];
  for (const [name, text, price, want] of cases) it(name, () => assert.equal(smsPrice(text, price), want));

  it('refuses a price that is not a number ≥ 0, and says which setting to fix', () => {
    for (const price of [-0.1, Number.NaN, Number.POSITIVE_INFINITY])
      assert.throws(() => smsPrice('hi', price), /price per SMS segment.*channel's price setting/);
  });
});
