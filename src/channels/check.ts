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
import { httpFailureInWords, smtpInWords, type ChannelAnswer } from './words.ts';

const ok = (message: string): ChannelAnswer => ({ ok: true, message });
const failed = (message: string): ChannelAnswer => ({ ok: false, message });
const trim = (url: string) => url.replace(/\/$/, '');

export async function checkSmtp(s: SmtpSettings): Promise<ChannelAnswer> {
  const transport = nodemailer.createTransport(smtpTransportOptions(s));
  try {
    await transport.verify();
    return ok(`Connected to ${s.host}:${s.port}${s.auth ? ` and logged in as ${s.auth.user}` : ' (no login: the server did not ask for one)'}.`);
  } catch (err) {
    return failed(smtpInWords(err as SmtpError, s.host, s.port));
  } finally {
    transport.close();
  }
}

export async function checkTwilio(s: TwilioSettings): Promise<ChannelAnswer> {
  const answer = await httpCall(`${trim(s.baseUrl)}/2010-04-01/Accounts/${encodeURIComponent(s.accountSid)}.json`, {
    method: 'GET',
    headers: { authorization: `Basic ${Buffer.from(`${s.accountSid}:${s.authToken}`).toString('base64')}` },
    timeoutMs: s.timeoutMs,
  });
  if (isFailure(answer)) return failed(httpFailureInWords(answer.error, 'Twilio'));
  if (isSuccess(answer)) return ok('Twilio accepted the Account SID and Auth Token.');
  if (answer.status === 401 || answer.status === 404) return failed('Twilio refused the Account SID or the Auth Token: copy them again from the Twilio console.');
  return failed(httpFailureInWords(failureOf(answer).error, 'Twilio'));
}

export async function checkTelegram(s: TelegramSettings): Promise<ChannelAnswer> {
  const answer = await httpCall(`${trim(s.baseUrl)}/bot${s.botToken}/getMe`, { method: 'GET', timeoutMs: s.timeoutMs });
  if (isFailure(answer)) return failed(httpFailureInWords(answer.error, 'Telegram'));
  if (isSuccess(answer) && answer.json?.ok) {
    const name = typeof answer.json.result?.username === 'string' ? `@${answer.json.result.username}` : 'the bot';
    return ok(`Telegram knows the token: messages will come from ${name}.`);
  }
  if (answer.status === 401 || answer.status === 404) return failed('Telegram does not know this bot token: copy it again from @BotFather.');
  return failed(httpFailureInWords(failureOf(answer).error, 'Telegram'));
}

export async function checkFcm(s: FcmSettings): Promise<ChannelAnswer> {
  const token = await new AccessTokens(s.serviceAccount, FCM_SCOPE, s.timeoutMs).get();
  if (typeof token === 'string') return ok(`Google accepted the service account of project ${s.serviceAccount.project_id}.`);
  if (/refused a token/.test(token.error)) return failed('Google refused the service account: generate a new private key in the Firebase console and paste the new file.');
  return failed(httpFailureInWords(token.error, 'Google'));
}

export function checkWebPush(s: WebPushSettings): ChannelAnswer {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(s.privateKey, 'base64url'));
    if (ecdh.getPublicKey().toString('base64url') !== s.publicKey) return failed('The VAPID public key does not belong to the private key: press "Generate VAPID keys" for a new pair, or paste both keys again.');
    return ok('The VAPID keys are a valid pair. Paste the snippet on your site, then send a test to a subscription.');
  } catch {
    return failed('The VAPID private key is not a valid key: press "Generate VAPID keys" for a new pair, or paste both keys again.');
  }
}

/** The check of a provider with nothing to reach before a send (an SMS gateway's or a webhook's URL is tried by a test). */
export const settingsComplete = (): ChannelAnswer => ok('The settings are complete. Send a test to try the address.');

/** A provider the registry does not know (a row saved by a newer version). */
export const noCheck = (provider: string): ChannelAnswer => failed(`There is no check for the provider "${provider}".`);
