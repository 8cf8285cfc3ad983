// The customer's loyalty card number (pure): the customer's id as 10 digits and a Luhn check digit, so a mistyped
// number at the till is caught. The card page behind its signed link is src/consent/card-page.ts.

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
