// The dashboard's form of each provider (pure data): every field with its label, kind, help and placeholder, and what a
// test is sent to. The dashboard draws its forms from this (GET /api/v1/channels/providers); the settings schemas stay
// the rule the values must follow (test/channels/forms.test.ts keeps the two in step).

import type { ProviderName } from './registry.ts';

export type FieldKind = 'text' | 'secret' | 'number' | 'select' | 'boolean' | 'json';

export interface FormField {
  /** Where the value goes in the settings, dotted ("auth.pass"). */
  path: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  help?: string;
  placeholder?: string;
  /** select: the values to pick from ("" for none). */
  options?: { value: string; label: string }[];
  /** secret: several lines (a PEM key). */
  multiline?: boolean;
  /** Shown under "Advanced": most shops never change it. */
  advanced?: boolean;
}

export interface ProviderForm {
  title: string;
  /** One sentence: what this provider is and where its settings come from. */
  intro: string;
  fields: FormField[];
  /** What "send a test" goes to; null when the settings say it already (a webhook's URL). */
  testTo: { label: string; placeholder: string; help?: string; multiline?: boolean } | null;
  /** What "check connection" does for this provider. */
  check: string;
}

const timeout: FormField = {
  path: 'timeoutMs',
  label: 'Timeout (milliseconds)',
  kind: 'number',
  placeholder: '10000',
  help: 'How long to wait for the provider before a send is tried again later.',
  advanced: true,
};
const address = (path: string, fallback: string): FormField => ({
  path,
  label: 'API address',
  kind: 'text',
  placeholder: fallback,
  help: 'Only change it for a proxy or a test server.',
  advanced: true,
});

/** One form per provider: a provider of the registry without one is a compile error. */
export const FORMS: Record<ProviderName, ProviderForm> = {
  smtp: {
    title: 'SMTP server',
    intro:
      'Any e-mail service that offers SMTP (your host, Postmark, Mailgun, SendGrid, Amazon SES…): copy the SMTP settings from its dashboard.',
    fields: [
      { path: 'host', label: 'SMTP server', kind: 'text', required: true, placeholder: 'smtp.example.com' },
      {
        path: 'port',
        label: 'Port',
        kind: 'number',
        placeholder: '587',
        help: '587 (STARTTLS) is the usual one; 465 for TLS from the start; 25 without.',
      },
      {
        path: 'secure',
        label: 'Use TLS from the start',
        kind: 'boolean',
        help: 'Port 465 always does. Leave off for 587 and 25 (they switch to TLS when the server offers it).',
      },
      { path: 'auth.user', label: 'User name', kind: 'text', placeholder: 'often your e-mail address or "apikey"' },
      { path: 'auth.pass', label: 'Password', kind: 'secret', help: 'The SMTP password or API key.' },
      {
        path: 'from',
        label: 'Sender',
        kind: 'text',
        placeholder: 'Shop <hello@shop.example>',
        help: 'Used when a template does not set its own sender.',
      },
      { path: 'requireTLS', label: 'Refuse to send without TLS', kind: 'boolean', advanced: true },
      {
        path: 'allowInvalidCertificate',
        label: 'Accept a self-signed certificate (test servers only)',
        kind: 'boolean',
        advanced: true,
      },
      {
        path: 'dkim.domainName',
        label: 'DKIM domain',
        kind: 'text',
        placeholder: 'shop.example',
        help: 'Only if Retain signs the mail itself; most services sign it for you.',
        advanced: true,
      },
      { path: 'dkim.keySelector', label: 'DKIM selector', kind: 'text', placeholder: 'retain', advanced: true },
      {
        path: 'dkim.privateKey',
        label: 'DKIM private key',
        kind: 'secret',
        multiline: true,
        placeholder: '-----BEGIN PRIVATE KEY-----',
        advanced: true,
      },
      timeout,
    ],
    testTo: { label: 'Send a test e-mail to', placeholder: 'you@shop.example' },
    check: 'Connects to the server, starts TLS when it offers it, and logs in.',
  },
  'sms-http': {
    title: 'SMS gateway (HTTP)',
    intro:
      'Any SMS service with an HTTP API: describe the request it expects, with {{to}}, {{text}} and {{secrets.NAME}} where the values go.',
    fields: [
      {
        path: 'url',
        label: 'Gateway address',
        kind: 'text',
        required: true,
        placeholder: 'https://sms.example.com/api/send',
      },
      {
        path: 'method',
        label: 'Method',
        kind: 'select',
        options: [
          { value: 'POST', label: 'POST' },
          { value: 'PUT', label: 'PUT' },
          { value: 'GET', label: 'GET' },
        ],
      },
      {
        path: 'format',
        label: 'Body format',
        kind: 'select',
        options: [
          { value: 'json', label: 'JSON' },
          { value: 'form', label: 'Form fields' },
        ],
      },
      {
        path: 'body',
        label: 'Body',
        kind: 'json',
        placeholder: '{"to": "{{to}}", "message": "{{text}}"}',
        help: 'The fields the gateway expects, as JSON.',
      },
      {
        path: 'headers',
        label: 'Headers',
        kind: 'json',
        placeholder: '{"Authorization": "Bearer {{secrets.apiKey}}"}',
      },
      {
        path: 'secrets',
        label: 'Credentials',
        kind: 'json',
        placeholder: '{"apiKey": "…"}',
        help: 'Named secrets, used as {{secrets.NAME}}. Stored values show as ••••: leave them so to keep them.',
      },
      {
        path: 'idPath',
        label: 'Message id in the answer',
        kind: 'text',
        placeholder: 'messages[0].id',
        advanced: true,
      },
      timeout,
    ],
    testTo: {
      label: 'Send a test SMS to',
      placeholder: '+4915112345678',
      help: 'A phone number in international format.',
    },
    check: 'Checks the settings; a gateway is tried by sending a test.',
  },
  twilio: {
    title: 'Twilio',
    intro: 'SMS through Twilio: the Account SID and Auth Token are on the Twilio console’s home page.',
    fields: [
      { path: 'accountSid', label: 'Account SID', kind: 'text', required: true, placeholder: 'AC…' },
      { path: 'authToken', label: 'Auth Token', kind: 'secret', required: true },
      {
        path: 'from',
        label: 'Sender',
        kind: 'text',
        placeholder: '+15551234567',
        help: 'A Twilio number in international format, or a sender name. Or fill in the Messaging Service instead.',
      },
      { path: 'messagingServiceSid', label: 'Messaging Service SID', kind: 'text', placeholder: 'MG…' },
      {
        path: 'statusCallback',
        label: 'Delivery status URL',
        kind: 'text',
        placeholder: 'https://retain.shop.example/…',
        advanced: true,
      },
      address('baseUrl', 'https://api.twilio.com'),
      timeout,
    ],
    testTo: {
      label: 'Send a test SMS to',
      placeholder: '+4915112345678',
      help: 'A phone number in international format.',
    },
    check: 'Asks Twilio for the account: proves the Account SID and Auth Token.',
  },
  webpush: {
    title: 'Web Push',
    intro:
      'Notifications in your visitors’ browsers. Retain makes the key pair (VAPID) for you; then paste the snippet on your site.',
    fields: [
      {
        path: 'subject',
        label: 'Contact',
        kind: 'text',
        required: true,
        placeholder: 'mailto:you@shop.example',
        help: 'How push services can reach you: mailto: and your e-mail, or your site’s https:// address.',
      },
      {
        path: 'publicKey',
        label: 'VAPID public key',
        kind: 'text',
        help: 'Leave both keys empty, or press "Generate VAPID keys", to have Retain make a pair.',
      },
      { path: 'privateKey', label: 'VAPID private key', kind: 'secret' },
      {
        path: 'urgency',
        label: 'Urgency',
        kind: 'select',
        options: [
          { value: 'very-low', label: 'Very low' },
          { value: 'low', label: 'Low' },
          { value: 'normal', label: 'Normal' },
          { value: 'high', label: 'High' },
        ],
        advanced: true,
      },
      {
        path: 'ttlSeconds',
        label: 'Keep undelivered notifications for (seconds)',
        kind: 'number',
        placeholder: '86400',
        advanced: true,
      },
      timeout,
    ],
    testTo: {
      label: 'Send a test notification to the subscription',
      placeholder: '{"endpoint": "https://…", "keys": {"p256dh": "…", "auth": "…"}}',
      help: 'A browser’s subscription as JSON (a customer’s webpush_subscriptions trait holds them).',
      multiline: true,
    },
    check: 'Checks that the key pair is a valid VAPID pair.',
  },
  fcm: {
    title: 'Firebase Cloud Messaging',
    intro:
      'Push to your app through Firebase: in the Firebase console, Project settings → Service accounts → Generate new private key, then paste the file.',
    fields: [
      {
        path: 'serviceAccount',
        label: 'Service account key file',
        kind: 'json',
        required: true,
        placeholder: '{"type": "service_account", "project_id": "…", …}',
        help: 'The whole JSON file. Its private key shows as •••• once saved: leave it so to keep it.',
      },
      address('baseUrl', 'https://fcm.googleapis.com'),
      timeout,
    ],
    testTo: {
      label: 'Send a test notification to the device token',
      placeholder: 'the FCM registration token of a device',
    },
    check: 'Signs in to Google with the service account.',
  },
  telegram: {
    title: 'Telegram bot',
    intro: 'Messages from your Telegram bot: create one with @BotFather and paste the token it gives you.',
    fields: [
      { path: 'botToken', label: 'Bot token', kind: 'secret', required: true, placeholder: '123456:ABC-DEF…' },
      {
        path: 'parseMode',
        label: 'Formatting',
        kind: 'select',
        options: [
          { value: '', label: 'Plain text' },
          { value: 'HTML', label: 'HTML' },
          { value: 'MarkdownV2', label: 'MarkdownV2' },
        ],
      },
      { path: 'disableLinkPreview', label: 'No link previews', kind: 'boolean' },
      address('baseUrl', 'https://api.telegram.org'),
      timeout,
    ],
    testTo: {
      label: 'Send a test message to the chat id',
      placeholder: '123456789',
      help: 'The chat must have started your bot.',
    },
    check: 'Asks Telegram who the bot is: proves the token.',
  },
  webhook: {
    title: 'Webhook',
    intro: 'Each message as JSON, POSTed to your address and signed with your secret (header X-Retain-Signature).',
    fields: [
      { path: 'url', label: 'Address', kind: 'text', required: true, placeholder: 'https://hooks.shop.example/retain' },
      {
        path: 'secret',
        label: 'Signing secret',
        kind: 'secret',
        required: true,
        help: '16 characters or more; the receiver uses it to check the signature.',
      },
      { path: 'headers', label: 'Extra headers', kind: 'json', placeholder: '{"X-Api-Key": "…"}', advanced: true },
      timeout,
    ],
    testTo: null,
    check: 'Checks the settings; the address is tried by sending a test.',
  },
};

/** The form of a provider by its stored or requested name, if Retain knows it. */
export const formOf = (name: string): ProviderForm | undefined =>
  Object.hasOwn(FORMS, name) ? FORMS[name as ProviderName] : undefined;
