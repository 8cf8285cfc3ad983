// What a provider answered, in plain sentences for the dashboard (pure): wrong password, host not found, connection
// refused, TLS problem, rejected recipient… never a stack trace, never a credential.
import type { SmtpError } from './smtp-errors.ts';

/** The answer of "check connection" or "send a test": whether it worked and what happened, in words. */
export interface ChannelAnswer {
  ok: boolean;
  message: string;
}

/** The network failure codes a marketer can act on, each with what to do. */
function networkSentence(code: string, where: string): string | null {
  switch (code) {
    case 'ECONNREFUSED':
      return `Nothing answered at ${where} (the connection was refused): check the host and the port.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `The host of ${where} was not found: check its spelling.`;
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return `No answer from ${where} in time: check the host and the port, or ask whether a firewall blocks it.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} cannot be reached from this server: check the host, or ask whether a firewall blocks it.`;
    case 'ECONNRESET':
      return `${where} closed the connection: check the port, and whether it expects TLS.`;
    default:
      return null;
  }
}

const TLS = /SSL|TLS|certificate|CERT_|self[- ]signed|wrong version number/i;

/** A nodemailer error (from verify or sendMail) as a sentence; `to` is the test recipient, when there is one. */
export function smtpInWords(err: SmtpError, host: string, port: number, to?: string): string {
  const where = `${host}:${port}`;
  const message = err.message ?? '';
  // Only an SMTP reply line is quoted: whatever else answered on that port (an inside web server…) is never repeated.
  const reply = err.response && /^[2-5]\d\d[ -]/.test(err.response) ? ` The server said: "${err.response.slice(0, 200)}".` : '';
  if (err.code === 'EAUTH') {
    if (err.responseCode) return `The server refused the user name or password: check them (many providers want an API key or an app password here).${reply}`;
    return `The server asks for a user name and password: fill them in.${reply}`;
  }
  if (err.code === 'EPROTOCOL') return `What answered at ${where} is not an SMTP server: check the port (587, 465 or 25).`;
  if (err.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(message)) return `The host "${host}" was not found: check its spelling.`;
  if (err.code === 'ETLS' || TLS.test(message)) {
    if (/wrong version number/i.test(message)) return `The secure connection (TLS) to ${where} failed: this port does not start with TLS. Turn "Use TLS from the start" off (ports 587 and 25), or use port 465.`;
    if (/self[- ]signed|certificate|CERT_/i.test(message)) return `The server's certificate cannot be trusted (${message.split('\n')[0]!.slice(0, 120)}): use the host name the certificate is for, or, for a test server only, accept a self-signed certificate.`;
    return `The secure connection (TLS) to ${where} failed: check the port and the TLS settings (587 or 25: TLS off; 465: TLS on).${reply}`;
  }
  const code = /\b(E[A-Z]+)\b/.exec(message)?.[1];
  const network = code ? networkSentence(code, where) : null;
  if (network) return network;
  if (err.code === 'ETIMEDOUT' || /timeout/i.test(message)) return `No answer from ${where} in time: check the host and the port, or ask whether a firewall blocks it.`;
  if (err.command === 'RCPT TO' && err.responseCode && err.responseCode >= 500) return `The server refused the recipient${to ? ` ${to}` : ''}: check the address.${reply}`;
  if (err.command === 'RCPT TO' && err.responseCode) return `The server asks to try the recipient${to ? ` ${to}` : ''} again later.${reply}`;
  if (err.command === 'MAIL FROM' && err.responseCode) return `The server refused the sender: use a sender address of a domain this server may send for.${reply}`;
  if (err.responseCode && err.responseCode >= 400) return `The server refused the message.${reply}`;
  return `The server at ${where} could not be used${err.code ? ` (${err.code})` : ''}: check the host, the port and the TLS settings.${reply}`;
}

/**
 * A failure of an HTTP provider (its error is already in our words, see classify.ts and http.ts) as a sentence: network
 * codes say what to check, the rest is passed on.
 */
export function httpFailureInWords(error: string, provider: string): string {
  const code = /\((E[A-Z_]+)\)/.exec(error)?.[1];
  const network = code ? networkSentence(code, `the ${provider} address`) : null;
  if (network) return network;
  if (/^timed out|no answer/.test(error)) return `No answer from ${provider} in time: check the address, or try again later.`;
  const end = /[.!?]$/.test(error) ? '' : '.';
  if (/^HTTP \d{3}/.test(error)) return `${provider} did not accept it (${error})${end}`;
  // Refused by the address guard (src/net) or by the adapter itself: the reason is already a sentence.
  return `${provider} could not be used: ${error}${end}`;
}
