// A workspace set up to send what a journey sends, for tests about something else (a journey is activated only when
// it can go live): each template its send steps name, with content for their channels, and a provider for each of
// those channels. The providers point at closed local ports: tests that send configure their own.
import type { Db } from '../../src/store/db.ts';
import { saveChannel } from '../../src/channels/store.ts';
import { createTemplate, getTemplate } from '../../src/messaging/templates/store.ts';
import { SEND_CHANNELS } from '../../src/journeys/readiness.ts';

/** Content of each kind that passes the template check. */
const CONTENT: Record<string, object> = {
  email: { subject: 'Hello', html: '<p>Hello {{ customer.first_name | default: "there" }}</p>' },
  sms: { text: 'Hello' },
  push: { title: 'Hello', body: 'Hello' },
  telegram: { text: 'Hello' },
  webhook: { body: { customer: '{{ customer.id }}' } },
};

/** Settings each channel's provider accepts; nothing listens at these addresses. */
const PROVIDERS: Record<string, { provider: string; config: object }> = {
  email: { provider: 'smtp', config: { host: '127.0.0.1', port: 9, secure: false, from: 'Shop <shop@example.com>' } },
  sms: { provider: 'sms-http', config: { url: 'http://127.0.0.1:9/sms', body: { to: '{{to}}', text: '{{text}}' } } },
  push: {
    provider: 'fcm',
    config: {
      serviceAccount: {
        project_id: 'shop',
        client_email: 'retain@shop.iam.gserviceaccount.com',
        private_key: 'not used',
      },
    },
  },
  webpush: { provider: 'webpush', config: { subject: 'mailto:ops@shop.example' } },
  telegram: { provider: 'telegram', config: { botToken: '123456:not-used' } },
  webhook: { provider: 'webhook', config: { url: 'http://127.0.0.1:9/hook', secret: '0123456789abcdef' } },
};

interface SendStep {
  type: string;
  template?: string;
  channel?: { fixed: string } | { best: string[] } | { cascade: { channel: string }[] };
}

const channelsOf = (policy: NonNullable<SendStep['channel']>): string[] =>
  'fixed' in policy ? [policy.fixed] : 'best' in policy ? policy.best : policy.cascade.map((c) => c.channel);

/** Creates the templates (with content for the channels they are sent on) and providers `definition` needs and lacks. */
export async function provideFor(db: Db, ws: string, definition: object): Promise<void> {
  const sends = ((definition as { steps?: SendStep[] }).steps ?? []).filter(
    (s) => s.type === 'send' && s.template && s.channel,
  );
  const byTemplate = new Map<string, Set<string>>();
  for (const s of sends)
    for (const c of channelsOf(s.channel!))
      byTemplate.set(s.template!, (byTemplate.get(s.template!) ?? new Set()).add(c));
  for (const [id, channels] of byTemplate) {
    if (await getTemplate(db, ws, id)) continue;
    const content = Object.fromEntries([...channels].map((c) => SEND_CHANNELS[c]!.content).map((c) => [c, CONTENT[c]]));
    await createTemplate(db, ws, { id, name: id, defaultLocale: 'en', content: { en: content } });
  }
  const configured = new Set(
    (await db.query<{ channel: string }>('SELECT channel FROM channel_providers WHERE workspace_id = $1', [ws])).map(
      (r) => r.channel,
    ),
  );
  for (const channel of new Set([...byTemplate.values()].flatMap((c) => [...c]))) {
    if (!configured.has(channel)) await saveChannel(db, ws, channel, PROVIDERS[channel]!);
  }
}
