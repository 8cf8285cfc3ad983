// The customer's loyalty card (pure): its number — the customer's id as 10 digits and a Luhn check digit, so a
// mistyped number at the till is caught — and the page /c/card shows: balance, tier and the QR code of the number,
// in the customer's language (texts/{en,pl,ru}.json).
import { catalogues, type Language } from '../i18n/index.ts';
import { customerPage, escapeHtml } from '../consent/index.ts';
import en from './texts/en.json' with { type: 'json' };
import pl from './texts/pl.json' with { type: 'json' };
import ru from './texts/ru.json' with { type: 'json' };

export type CardTextKey = keyof typeof en;
export const CARD_TEXTS: Record<Language, Record<CardTextKey, string>> = { en, pl, ru };
const cardText = catalogues('loyalty card', CARD_TEXTS);

/** The Luhn check digit of a string of digits. */
function luhn(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** "0000000042" + its check digit: the number printed under the QR code and scanned at the till. */
export function cardNumber(customerId: string): string {
  const body = customerId.padStart(10, '0');
  return `${body}${luhn(body)}`;
}

/** The customer id of a card number, or null when its check digit is wrong. */
export function customerOfCard(number: string): string | null {
  if (!/^\d{11,}$/.test(number) || luhn(number.slice(0, -1)) !== Number(number.slice(-1))) return null;
  return String(BigInt(number.slice(0, -1)));
}

export interface CardView {
  number: string;
  available: number;
  pending: number;
  tier: string | null;
  /** The QR code of the number, as SVG made by the QR library (trusted markup, not escaped). */
  qrSvg: string;
}

export function cardPage(card: CardView, lang: Language): string {
  const t = cardText(lang);
  const line = (s: string) => `<p>${escapeHtml(s)}</p>`;
  return customerPage(t('card.title'),
    `<div style="max-width:16rem">${card.qrSvg}</div>` +
    line(t('card.number', { number: card.number })) + line(t('card.show')) +
    `<p><strong>${escapeHtml(t('card.points', { count: card.available }))}</strong></p>` +
    (card.pending > 0 ? line(t('card.pending', { count: card.pending })) : '') +
    line(card.tier ? t('card.tier', { tier: card.tier }) : t('card.noTier')), undefined, lang);
}
