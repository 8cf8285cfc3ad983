// Shapes of the messaging API's JSON (templates, previews, test sends, channels, settings, the message log, metrics).
import type { MessageView } from '../../../src/messaging/metrics/list.ts';
import type { Outcomes } from '../../../src/messaging/metrics/outcomes.ts';
import type { MetricCounts as ServerCounts, MetricRates } from '../../../src/messaging/metrics/rates.ts';
import type { Channel } from '../../../src/channels/types.ts';
import type { ByCurrency, MoneyNote } from '../../../src/money/currency.ts';
// The server's own shapes, so the two cannot drift apart.
import type { TemplateSummary } from '../../../src/messaging/templates/store.ts';
import type { TemplateProblem } from '../../../src/messaging/templates/errors.ts';
import type { LocaleSource } from '../../../src/messaging/templates/locale.ts';
import type { ChannelView } from '../../../src/channels/store.ts';
export type { TemplateSummary, TemplateProblem, LocaleSource, ChannelView };

export const CONTENT_CHANNELS = ['email', 'sms', 'push', 'telegram'] as const;
export type ContentChannel = (typeof CONTENT_CHANNELS)[number];
/** Channels a message goes out on (web push uses the push content). */
export { CHANNELS as SEND_CHANNELS } from '../../../src/channels/types.ts';
export type SendChannel = Channel;

export interface EmailContent {
  subject: string;
  preheader?: string;
  mjml?: string;
  html?: string;
  text?: string;
}
export interface SmsContent {
  text: string;
}
export interface PushContent {
  title: string;
  body: string;
  url?: string;
  icon?: string;
}
export interface TelegramContent {
  text: string;
  buttons?: { text: string; url: string }[];
}

export interface LocaleContent {
  email?: EmailContent;
  sms?: SmsContent;
  push?: PushContent;
  telegram?: TelegramContent;
  /** Not edited here; kept as it is. */
  webhook?: { body: Record<string, unknown> };
}
export type TemplateContent = Record<string, LocaleContent>;

export interface Template {
  id: string;
  name: string;
  defaultLocale: string;
  content: TemplateContent;
  createdAt: string;
  updatedAt: string;
}

export interface Preview {
  channel: SendChannel;
  customer: { id: string; userId: string | null } | null;
  locale: string;
  localeSource: LocaleSource;
  locality: { locale: string; timezone: string; currency: string };
  email?: { subject: string; preheader: string; html: string; text: string };
  sms?: { text: string; segments: number; encoding: string; units: number; nonGsmChars: string[]; price?: number };
  push?: { title: string; body: string; url?: string; icon?: string };
  telegram?: { text: string; buttons?: { text: string; url: string }[] };
  webhook?: { body: Record<string, unknown> };
}

export interface TestSendResult {
  sent: boolean;
  channel: SendChannel;
  to: string;
  providerMessageId: string | null;
  locale: string;
  localeSource: LocaleSource;
}

export interface Cap {
  perDay?: number;
  perWeek?: number;
}
export interface MessagingSettings {
  caps: Partial<Record<'all' | SendChannel, Cap>>;
  quietHours?: { from: string; to: string };
  doubleOptInEmail: boolean;
  senderName?: string;
  senderIdentification?: string;
}

/** A message as GET /api/v1/messages lists it, sent or not (the server's own type; its channel narrowed to ours). */
export type MessageRow = Omit<MessageView, 'channel'> & { channel: SendChannel | null };
/** The log's statuses and why a message was not sent, with the words for people (the server's own lists). */
export { LOG_STATUSES } from '../../../src/messaging/metrics/list.ts';
export { OUTCOME_REASONS, type OutcomeReason } from '../../../src/messaging/types.ts';
export type { Outcomes };
export interface MessagesResponse {
  messages: MessageRow[];
  nextCursor: string | null;
}

export const METRIC_DIMENSIONS = ['day', 'journey', 'step', 'channel', 'template', 'variant'] as const;
export type MetricDimension = (typeof METRIC_DIMENSIONS)[number];

/** Counts and rates as GET /api/v1/analytics/messages answers them (the server's own types). */
export type MetricCounts = ServerCounts & MetricRates & { revenueByCurrency: ByCurrency };
export interface MetricRow extends MetricCounts {
  key: string;
  label: string;
}
export interface MessageMetrics {
  by: MetricDimension;
  from: string;
  to: string;
  rows: MetricRow[];
  totals: MetricCounts;
  money: MoneyNote;
  /** Deferred, skipped by reason and expired in the same days (absent from an older server). */
  outcomes?: Outcomes;
}

export type { EmailLayout } from '../../../src/messaging/templates/layouts/index.ts';
export type { RecentEvent } from '../../../src/messaging/templates/preview.ts';

/** A built-in sample event as GET /api/v1/templates/preview/samples lists it. */
export interface SampleEventView {
  id: import('../../../src/messaging/templates/samples.ts').SampleEventId;
  event: string;
  label: string;
}

/** What the preview renders with: no event, a built-in sample, or a real event (its name and properties). */
export type PreviewEvent =
  | { kind: 'none' }
  | { kind: 'sample'; id: SampleEventView['id'] }
  | { kind: 'event'; id: string; name: string; properties: Record<string, unknown> };
