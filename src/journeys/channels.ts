// The channels a journey's send step can name (pure, no imports: the dashboard's editor suggests them too).
/**
 * The channels a send step can name, with the template content each sends (web push sends the `push` content) and
 * how a marketer calls it. The same as messaging's CHANNELS and contentChannel, which journeys cannot import (messaging
 * depends on journeys); test/journeys/readiness.test.ts holds them equal.
 */
export const SEND_CHANNELS: Record<string, { content: string; label: string }> = {
  email: { content: 'email', label: 'e-mail' },
  sms: { content: 'sms', label: 'SMS' },
  push: { content: 'push', label: 'mobile push' },
  webpush: { content: 'push', label: 'web push' },
  telegram: { content: 'telegram', label: 'Telegram' },
  webhook: { content: 'webhook', label: 'webhook' },
};
