// The providers Retain knows, one record each: its channel, settings schema, secret fields, constructor and connection
// check. The record is the list: ProviderName is its keys, so a form (forms.ts) missing for one is a compile error.
import { DomainError, type ErrorBody } from '../lib/index.ts';
import type { z } from 'zod';
import { CHANNELS, type Channel, type Provider } from './types.ts';
import { urlRefusal, type AllowList } from '../net/index.ts';
import { fieldIssues, type FieldIssue } from './fields.ts';
import { FcmProvider, fcmSettings } from './fcm.ts';
import { SmsHttpProvider, smsHttpSettings } from './sms-http.ts';
import { SmtpProvider, smtpSettings } from './smtp.ts';
import { TelegramProvider, telegramSettings } from './telegram.ts';
import { TwilioProvider, twilioSettings } from './twilio.ts';
import { WebhookProvider, webhookSettings } from './webhook.ts';
import { withVapidKeys, WebPushProvider, webPushSettings } from './webpush.ts';
import { checkFcm, checkSmtp, checkTelegram, checkTwilio, checkWebPush, noCheck, settingsComplete } from './check.ts';
import type { ChannelAnswer } from './words.ts';

export interface ProviderSpec<S extends z.ZodType = z.ZodType> {
  channel: Channel;
  settings: S;
  /** Paths of the settings that are credentials: stored encrypted like the rest, but never shown ("a.b", "headers.*"). */
  secrets: string[];
  /** Paths of the settings that are URLs Retain calls: their host must be one it may reach (src/net/policy.ts). */
  contacts?: string[];
  create(settings: z.output<S>): Provider;
  /** Checks the connection with (validated) settings (SMTP: connect and log in); never throws for what the provider answers. */
  check(settings: z.output<S>): ChannelAnswer | Promise<ChannelAnswer>;
  /** Fills in what Retain can make itself when settings are saved (Web Push: a VAPID key pair). */
  prepare?(config: unknown): unknown;
}

const spec = <S extends z.ZodType>(s: ProviderSpec<S>): ProviderSpec => s as unknown as ProviderSpec;

export const PROVIDERS = {
  smtp: spec({
    channel: 'email',
    settings: smtpSettings,
    secrets: ['auth.pass', 'dkim.privateKey'],
    create: (s) => new SmtpProvider(s),
    check: checkSmtp,
  }),
  'sms-http': spec({
    channel: 'sms',
    settings: smsHttpSettings,
    secrets: ['secrets.*'],
    contacts: ['url'],
    create: (s) => new SmsHttpProvider(s),
    check: settingsComplete,
  }),
  twilio: spec({
    channel: 'sms',
    settings: twilioSettings,
    secrets: ['authToken'],
    contacts: ['baseUrl'],
    create: (s) => new TwilioProvider(s),
    check: checkTwilio,
  }),
  webpush: spec({
    channel: 'webpush',
    settings: webPushSettings,
    secrets: ['privateKey'],
    create: (s) => new WebPushProvider(s),
    prepare: withVapidKeys,
    check: checkWebPush,
  }),
  fcm: spec({
    channel: 'push',
    settings: fcmSettings,
    secrets: ['serviceAccount.private_key', 'serviceAccount.private_key_id'],
    contacts: ['baseUrl', 'serviceAccount.token_uri'],
    create: (s) => new FcmProvider(s),
    check: checkFcm,
  }),
  telegram: spec({
    channel: 'telegram',
    settings: telegramSettings,
    secrets: ['botToken'],
    contacts: ['baseUrl'],
    create: (s) => new TelegramProvider(s),
    check: checkTelegram,
  }),
  webhook: spec({
    channel: 'webhook',
    settings: webhookSettings,
    secrets: ['secret'],
    contacts: ['url'],
    create: (s) => new WebhookProvider(s),
    check: settingsComplete,
  }),
} satisfies Record<string, ProviderSpec>;

export type ProviderName = keyof typeof PROVIDERS;
export const PROVIDER_NAMES = Object.keys(PROVIDERS) as ProviderName[];

/** The record of a provider by its stored or requested name, if Retain knows it. */
export const providerSpec = (name: string): ProviderSpec | undefined =>
  Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name as ProviderName] : undefined;

/** Checks a provider's (validated) settings; never throws for what the provider answers. */
export async function checkConnection(provider: string, settings: Record<string, unknown>): Promise<ChannelAnswer> {
  const spec = providerSpec(provider);
  return spec ? spec.check(settings) : noCheck(provider);
}

/** Bad channel settings: every problem by field ("config.auth.pass"), with what to do about it. */
export class ChannelConfigError extends DomainError {
  constructor(readonly issues: FieldIssue[]) {
    super('invalid_request', 400, issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
  /** 400 naming the first field; `issues` holds every one as { field, reason, code, values }. */
  override body(): ErrorBody {
    const issues = this.issues.map((i) => ({
      field: i.field,
      reason: i.message,
      code: i.code,
      ...(i.values ? { values: i.values } : {}),
    }));
    return { error: this.code, message: `${issues[0]!.field}: ${issues[0]!.reason}`, issues };
  }
}

export const providersFor = (channel: Channel) => PROVIDER_NAMES.filter((name) => PROVIDERS[name].channel === channel);

/** Checks the channel and provider names and the settings; answers the settings with their defaults filled in. */
export function validateSettings(
  channel: string,
  providerName: string,
  config: unknown,
): { spec: ProviderSpec; settings: Record<string, unknown> } {
  if (!(CHANNELS as readonly string[]).includes(channel)) {
    throw new ChannelConfigError([
      {
        field: 'channel',
        message: `"${channel}" is not a channel: use one of ${CHANNELS.join(', ')}`,
        code: 'not_a_channel',
        values: { allowed: CHANNELS.join(', ') },
      },
    ]);
  }
  const names = providersFor(channel as Channel);
  const spec = providerSpec(providerName);
  if (!spec || spec.channel !== channel) {
    throw new ChannelConfigError([
      {
        field: 'provider',
        message: `"${providerName}" cannot send ${channel}: use ${names.map((n) => `"${n}"`).join(' or ')}`,
        code: 'wrong_provider',
        values: { allowed: names.join(', ') },
      },
    ]);
  }
  const parsed = spec.settings.safeParse(config ?? {});
  if (!parsed.success) throw new ChannelConfigError(fieldIssues(parsed.error, 'config', config ?? {}));
  return { spec, settings: parsed.data as Record<string, unknown> };
}

/**
 * The URL settings whose host is an address Retain never calls (a loopback, private or metadata IP literal, localhost),
 * unless the operator allows it: one issue per field. Host names are judged when sending, after DNS.
 */
export function refusedContacts(spec: ProviderSpec, settings: Record<string, unknown>, allow: AllowList): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const path of spec.contacts ?? []) {
    const value = path
      .split('.')
      .reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
        settings,
      );
    const refused = typeof value === 'string' ? urlRefusal(value, allow) : null;
    if (refused) issues.push({ field: `config.${path}`, message: refused, code: 'address_refused' });
  }
  return issues;
}

/** A live provider for a channel from its (decrypted) settings; throws ChannelConfigError when they are not valid. */
export function createProvider(channel: Channel, providerName: string, config: unknown): Provider {
  const { spec, settings } = validateSettings(channel, providerName, config);
  return spec.create(settings);
}
