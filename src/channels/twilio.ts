// SMS through Twilio's Messages API: form-encoded To / From / Body with basic auth; invalid numbers are suppressed.
import { z } from 'zod';
import type { Channel, OutgoingMessage, Provider, ProviderResult } from './types.ts';
import type { Suppress } from './classify.ts';
import { httpUrl, text, timeoutMs } from './fields.ts';
import { failureOf, httpCall, isFailure, isSuccess } from './http.ts';

export const twilioSettings = z
  .strictObject({
    accountSid: text('the Account SID from the Twilio console (AC…)'),
    authToken: text('the Auth Token from the Twilio console'),
    from: text('the sender: a Twilio number in E.164 (+15551234567) or an alphanumeric sender id').optional(),
    messagingServiceSid: text('a Messaging Service SID (MG…), instead of "from"').optional(),
    statusCallback: httpUrl('the URL Twilio reports delivery statuses to').optional(),
    baseUrl: httpUrl('the Twilio API address').default('https://api.twilio.com'),
    timeoutMs,
  })
  .refine((s) => s.from || s.messagingServiceSid, {
    path: ['from'],
    message: 'is required (or messagingServiceSid): the number or sender id messages come from',
  });
export type TwilioSettings = z.infer<typeof twilioSettings>;

/** Twilio error codes that say the recipient can never get this SMS. */
const SUPPRESS: Record<number, Suppress> = {
  21211: 'invalid_address', // invalid 'To' phone number
  21614: 'invalid_address', // 'To' is not a mobile number
  21610: 'unsubscribed', // the recipient replied STOP
};

/** What Twilio's common error codes mean, in our words (Twilio's message is not repeated). */
const MEANING: Record<number, string> = {
  20003: 'the Account SID or Auth Token is wrong',
  21211: 'the number is not a valid phone number',
  21408: 'sending to this region is not enabled on the account',
  21606: 'the "from" number cannot send SMS',
  21610: 'the recipient replied STOP',
  21614: 'the number is not a mobile number',
};

export class TwilioProvider implements Provider {
  readonly name = 'twilio';
  readonly channel: Channel = 'sms';

  constructor(private readonly settings: TwilioSettings) {}

  async send(message: OutgoingMessage): Promise<ProviderResult> {
    if (!message.sms) return { ok: false, retryable: false, error: 'the message has no SMS text to send' };
    const s = this.settings;
    const form = new URLSearchParams({ To: message.to, Body: message.sms.text });
    if (s.messagingServiceSid) form.set('MessagingServiceSid', s.messagingServiceSid);
    else form.set('From', s.from!);
    if (s.statusCallback) form.set('StatusCallback', s.statusCallback);
    const url = `${s.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(s.accountSid)}/Messages.json`;
    const answer = await httpCall(url, {
      headers: {
        authorization: `Basic ${Buffer.from(`${s.accountSid}:${s.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
      timeoutMs: s.timeoutMs,
    });
    if (isFailure(answer)) return answer;
    if (isSuccess(answer)) return { ok: true, providerMessageId: answer.json?.sid };
    const code = Number(answer.json?.code);
    const detail =
      Number.isInteger(code) && code > 0
        ? `Twilio error ${code}${MEANING[code] ? `: ${MEANING[code]}` : ''}`
        : undefined;
    return failureOf(answer, { detail, suppress: SUPPRESS[code] });
  }
}
