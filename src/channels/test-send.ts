// "Send a test": one short message through the provider's settings to the address the marketer typed, answered in words.
import nodemailer from 'nodemailer';
import type { Channel, OutgoingMessage } from './types.ts';
import { formOf } from './forms.ts';
import { ChannelConfigError, type ProviderSpec } from './registry.ts';
import { smtpTransportOptions, type SmtpSettings } from './smtp.ts';
import type { SmtpError } from './smtp-errors.ts';
import { answer, httpFailureAnswer, smtpAnswer, type ChannelAnswer } from './words.ts';
import { assertNever } from '../lib/index.ts';

const TITLE = 'Test from Retain';
const TEXT = 'This is a test from Retain: your channel settings work.';

/** The test message of a channel. */
export function testMessage(channel: Channel, to: string, key: string): OutgoingMessage {
  const base = { key, channel, to, purpose: 'transactional' as const };
  switch (channel) {
    case 'email':
      return { ...base, email: { subject: TITLE, text: TEXT, html: `<p>${TEXT}</p>` } };
    case 'sms':
      return { ...base, sms: { text: TEXT } };
    case 'push':
    case 'webpush':
      return { ...base, push: { title: TITLE, body: TEXT } };
    case 'telegram':
      return { ...base, telegram: { text: TEXT } };
    case 'webhook':
      return { ...base, webhook: { body: { type: 'test', text: TEXT } } };
    default:
      return assertNever(channel, 'channel');
  }
}

/** SMTP over one connection, so that a refusal keeps its reply code and command for the sentence. */
async function sendSmtpTest(s: SmtpSettings, to: string): Promise<ChannelAnswer> {
  if (!s.from)
    throw new ChannelConfigError([
      {
        field: 'config.from',
        message: 'is required to send: the sender, e.g. "Shop <hello@shop.example>"',
        code: 'required',
      },
    ]);
  const transport = nodemailer.createTransport(smtpTransportOptions(s));
  try {
    const info = await transport.sendMail({ from: s.from, to, subject: TITLE, text: TEXT, html: `<p>${TEXT}</p>` });
    return answer(
      true,
      'smtp_sent',
      { host: s.host, to },
      info.response ? String(info.response).slice(0, 120) : undefined,
    );
  } catch (err) {
    return smtpAnswer(err as SmtpError, s.host, s.port, to);
  } finally {
    transport.close();
  }
}

/** Sends the test; throws ChannelConfigError when `to` is missing (the field "to"). */
export async function sendTest(
  providerName: string,
  spec: ProviderSpec,
  settings: Record<string, unknown>,
  to: string | undefined,
  key: string,
): Promise<ChannelAnswer> {
  const form = formOf(providerName);
  const target = form?.testTo === null ? '' : (to ?? '').trim();
  if (form?.testTo && !target)
    throw new ChannelConfigError([
      {
        field: 'to',
        message: `is required: where the test should go, e.g. ${form.testTo.placeholder}`,
        code: 'required',
      },
    ]);
  if (providerName === 'smtp') return sendSmtpTest(settings as unknown as SmtpSettings, target);
  const provider = spec.create(settings);
  const title = form?.title ?? providerName;
  try {
    const result = await provider.send(testMessage(spec.channel, target, key));
    if (result.ok)
      return result.providerMessageId
        ? answer(true, 'sent_id', { provider: title, id: result.providerMessageId })
        : answer(true, 'sent', { provider: title });
    return httpFailureAnswer(result.error, title);
  } finally {
    await Promise.resolve(provider.close?.()).catch(() => undefined);
  }
}
