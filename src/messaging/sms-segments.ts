// SMS segment counting (pure): how many billable parts a text needs, in which encoding, and which characters cost more.
// GSM 03.38's 7-bit alphabet when every character is in it (extension characters take two septets), otherwise UCS-2 for
// the whole text; concatenated parts lose room to their header, and no part ends in the middle of a character.

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegments {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  units: number;
  /** Billable parts; 0 for an empty text (nothing to send). */
  segments: number;
  /** Units per part: 160 or 70 for a single part, 153 or 67 when concatenated. */
  perSegment: number;
  /** The characters, each once in order of appearance, that force UCS-2; replace them to get GSM-7's larger parts. */
  nonGsmChars: string[];
}

/** GSM 03.38 default alphabet, positions 0x00–0x7F, without 0x1B (the escape to the extension table). */
const gsmBasic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** GSM 03.38 extension table: escape + character, two septets each. */
const gsmExtension = new Set('\f^{}\\[~]|€');

const partSize: Record<SmsEncoding, { single: number; concatenated: number }> = {
  'GSM-7': { single: 160, concatenated: 153 },
  'UCS-2': { single: 70, concatenated: 67 },
};

export function smsSegments(text: string): SmsSegments {
  const chars = [...text]; // code points: an emoji is one, of two UTF-16 units
  const nonGsmChars = [...new Set(chars.filter((c) => !gsmBasic.has(c) && !gsmExtension.has(c)))];
  const encoding: SmsEncoding = nonGsmChars.length === 0 ? 'GSM-7' : 'UCS-2';
  const widths = chars.map((c) => (encoding === 'GSM-7' ? (gsmExtension.has(c) ? 2 : 1) : c.length));
  const units = widths.reduce((sum, w) => sum + w, 0);
  const { single, concatenated } = partSize[encoding];
  if (units <= single) return { encoding, units, segments: units === 0 ? 0 : 1, perSegment: single, nonGsmChars };

  // fill parts in order; a character that does not fit whole starts the next part
  let segments = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > concatenated) {
      segments++;
      used = 0;
    }
    used += w;
  }
  return { encoding, units, segments, perSegment: concatenated, nonGsmChars };
}

/** What sending `text` costs: its segments × the provider's price per segment. */
export function smsPrice(text: string, pricePerSegment: number): number {
  if (!(Number.isFinite(pricePerSegment) && pricePerSegment >= 0))
    throw new RangeError(
      `the price per SMS segment must be a number ≥ 0 (got ${pricePerSegment}): check the channel's price setting`,
    );
  return smsSegments(text).segments * pricePerSegment;
}
