// Marketing e-mail carries the sender's identification (pure): a template prints {{ sender.identification }} where it
// likes; when the rendered message does not contain it, a footer line is added to the HTML and to the text part.
import { escapeHtml } from '../liquid.ts';
import type { SenderIdentity } from './context.ts';

export interface EmailBody {
  html: string;
  text: string;
}

const FOOTER_STYLE = 'font:11px/1.4 Arial,sans-serif;color:#666;text-align:center;padding:12px 24px';

/** The e-mail with the sender's identification in both parts (unchanged when it is there already or there is none). */
export function withSenderIdentification<T extends EmailBody>(email: T, sender: SenderIdentity): T {
  const id = sender.identification?.trim();
  if (!id) return email;
  const escaped = escapeHtml(id);
  const inHtml = email.html.includes(escaped) || email.html.includes(id);
  const inText = email.text.includes(id);
  if (inHtml && inText) return email;
  const footer = `<div class="retain-sender" style="${FOOTER_STYLE}">${escaped}</div>`;
  const close = email.html.lastIndexOf('</body>');
  const html = inHtml
    ? email.html
    : close < 0
      ? email.html + footer
      : email.html.slice(0, close) + footer + email.html.slice(close);
  return { ...email, html, text: inText ? email.text : `${email.text.trimEnd()}\n\n${id}` };
}
