// E-mail over SMTP with nodemailer: a pool of connections per provider, DKIM signing when configured. The message is
// composed by mime.ts (one Buffer) and handed to nodemailer as `raw`; only what that cannot build goes through
// nodemailer's own composer. A connection lost once the message's data had begun to flow (after the server's 354) is in
// doubt: the server may have queued it.
import type { Readable } from 'node:stream';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { z } from 'zod';
import type { Channel, OutgoingMessage, Provider, ProviderResult } from './types.ts';
import { text, timeoutMs, whole } from './fields.ts';
import { classifySmtpError } from './smtp-errors.ts';
import { composeMime } from './mime.ts';

export const smtpSettings = z.strictObject({
  host: text('the SMTP server, e.g. smtp.example.com'),
  port: whole('the SMTP port: 587 (STARTTLS), 465 (TLS) or 25', 1, 65_535).default(587),
  secure: z
    .boolean({ error: 'must be true or false: true for implicit TLS (port 465), false for STARTTLS or none' })
    .optional(),
  /** Refuse to send without TLS (STARTTLS must succeed). */
  requireTLS: z.boolean({ error: 'must be true or false' }).default(false),
  /** Accept a self-signed or otherwise unverifiable server certificate (test servers only). */
  allowInvalidCertificate: z.boolean({ error: 'must be true or false' }).default(false),
  auth: z
    .strictObject(
      { user: text('the SMTP user name'), pass: text('the SMTP password or API key') },
      { error: 'must be {"user": "…", "pass": "…"} or left out' },
    )
    .optional(),
  from: text('the default sender, e.g. "Shop <hello@shop.example>"').optional(),
  pool: z
    .strictObject({
      maxConnections: whole('parallel SMTP connections', 1, 100).default(5),
      maxMessages: whole('messages per connection before it is renewed', 1, 100_000).default(100),
    })
    .default({ maxConnections: 5, maxMessages: 100 }),
  dkim: z
    .strictObject(
      {
        domainName: text('the signing domain, e.g. shop.example'),
        keySelector: text('the DKIM selector published in DNS as <selector>._domainkey.<domain>'),
        privateKey: text('the PEM private key whose public half is in that DNS record'),
      },
      { error: 'must be {"domainName", "keySelector", "privateKey"} or left out' },
    )
    .optional(),
  timeoutMs,
});
export type SmtpSettings = z.infer<typeof smtpSettings>;

/** One bare address: a list or a display name in `to` would reach other people than the customer. */
const ONE_ADDRESS = /^[^\s@,;<>"]+@[^\s@,;<>"]+$/;

/** Per message: the stream nodemailer sends its data from (the last one, when a pooled connection requeued it). */
interface HandOver {
  stream?: Readable;
}
/** The mail option under which a message carries its HandOver to the transport's stream plugin. */
const HAND_OVER = 'retainHandOver';

/** How nodemailer reaches the server (a pool adds its own limits; a connection check or a test uses one connection). */
export function smtpTransportOptions(settings: SmtpSettings) {
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.secure ?? settings.port === 465,
    requireTLS: settings.requireTLS,
    tls: settings.allowInvalidCertificate ? { rejectUnauthorized: false } : undefined,
    auth: settings.auth,
    dkim: settings.dkim,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: Math.max(settings.timeoutMs, 30_000),
  };
}

export class SmtpProvider implements Provider {
  readonly name = 'smtp';
  readonly channel: Channel = 'email';
  private readonly transport: Transporter;
  /** The pool's connections: the dispatcher hands off no more messages at once. */
  get connections(): number {
    return this.settings.pool.maxConnections;
  }

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      pool: true,
      ...smtpTransportOptions(settings),
      maxConnections: settings.pool.maxConnections,
      maxMessages: settings.pool.maxMessages,
    });
    // Keeps the stream each message is sent from: once the connection has read from it (the server said 354 and the
    // data began to flow), a failure without a reply is in doubt. The same signal nodemailer's pool uses to resend a
    // message on another connection ("not a byte of the message was sent").
    this.transport.use('stream', (mail, done) => {
      const handOver = (mail.data as Record<string, unknown>)[HAND_OVER] as HandOver | undefined;
      const message = mail.message as unknown as { createReadStream: (...args: unknown[]) => Readable };
      if (handOver) {
        const create = message.createReadStream.bind(message);
        message.createReadStream = (...args: unknown[]) => (handOver.stream = create(...args));
      }
      done();
    });
  }

  async send(message: OutgoingMessage): Promise<ProviderResult> {
    const email = message.email;
    if (!email) return { ok: false, retryable: false, error: 'the message has no e-mail content to send' };
    if (!ONE_ADDRESS.test(message.to))
      return {
        ok: false,
        retryable: false,
        error: `"${message.to}" is not one e-mail address`,
        suppress: 'invalid_address',
      };
    const from = email.from ?? this.settings.from;
    if (!from)
      return {
        ok: false,
        retryable: false,
        error: 'no sender: set "from" in the e-mail channel settings or in the template',
      };
    const handOver: HandOver = {};
    try {
      const mail = {
        from,
        to: message.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: email.headers,
      };
      const composed = composeMime(mail);
      const options: SendMailOptions = composed
        ? { envelope: composed.envelope, raw: composed.raw, messageId: composed.messageId }
        : { ...mail, textEncoding: 'base64' };
      const info = await this.transport.sendMail(Object.assign(options, { [HAND_OVER]: handOver }));
      return { ok: true, providerMessageId: composed?.messageId ?? info.messageId };
    } catch (err) {
      return classifySmtpError(
        err as Parameters<typeof classifySmtpError>[0],
        handOver.stream?.readableDidRead === true,
      );
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
