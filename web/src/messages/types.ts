// Shapes of the messaging API's JSON (templates, previews, test sends, channels, settings, the message log, metrics).

export const CONTENT_CHANNELS = ['email', 'sms', 'push', 'telegram'] as const;
export type ContentChannel = (typeof CONTENT_CHANNELS)[number];
/** Channels a message goes out on (web push uses the push content). */
export const SEND_CHANNELS = ['email', 'sms', 'push', 'webpush', 'telegram', 'webhook'] as const;
export type SendChannel = (typeof SEND_CHANNELS)[number];

export interface EmailContent { subject: string; preheader?: string; mjml?: string; html?: string; text?: string }
export interface SmsContent { text: string }
export interface PushContent { title: string; body: string; url?: string; icon?: string }
export interface TelegramContent { text: string; buttons?: { text: string; url: string }[] }

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

export interface TemplateSummary {
  id: string;
  name: string;
  defaultLocale: string;
  locales: string[];
  channels: string[];
  createdAt: string;
  updatedAt: string;
}

/** One problem of a template, at its JSON path ($.pl.email.subject) and, when known, line and column. */
export interface TemplateProblem { path: string; line?: number; column?: number; message: string }

export type LocaleSource = 'customer' | 'language' | 'workspace' | 'template';

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

export interface ChannelView {
  channel: SendChannel;
  provider: string;
  config: Record<string, unknown> | null;
  perSecond: number | null;
  pricePerMessage: number;
  updatedAt: string;
  error?: string;
}

export interface Cap { perDay?: number; perWeek?: number }
export interface MessagingSettings {
  caps: Partial<Record<'all' | SendChannel, Cap>>;
  quietHours?: { from: string; to: string };
  doubleOptInEmail: boolean;
  senderIdentification?: string;
}

export interface MessageRow {
  id: string;
  customerId: string;
  userId: string | null;
  channel: SendChannel;
  template: string | null;
  locale: string | null;
  status: string;
  journeyId: string | null;
  stepId: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  openedAt: string | null;
  clickedAt: string | null;
  error: string | null;
  cost: number | null;
}
export interface MessagesResponse { messages: MessageRow[]; nextCursor: string | null }

export const METRIC_DIMENSIONS = ['day', 'journey', 'step', 'channel', 'template', 'variant'] as const;
export type MetricDimension = (typeof METRIC_DIMENSIONS)[number];

export interface MetricCounts {
  sent: number;
  delivered: number;
  opens: number;
  clicks: number;
  conversions: number;
  revenue: number;
  unsubscribes: number;
  bounced: number;
  failed: number;
  machineOpens: number;
  /** 0…1, or null when there is nothing to divide by. */
  deliveryRate: number | null;
  openRate: number | null;
  clickRate: number | null;
  conversionRate: number | null;
  unsubscribeRate: number | null;
}
export interface MetricRow extends MetricCounts { key: string; label: string }
export interface MessageMetrics { by: MetricDimension; from: string; to: string; rows: MetricRow[]; totals: MetricCounts }
