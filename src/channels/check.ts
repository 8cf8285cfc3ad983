// "Check connection": for each provider the most telling harmless thing Retain can do with its settings (SMTP: connect
// and log in; Twilio, Telegram, FCM: ask the provider about the account), answered in words.
import { createECDH } from 'node:crypto';
import nodemailer from 'nodemailer';
import { AccessTokens } from './google-auth.ts';
import { FCM_SCOPE, type FcmSettings } from './fcm.ts';
import { failureOf, httpCall, isFailure, isSuccess } from './http.ts';
import { smtpTransportOptions, type SmtpSettings } from './smtp.ts';
import type { SmtpError } from './smtp-errors.ts';
import type { TelegramSettings } from './telegram.ts';
import type { TwilioSettings } from './twilio.ts';
import type { WebPushSettings } from './webpush.ts';
import { answer, httpFailureAnswer, smtpAnswer, type AnswerReason, type ChannelAnswer } from './words.ts';

const ok = (reason: AnswerReason, values?: Record<string, string>): ChannelAnswer => answer(true, reason, values);
const failed = (reason: AnswerReason, values?: Record<string, string>): ChannelAnswer => answer(false, reason, values);
const trim = (url: string) => url.replace(/\/$/, '');

export async function checkSmtp(s: SmtpSettings): Promise<ChannelAnswer> {
  const transport = nodemailer.createTransport(smtpTransportOptions(s));
  try {
    await transport.verify();
    const where = `${s.host}:${s.port}`;
    return s.auth ? ok('smtp_connected_login', { where, user: s.auth.user }) : ok('smtp_connected', { where });
  } catch (err) {
    return smtpAnswer(err as SmtpError, s.host, s.port);
  } finally {
    transport.close();
  }
}

export async function checkTwilio(s: TwilioSettings): Promise<ChannelAnswer> {
  const reply = await httpCall(`${trim(s.baseUrl)}/2010-04-01/Accounts/${encodeURIComponent(s.accountSid)}.json`, {
    method: 'GET',
    headers: { authorization: `Basic ${Buffer.from(`${s.accountSid}:${s.authToken}`).toString('base64')}` },
    timeoutMs: s.timeoutMs,
  });
  if (isFailure(reply)) return httpFailureAnswer(reply.error, 'Twilio');
  if (isSuccess(reply)) return ok('twilio_ok');
  if (reply.status === 401 || reply.status === 404) return failed('twilio_refused');
  return httpFailureAnswer(failureOf(reply).error, 'Twilio');
}

export async function checkTelegram(s: TelegramSettings): Promise<ChannelAnswer> {
  const reply = await httpCall(`${trim(s.baseUrl)}/bot${s.botToken}/getMe`, { method: 'GET', timeoutMs: s.timeoutMs });
  if (isFailure(reply)) return httpFailureAnswer(reply.error, 'Telegram');
  if (isSuccess(reply) && reply.json?.ok) {
    const name = reply.json.result?.username;
    return typeof name === 'string' ? ok('telegram_ok_bot', { bot: `@${name}` }) : ok('telegram_ok');
  }
  if (reply.status === 401 || reply.status === 404) return failed('telegram_refused');
  return httpFailureAnswer(failureOf(reply).error, 'Telegram');
}

export async function checkFcm(s: FcmSettings): Promise<ChannelAnswer> {
  const token = await new AccessTokens(s.serviceAccount, FCM_SCOPE, s.timeoutMs).get();
  if (typeof token === 'string') return ok('fcm_ok', { project: s.serviceAccount.project_id });
  if (/refused a token/.test(token.error)) return failed('fcm_refused');
  return httpFailureAnswer(token.error, 'Google');
}

export function checkWebPush(s: WebPushSettings): ChannelAnswer {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(s.privateKey, 'base64url'));
    if (ecdh.getPublicKey().toString('base64url') !== s.publicKey) return failed('vapid_mismatch');
    return ok('vapid_ok');
  } catch {
    return failed('vapid_invalid');
  }
}

/** The check of a provider with nothing to reach before a send (an SMS gateway's or a webhook's URL is tried by a test). */
export const settingsComplete = (): ChannelAnswer => ok('settings_complete');

/** A provider the registry does not know (a row saved by a newer version). */
export const noCheck = (provider: string): ChannelAnswer => failed('no_check', { provider });
