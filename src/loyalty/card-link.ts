// The loyalty card's signed link and what it opens: the link (signed with the workspace's link key, like consent links,
// never expiring: it is the customer's card) and the card page it shows, with the QR code of the card number made as
// SVG on the server by the qrcode library.
import QRCode from 'qrcode';
import type { Queryable } from '../store/index.ts';
import { linkUrl, readLink, readerLanguage, signLink } from '../consent/index.ts';
import { customerLoyalty } from './service.ts';
import { cardNumber, cardPage } from './card.ts';

/** The QR code of a card number as an SVG document. */
export const cardQrSvg = (number: string): Promise<string> => QRCode.toString(number, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });

/** A customer's card number and the link to their card page. */
export async function cardLink(db: Queryable, ws: string, customerId: string, baseUrl: string): Promise<{ number: string; url: string }> {
  return { number: cardNumber(customerId), url: linkUrl(baseUrl, 'card', await signLink(db, { k: 'card', ws, c: customerId })) };
}

/** The card page of a link's token, or why the link does not work. */
export async function cardPageOf(db: Queryable, token: string, now: Date): Promise<{ ok: true; html: string } | { ok: false; reason: string }> {
  const link = await readLink(db, token, 'card', now);
  if (!link.ok) return link;
  const { ws, c } = link.payload;
  const loyalty = await customerLoyalty(db, ws, c, now, 1).catch(() => null);
  if (!loyalty) return { ok: false, reason: 'unknown' };
  const number = cardNumber(loyalty.customerId);
  const html = cardPage({ number, available: loyalty.available, pending: loyalty.pending, tier: loyalty.tier, qrSvg: await cardQrSvg(number) }, await readerLanguage(db, ws, loyalty.customerId));
  return { ok: true, html };
}
