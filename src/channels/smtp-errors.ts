// SMTP error classification (pure): 4xx and lost connections retry; a rejected mailbox is a hard bounce; policy refusals are not.
import type { Failure } from './classify.ts';

export interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/** Our own mistakes before anything reached the server (no recipient, a bad message): retrying cannot help. */
const CLIENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'ESTREAM']);

/**
 * 550 / 551 / 553 mean "no such mailbox" when the server says so for a recipient: at RCPT TO (unless its enhanced code
 * is about something else, like 5.7.1 policy or 5.2.2 mailbox full), or anywhere with an enhanced code 5.1.x. A refusal
 * of our sender, our IP or our content must never suppress the recipient.
 */
function isMailboxUnknown(code: number, response: string, command: string | undefined): boolean {
  if (code !== 550 && code !== 551 && code !== 553) return false;
  const enhanced = /^\d{3}[ -]5\.(\d{1,3})\.\d{1,3}\b/.exec(response)?.[1];
  if (enhanced !== undefined) return enhanced === '1' || (enhanced === '0' && command === 'RCPT TO');
  return command === 'RCPT TO';
}

/**
 * An SMTP error as a failure. `dataSent`: the message's data had begun to flow when it happened; a lost connection or a
 * timeout without a reply is then in doubt (the server may have queued the message), before it the mail was not accepted.
 */
export function classifySmtpError(err: SmtpError, dataSent = false): Failure {
  const response = err.response ?? '';
  const error = response ? `SMTP ${response}` : (err.message ?? 'SMTP error');
  const code = err.responseCode;
  if (code && code >= 400 && code < 500) return { ok: false, retryable: true, error };
  if (code && code >= 500) {
    if (isMailboxUnknown(code, response, err.command))
      return { ok: false, retryable: false, error, suppress: 'hard_bounce' };
    return { ok: false, retryable: false, error };
  }
  if (err.code && CLIENT_CODES.has(err.code)) return { ok: false, retryable: false, error };
  // No reply code: the connection failed, timed out or was closed under us.
  const what = `${err.code ? `${err.code}: ` : ''}${err.message ?? 'connection failed'}`;
  if (dataSent)
    return {
      ok: false,
      retryable: true,
      inDoubt: true,
      error: `no reply from the server after the message was sent (${what})`,
    };
  // Before the message's data: it was not accepted. Try again.
  return { ok: false, retryable: true, error: what };
}
