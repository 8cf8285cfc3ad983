// The loyalty card behind its signed link (/c/card): the link (a token of kind "card" signed with the workspace's link
// key, never expiring: it is the customer's card) and the page it opens — spendable and pending points, the tier and
// the QR code of the card number, made as SVG on the server by the qrcode library — in the customer's language.
import QRCode from 'qrcode';
import { type Queryable, oncePerTransaction } from '../store/index.ts';
import type { Language } from '../i18n/index.ts';
import { loadConfig } from '../config.ts';
import { cardNumber, customerLoyalty } from '../loyalty/index.ts';
import { linkUrl, signToken } from './links.ts';
import { readLink, signLink } from './tokens.ts';
import { linkSecret } from './secret.ts';
import { readerLanguage } from './customers.ts';
import { escapeHtml, page } from './pages.ts';
import { consentText } from './texts.ts';

/** The QR code of a card number as an SVG document. */
export const cardQrSvg = (number: string): Promise<string> =>
  QRCode.toString(number, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });

/** A customer's card number and the link to their card page. */
export async function cardLink(
  db: Queryable,
  ws: string,
  customerId: string,
  baseUrl: string,
): Promise<{ number: string; url: string }> {
  return {
    number: cardNumber(customerId),
    url: linkUrl(baseUrl, 'card', await signLink(db, { k: 'card', ws, c: customerId })),
  };
}

/** For templates (customer.loyalty.card_url): each customer's card link, the workspace's key read once per transaction. */
export const cardUrlFor =
  (q: Queryable) =>
  async (ws: string, customerId: string): Promise<string> => {
    const secret = await oncePerTransaction(q, `link-secret:${ws}`, () => linkSecret(q, ws));
    return linkUrl(loadConfig().publicUrl, 'card', signToken(secret, { k: 'card', ws, c: customerId }));
  };

export interface CardView {
  number: string;
  available: number;
  pending: number;
  tier: string | null;
  /** The QR code of the number, as SVG made by the QR library (trusted markup, not escaped). */
  qrSvg: string;
}

export function cardPage(card: CardView, lang: Language): string {
  const t = consentText(lang);
  const line = (s: string) => `<p>${escapeHtml(s)}</p>`;
  return page(
    t('card.title'),
    `<div style="max-width:16rem">${card.qrSvg}</div>` +
      line(t('card.number', { number: card.number })) +
      line(t('card.show')) +
      `<p><strong>${escapeHtml(t('card.points', { count: card.available }))}</strong></p>` +
      (card.pending > 0 ? line(t('card.pending', { count: card.pending })) : '') +
      line(card.tier ? t('card.tier', { tier: card.tier }) : t('card.noTier')),
    undefined,
    lang,
  );
}

/** The card page of a link's token, or why the link does not work. */
export async function cardPageOf(
  db: Queryable,
  token: string,
  now: Date,
): Promise<{ ok: true; html: string } | { ok: false; reason: string }> {
  const link = await readLink(db, token, 'card', now);
  if (!link.ok) return link;
  const { ws, c } = link.payload;
  const loyalty = await customerLoyalty(db, ws, c, now, 1).catch(() => null);
  if (!loyalty) return { ok: false, reason: 'unknown' };
  const number = cardNumber(loyalty.customerId);
  const html = cardPage(
    {
      number,
      available: loyalty.available,
      pending: loyalty.pending,
      tier: loyalty.tier,
      qrSvg: await cardQrSvg(number),
    },
    await readerLanguage(db, ws, loyalty.customerId),
  );
  return { ok: true, html };
}
