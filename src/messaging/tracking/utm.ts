// UTM parameters (pure) for the links of marketing messages, so the shop's web analytics can tell which journey,
// step and A/B arm brought a visit: utm_source=retain, utm_medium=<channel>, utm_campaign=<journey id, else the
// template>, utm_content=<step id>[/<arm>]. A parameter the link already has is never changed.

export interface Utm {
  source: string;
  medium: string;
  campaign: string;
  content: string | null;
}

export interface UtmSource {
  purpose: string;
  channel: string;
  journeyId: string | null;
  stepId: string | null;
  template: string;
  /** The run's A/B arms (message_intents.context.arms): split step id → arm name. */
  arms?: Record<string, unknown> | null;
}

/** The run's arms as one string, in split-step order: "B", or "A+B" after two splits; '' without any. */
export function armsLabel(arms: Record<string, unknown> | null | undefined): string {
  if (!arms || typeof arms !== 'object') return '';
  return Object.keys(arms)
    .sort()
    .map((k) => String(arms[k]))
    .join('+');
}

/** The UTM parameters of a message, or null when it gets none (transactional messages are not campaigns). */
export function utmFor(m: UtmSource): Utm | null {
  if (m.purpose !== 'marketing') return null;
  const arm = armsLabel(m.arms);
  const content = m.stepId ? (arm ? `${m.stepId}/${arm}` : m.stepId) : arm || null;
  return { source: 'retain', medium: m.channel, campaign: m.journeyId ?? m.template, content };
}

/**
 * The URL with each UTM parameter it does not have yet, appended to its query as written (the rest of the URL is kept
 * byte for byte); an unparsable URL is returned unchanged.
 */
export function withUtm(url: string, utm: Utm): string {
  let present: URLSearchParams;
  try {
    present = new URL(url).searchParams;
  } catch {
    return url;
  }
  const wanted: [string, string | null][] = [
    ['utm_source', utm.source],
    ['utm_medium', utm.medium],
    ['utm_campaign', utm.campaign],
    ['utm_content', utm.content],
  ];
  const missing = wanted.filter((p): p is [string, string] => p[1] !== null && !present.has(p[0]));
  if (!missing.length) return url;
  const hashAt = url.indexOf('#');
  const [head, hash] = hashAt < 0 ? [url, ''] : [url.slice(0, hashAt), url.slice(hashAt)];
  const joiner = !head.includes('?') ? '?' : /[?&]$/.test(head) ? '' : '&';
  return `${head}${joiner}${new URLSearchParams(missing).toString()}${hash}`;
}
