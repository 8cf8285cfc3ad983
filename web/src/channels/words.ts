// The channel set-up page's server words in the dashboard's language (pure but for t): each provider form's title,
// intro, fields, options and test box by the provider's name and the field's path (the stable ids the API sends); the
// answers of "check connection" and "send a test" by their reason; field problems by their code. What the provider
// itself said stays as received, shown apart. A provider or field Retain has no words for keeps the server's English.
import type { AnswerReason } from '../../../src/channels/words.ts';
import type { IssueCode } from '../../../src/channels/fields.ts';
import type { ProviderName } from '../../../src/channels/registry.ts';
import type { ChannelAnswer, FormField, ProviderForm } from './types.ts';
import { currentLanguage, t } from '../i18n/index.ts';

type Values = Record<string, string | number>;

interface FieldWords {
  label: string;
  help?: string;
  placeholder?: string;
  /** select: option value → its words. */
  options?: Record<string, string>;
}

interface FormWords {
  title?: string;
  intro: string;
  check: string;
  testTo?: { label: string; help?: string; placeholder?: string };
  fields: Record<string, () => FieldWords>;
}

const timeout = () => ({ label: t('providerForm.timeout'), help: t('providerForm.timeoutHelp') });
const address = () => ({ label: t('providerForm.address'), help: t('providerForm.addressHelp') });
const smsTestTo = () => ({ label: t('providerForm.smsTestTo'), help: t('providerForm.smsTestToHelp') });

/** Every provider's words: a provider of the registry without them is a compile error. */
const FORM_WORDS: Record<ProviderName, () => FormWords> = {
  smtp: () => ({
    title: t('providerForm.smtp.title'),
    intro: t('providerForm.smtp.intro'),
    check: t('providerForm.smtp.check'),
    testTo: { label: t('providerForm.smtp.testTo') },
    fields: {
      host: () => ({ label: t('providerForm.smtp.host') }),
      port: () => ({ label: t('providerForm.smtp.port'), help: t('providerForm.smtp.portHelp') }),
      secure: () => ({ label: t('providerForm.smtp.secure'), help: t('providerForm.smtp.secureHelp') }),
      'auth.user': () => ({ label: t('providerForm.smtp.user'), placeholder: t('providerForm.smtp.userPlaceholder') }),
      'auth.pass': () => ({ label: t('providerForm.smtp.pass'), help: t('providerForm.smtp.passHelp') }),
      from: () => ({ label: t('providerForm.smtp.from'), help: t('providerForm.smtp.fromHelp') }),
      requireTLS: () => ({ label: t('providerForm.smtp.requireTLS') }),
      allowInvalidCertificate: () => ({ label: t('providerForm.smtp.allowInvalidCertificate') }),
      'dkim.domainName': () => ({
        label: t('providerForm.smtp.dkimDomain'),
        help: t('providerForm.smtp.dkimDomainHelp'),
      }),
      'dkim.keySelector': () => ({ label: t('providerForm.smtp.dkimSelector') }),
      'dkim.privateKey': () => ({ label: t('providerForm.smtp.dkimKey') }),
      timeoutMs: timeout,
    },
  }),
  'sms-http': () => ({
    title: t('providerForm.smsHttp.title'),
    intro: t('providerForm.smsHttp.intro'),
    check: t('providerForm.smsHttp.check'),
    testTo: smsTestTo(),
    fields: {
      url: () => ({ label: t('providerForm.smsHttp.url') }),
      method: () => ({ label: t('providerForm.smsHttp.method') }),
      format: () => ({
        label: t('providerForm.smsHttp.format'),
        options: { form: t('providerForm.smsHttp.formatForm') },
      }),
      body: () => ({ label: t('providerForm.smsHttp.body'), help: t('providerForm.smsHttp.bodyHelp') }),
      headers: () => ({ label: t('providerForm.smsHttp.headers') }),
      secrets: () => ({ label: t('providerForm.smsHttp.secrets'), help: t('providerForm.smsHttp.secretsHelp') }),
      idPath: () => ({ label: t('providerForm.smsHttp.idPath') }),
      timeoutMs: timeout,
    },
  }),
  twilio: () => ({
    intro: t('providerForm.twilio.intro'),
    check: t('providerForm.twilio.check'),
    testTo: smsTestTo(),
    fields: {
      from: () => ({ label: t('providerForm.twilio.from'), help: t('providerForm.twilio.fromHelp') }),
      statusCallback: () => ({ label: t('providerForm.twilio.statusCallback') }),
      baseUrl: address,
      timeoutMs: timeout,
    },
  }),
  webpush: () => ({
    intro: t('providerForm.webpush.intro'),
    check: t('providerForm.webpush.check'),
    testTo: { label: t('providerForm.webpush.testTo'), help: t('providerForm.webpush.testToHelp') },
    fields: {
      subject: () => ({ label: t('providerForm.webpush.subject'), help: t('providerForm.webpush.subjectHelp') }),
      publicKey: () => ({ label: t('providerForm.webpush.publicKey'), help: t('providerForm.webpush.publicKeyHelp') }),
      privateKey: () => ({ label: t('providerForm.webpush.privateKey') }),
      urgency: () => ({
        label: t('providerForm.webpush.urgency'),
        options: {
          'very-low': t('providerForm.webpush.urgencyVeryLow'),
          low: t('providerForm.webpush.urgencyLow'),
          normal: t('providerForm.webpush.urgencyNormal'),
          high: t('providerForm.webpush.urgencyHigh'),
        },
      }),
      ttlSeconds: () => ({ label: t('providerForm.webpush.ttl') }),
      timeoutMs: timeout,
    },
  }),
  fcm: () => ({
    intro: t('providerForm.fcm.intro'),
    check: t('providerForm.fcm.check'),
    testTo: { label: t('providerForm.fcm.testTo'), placeholder: t('providerForm.fcm.testToPlaceholder') },
    fields: {
      serviceAccount: () => ({
        label: t('providerForm.fcm.serviceAccount'),
        help: t('providerForm.fcm.serviceAccountHelp'),
      }),
      baseUrl: address,
      timeoutMs: timeout,
    },
  }),
  telegram: () => ({
    title: t('providerForm.telegram.title'),
    intro: t('providerForm.telegram.intro'),
    check: t('providerForm.telegram.check'),
    testTo: { label: t('providerForm.telegram.testTo'), help: t('providerForm.telegram.testToHelp') },
    fields: {
      botToken: () => ({ label: t('providerForm.telegram.botToken') }),
      parseMode: () => ({
        label: t('providerForm.telegram.parseMode'),
        options: { '': t('providerForm.telegram.plainText') },
      }),
      disableLinkPreview: () => ({ label: t('providerForm.telegram.noPreview') }),
      baseUrl: address,
      timeoutMs: timeout,
    },
  }),
  webhook: () => ({
    title: t('providerForm.webhook.title'),
    intro: t('providerForm.webhook.intro'),
    check: t('providerForm.webhook.check'),
    fields: {
      url: () => ({ label: t('providerForm.webhook.url') }),
      secret: () => ({ label: t('providerForm.webhook.secret'), help: t('providerForm.webhook.secretHelp') }),
      headers: () => ({ label: t('providerForm.webhook.headers') }),
      timeoutMs: timeout,
    },
  }),
};

/** The paths of each provider's fields that have words here (the test keeps them in step with src/channels/forms.ts). */
export function wordedFields(provider: ProviderName): string[] {
  return Object.keys(FORM_WORDS[provider]().fields);
}

function fieldIn(field: FormField, words: FieldWords | undefined): FormField {
  if (!words) return field;
  return {
    ...field,
    label: words.label,
    ...(words.help !== undefined ? { help: words.help } : {}),
    ...(words.placeholder !== undefined ? { placeholder: words.placeholder } : {}),
    ...(field.options
      ? { options: field.options.map((o) => ({ ...o, label: words.options?.[o.value] ?? o.label })) }
      : {}),
  };
}

/** A provider's form as the server describes it, in the dashboard's language where Retain has the words. */
export function formInLanguage(provider: string, form: ProviderForm): ProviderForm {
  if (!Object.hasOwn(FORM_WORDS, provider)) return form;
  const words = FORM_WORDS[provider as ProviderName]();
  return {
    ...form,
    title: words.title ?? form.title,
    intro: words.intro,
    check: words.check,
    fields: form.fields.map((f) => fieldIn(f, words.fields[f.path]?.())),
    testTo: form.testTo && words.testTo ? { ...form.testTo, ...words.testTo } : form.testTo,
  };
}

const ANSWERS: Record<AnswerReason, (v: Values) => string> = {
  refused_connection: (v) => t('channelAnswer.refused_connection', v),
  host_unknown_at: (v) => t('channelAnswer.host_unknown_at', v),
  no_answer: (v) => t('channelAnswer.no_answer', v),
  unreachable: (v) => t('channelAnswer.unreachable', v),
  connection_closed: (v) => t('channelAnswer.connection_closed', v),
  http_refused_connection: (v) => t('channelAnswer.http_refused_connection', v),
  http_host_unknown: (v) => t('channelAnswer.http_host_unknown', v),
  http_no_answer: (v) => t('channelAnswer.http_no_answer', v),
  http_unreachable: (v) => t('channelAnswer.http_unreachable', v),
  http_connection_closed: (v) => t('channelAnswer.http_connection_closed', v),
  http_timeout: (v) => t('channelAnswer.http_timeout', v),
  http_not_accepted: (v) => t('channelAnswer.http_not_accepted', v),
  http_unusable: (v) => t('channelAnswer.http_unusable', v),
  smtp_auth_refused: () => t('channelAnswer.smtp_auth_refused'),
  smtp_auth_needed: () => t('channelAnswer.smtp_auth_needed'),
  smtp_not_smtp: (v) => t('channelAnswer.smtp_not_smtp', v),
  smtp_host_unknown: (v) => t('channelAnswer.smtp_host_unknown', v),
  tls_not_at_start: (v) => t('channelAnswer.tls_not_at_start', v),
  tls_untrusted: () => t('channelAnswer.tls_untrusted'),
  tls_failed: (v) => t('channelAnswer.tls_failed', v),
  smtp_recipient_refused: (v) => t('channelAnswer.smtp_recipient_refused', v),
  smtp_recipient_later: (v) => t('channelAnswer.smtp_recipient_later', v),
  smtp_sender_refused: () => t('channelAnswer.smtp_sender_refused'),
  smtp_message_refused: () => t('channelAnswer.smtp_message_refused'),
  smtp_unusable: (v) => t('channelAnswer.smtp_unusable', v),
  smtp_connected_login: (v) => t('channelAnswer.smtp_connected_login', v),
  smtp_connected: (v) => t('channelAnswer.smtp_connected', v),
  twilio_ok: () => t('channelAnswer.twilio_ok'),
  twilio_refused: () => t('channelAnswer.twilio_refused'),
  telegram_ok_bot: (v) => t('channelAnswer.telegram_ok_bot', v),
  telegram_ok: () => t('channelAnswer.telegram_ok'),
  telegram_refused: () => t('channelAnswer.telegram_refused'),
  fcm_ok: (v) => t('channelAnswer.fcm_ok', v),
  fcm_refused: () => t('channelAnswer.fcm_refused'),
  vapid_ok: () => t('channelAnswer.vapid_ok'),
  vapid_mismatch: () => t('channelAnswer.vapid_mismatch'),
  vapid_invalid: () => t('channelAnswer.vapid_invalid'),
  settings_complete: () => t('channelAnswer.settings_complete'),
  no_check: (v) => t('channelAnswer.no_check', v),
  smtp_sent: (v) => t('channelAnswer.smtp_sent', v),
  sent: (v) => t('channelAnswer.sent', v),
  sent_id: (v) => t('channelAnswer.sent_id', v),
};

/**
 * An answer in the dashboard's language, and what the provider said as received (labelled), if anything. A provider
 * named by its English form title is named by its title here; an answer of an unknown reason keeps the server's words.
 */
export function answerWords(
  answer: Pick<ChannelAnswer, 'message'> & Partial<ChannelAnswer>,
  titles: Record<string, string>,
): { text: string; said?: string } {
  if (!answer.reason || !Object.hasOwn(ANSWERS, answer.reason)) return { text: answer.message };
  const values = { ...answer.values };
  if (values.provider && titles[values.provider]) values.provider = titles[values.provider]!;
  return {
    text: ANSWERS[answer.reason](values),
    ...(answer.said ? { said: t('channelAnswer.said', { said: answer.said }) } : {}),
  };
}

const PROBLEMS: Record<IssueCode, (v: Values) => string> = {
  required: () => t('fieldProblem.required'),
  wrong_type: (v) => t('fieldProblem.wrong_type', { expected: v.expected ?? '' }),
  empty: () => t('fieldProblem.empty'),
  too_small: (v) => t('fieldProblem.too_small', { min: v.min ?? '' }),
  too_big: (v) => t('fieldProblem.too_big', { max: v.max ?? '' }),
  not_whole: () => t('fieldProblem.not_whole'),
  not_url: () => t('fieldProblem.not_url'),
  not_one_of: (v) => t('fieldProblem.not_one_of', { allowed: v.allowed ?? '' }),
  unknown_setting: () => t('fieldProblem.unknown_setting'),
  invalid: () => t('fieldProblem.invalid'),
  address_refused: () => t('fieldProblem.address_refused'),
  no_stored_secret: () => t('fieldProblem.no_stored_secret'),
  bad_rate: (v) => t('fieldProblem.bad_rate', { min: v.min ?? '' }),
  bad_price: () => t('fieldProblem.bad_price'),
  not_a_channel: (v) => t('fieldProblem.not_a_channel', { allowed: v.allowed ?? '' }),
  wrong_provider: (v) => t('fieldProblem.wrong_provider', { allowed: v.allowed ?? '' }),
};

/**
 * A field problem the API named by its code, in the dashboard's language; in English, or without a known code, the
 * API's own words (they add a hint of what to put there).
 */
export function problemWords(issue: { reason: string; code?: string; values?: Values }): string {
  return currentLanguage() !== 'en' && issue.code && Object.hasOwn(PROBLEMS, issue.code)
    ? PROBLEMS[issue.code as IssueCode](issue.values ?? {})
    : issue.reason;
}

/** A form field's own problem found in the browser (a JSON field that does not parse). */
export const notJson = () => t('fieldProblem.notJson');

/** A problem of a setting inside a JSON field ("apiKey: is required"). */
export const insideProblem = (setting: string, problem: string) => t('fieldProblem.inside', { setting, problem });
