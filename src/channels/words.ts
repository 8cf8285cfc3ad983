// What a provider answered, in plain sentences for the dashboard (pure): wrong password, host not found, connection
// refused, TLS problem, rejected recipient… never a stack trace, never a credential. Each answer carries a stable
// `reason` and the values its sentence names, so that the dashboard says it in its own language; what the provider
// itself said (an SMTP reply, an HTTP error) travels apart in `said`, as received.
import type { SmtpError } from './smtp-errors.ts';

type Values = Record<string, string>;

/** Every answer Retain gives, by its stable reason, with its English sentence (the API's `message`). */
const SENTENCES = {
  // network failures (`where` is host:port)
  refused_connection: (v: Values) =>
    `Nothing answered at ${v.where} (the connection was refused): check the host and the port.`,
  host_unknown_at: (v: Values) => `The host of ${v.where} was not found: check its spelling.`,
  no_answer: (v: Values) =>
    `No answer from ${v.where} in time: check the host and the port, or ask whether a firewall blocks it.`,
  unreachable: (v: Values) =>
    `${v.where} cannot be reached from this server: check the host, or ask whether a firewall blocks it.`,
  connection_closed: (v: Values) => `${v.where} closed the connection: check the port, and whether it expects TLS.`,
  // the same of an HTTP provider (`provider` is its name)
  http_refused_connection: (v: Values) =>
    `Nothing answered at the ${v.provider} address (the connection was refused): check the host and the port.`,
  http_host_unknown: (v: Values) => `The host of the ${v.provider} address was not found: check its spelling.`,
  http_no_answer: (v: Values) =>
    `No answer from the ${v.provider} address in time: check the host and the port, or ask whether a firewall blocks it.`,
  http_unreachable: (v: Values) =>
    `The ${v.provider} address cannot be reached from this server: check the host, or ask whether a firewall blocks it.`,
  http_connection_closed: (v: Values) =>
    `The ${v.provider} address closed the connection: check the port, and whether it expects TLS.`,
  http_timeout: (v: Values) => `No answer from ${v.provider} in time: check the address, or try again later.`,
  http_not_accepted: (v: Values, said?: string) => `${v.provider} did not accept it (${said})${end(said)}`,
  http_unusable: (v: Values, said?: string) => `${v.provider} could not be used: ${said}${end(said)}`,
  // SMTP
  smtp_auth_refused: () =>
    'The server refused the user name or password: check them (many providers want an API key or an app password here).',
  smtp_auth_needed: () => 'The server asks for a user name and password: fill them in.',
  smtp_not_smtp: (v: Values) => `What answered at ${v.where} is not an SMTP server: check the port (587, 465 or 25).`,
  smtp_host_unknown: (v: Values) => `The host "${v.host}" was not found: check its spelling.`,
  tls_not_at_start: (v: Values) =>
    `The secure connection (TLS) to ${v.where} failed: this port does not start with TLS. Turn "Use TLS from the start" off (ports 587 and 25), or use port 465.`,
  tls_untrusted: (_v: Values, said?: string) =>
    `The server's certificate cannot be trusted (${said}): use the host name the certificate is for, or, for a test server only, accept a self-signed certificate.`,
  tls_failed: (v: Values) =>
    `The secure connection (TLS) to ${v.where} failed: check the port and the TLS settings (587 or 25: TLS off; 465: TLS on).`,
  smtp_recipient_refused: (v: Values) => `The server refused the recipient ${v.to}: check the address.`,
  smtp_recipient_later: (v: Values) => `The server asks to try the recipient ${v.to} again later.`,
  smtp_sender_refused: () =>
    'The server refused the sender: use a sender address of a domain this server may send for.',
  smtp_message_refused: () => 'The server refused the message.',
  smtp_unusable: (v: Values) =>
    `The server at ${v.where} could not be used: check the host, the port and the TLS settings.`,
  // check connection
  smtp_connected_login: (v: Values) => `Connected to ${v.where} and logged in as ${v.user}.`,
  smtp_connected: (v: Values) => `Connected to ${v.where} (no login: the server did not ask for one).`,
  twilio_ok: () => 'Twilio accepted the Account SID and Auth Token.',
  twilio_refused: () => 'Twilio refused the Account SID or the Auth Token: copy them again from the Twilio console.',
  telegram_ok_bot: (v: Values) => `Telegram knows the token: messages will come from ${v.bot}.`,
  telegram_ok: () => 'Telegram knows the token: messages will come from the bot.',
  telegram_refused: () => 'Telegram does not know this bot token: copy it again from @BotFather.',
  fcm_ok: (v: Values) => `Google accepted the service account of project ${v.project}.`,
  fcm_refused: () =>
    'Google refused the service account: generate a new private key in the Firebase console and paste the new file.',
  vapid_ok: () =>
    'The VAPID keys are a valid pair. Paste the snippet on your site, then send a test to a subscription.',
  vapid_mismatch: () =>
    'The VAPID public key does not belong to the private key: press "Generate VAPID keys" for a new pair, or paste both keys again.',
  vapid_invalid: () =>
    'The VAPID private key is not a valid key: press "Generate VAPID keys" for a new pair, or paste both keys again.',
  settings_complete: () => 'The settings are complete. Send a test to try the address.',
  no_check: (v: Values) => `There is no check for the provider "${v.provider}".`,
  // send a test
  smtp_sent: (v: Values) => `Sent: ${v.host} accepted the test for ${v.to}.`,
  sent: (v: Values) => `Sent: ${v.provider} accepted the test.`,
  sent_id: (v: Values) => `Sent: ${v.provider} accepted the test (its id: ${v.id}).`,
} satisfies Record<string, (v: Values, said?: string) => string>;

/** The stable reasons of the answers: the dashboard has a sentence for each (test/channels/answer-words.test.ts). */
export type AnswerReason = keyof typeof SENTENCES;

/** Reasons whose English sentence quotes what was received inside it; the others append it as "The server said". */
const QUOTED = new Set<AnswerReason>(['http_not_accepted', 'http_unusable', 'tls_untrusted']);

function end(text: string | undefined): string {
  return text && /[.!?]$/.test(text) ? '' : '.';
}

/** The answer of "check connection" or "send a test": whether it worked and what happened, in words. */
export interface ChannelAnswer {
  ok: boolean;
  /** The answer in English. */
  message: string;
  /** Stable: what happened; the dashboard says it in its language from this and `values`. */
  reason: AnswerReason;
  /** What the sentence names: the host:port, the recipient, the provider, the bot… */
  values: Values;
  /** What the provider (or the TLS library) said, as received: never translated. */
  said?: string;
}

/** An answer by its reason, with its English message. */
export function answer(ok: boolean, reason: AnswerReason, values: Values = {}, said?: string): ChannelAnswer {
  const sentence = SENTENCES[reason](values, said);
  const message = said && !QUOTED.has(reason) ? `${sentence} The server said: "${said}".` : sentence;
  return { ok, message, reason, values, ...(said ? { said } : {}) };
}

/** The network failure codes a marketer can act on, each with what to do. */
function networkReason(
  code: string,
): 'refused_connection' | 'host_unknown_at' | 'no_answer' | 'unreachable' | 'connection_closed' | null {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused_connection';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host_unknown_at';
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return 'no_answer';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'ECONNRESET':
      return 'connection_closed';
    default:
      return null;
  }
}

const HTTP_NETWORK = {
  refused_connection: 'http_refused_connection',
  host_unknown_at: 'http_host_unknown',
  no_answer: 'http_no_answer',
  unreachable: 'http_unreachable',
  connection_closed: 'http_connection_closed',
} as const satisfies Record<NonNullable<ReturnType<typeof networkReason>>, AnswerReason>;

const TLS = /SSL|TLS|certificate|CERT_|self[- ]signed|wrong version number/i;

/** A nodemailer error (from verify or sendMail) as an answer; `to` is the test recipient, when there is one. */
export function smtpAnswer(err: SmtpError, host: string, port: number, to?: string): ChannelAnswer {
  const where = `${host}:${port}`;
  const message = err.message ?? '';
  // Only an SMTP reply line is quoted: whatever else answered on that port (an inside web server…) is never repeated.
  const reply = err.response && /^[2-5]\d\d[ -]/.test(err.response) ? err.response.slice(0, 200) : undefined;
  const failed = (reason: AnswerReason, values: Values = {}, said = reply) => answer(false, reason, values, said);
  if (err.code === 'EAUTH') return failed(err.responseCode ? 'smtp_auth_refused' : 'smtp_auth_needed');
  if (err.code === 'EPROTOCOL') return failed('smtp_not_smtp', { where }, undefined);
  if (err.code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(message))
    return failed('smtp_host_unknown', { host }, undefined);
  if (err.code === 'ETLS' || TLS.test(message)) {
    if (/wrong version number/i.test(message)) return failed('tls_not_at_start', { where }, undefined);
    if (/self[- ]signed|certificate|CERT_/i.test(message))
      return failed('tls_untrusted', {}, message.split('\n')[0]!.slice(0, 120));
    return failed('tls_failed', { where });
  }
  const code = /\b(E[A-Z]+)\b/.exec(message)?.[1];
  const network = code ? networkReason(code) : null;
  if (network) return failed(network, { where }, undefined);
  if (err.code === 'ETIMEDOUT' || /timeout/i.test(message)) return failed('no_answer', { where }, undefined);
  if (err.command === 'RCPT TO' && err.responseCode && err.responseCode >= 500)
    return failed('smtp_recipient_refused', { to: to ?? '' });
  if (err.command === 'RCPT TO' && err.responseCode) return failed('smtp_recipient_later', { to: to ?? '' });
  if (err.command === 'MAIL FROM' && err.responseCode) return failed('smtp_sender_refused');
  if (err.responseCode && err.responseCode >= 400) return failed('smtp_message_refused');
  return failed('smtp_unusable', { where }, reply ?? err.code);
}

/**
 * A failure of an HTTP provider (its error is already in our words, see classify.ts and http.ts) as an answer: network
 * codes say what to check, the rest is passed on as what was received.
 */
export function httpFailureAnswer(error: string, provider: string): ChannelAnswer {
  const code = /\((E[A-Z_]+)\)/.exec(error)?.[1];
  const network = code ? networkReason(code) : null;
  if (network) return answer(false, HTTP_NETWORK[network], { provider });
  if (/^timed out|no answer/.test(error)) return answer(false, 'http_timeout', { provider });
  if (/^HTTP \d{3}/.test(error)) return answer(false, 'http_not_accepted', { provider }, error);
  // Refused by the address guard (src/net) or by the adapter itself: the reason is already a sentence.
  return answer(false, 'http_unusable', { provider }, error);
}
