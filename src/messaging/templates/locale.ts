// Which locale variant a customer gets (pure): customer locale pl-PL → its language pl → the workspace default (and
// its language) → the template's default locale; and where a customer reads a message (language, zone, currency).
import { IANAZone } from 'luxon';
import type { Locality } from '../liquid.ts';

/** Why a variant was chosen: the customer's own locale, its language, the workspace default, the template default. */
export type LocaleSource = 'customer' | 'language' | 'workspace' | 'template';

export interface LocaleChoice {
  /** The variant used (a key of the template's content). */
  locale: string;
  source: LocaleSource;
  /** The locale that money and dates are written in: the customer's own (pl-PL) when the variant is in their language,
   * else the one the variant stands for, so that numbers read like the words around them. */
  formatLocale: string;
}

/** A BCP 47 tag in canonical case (pl_pl → pl-PL), or null when it is not one. */
export function normalizeLocale(tag: string | null | undefined): string | null {
  if (typeof tag !== 'string' || !tag.trim()) return null;
  let found = canonical.get(tag);
  if (found === undefined) {
    try {
      found = Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-'))[0] ?? null;
    } catch {
      found = null;
    }
    if (canonical.size >= 10_000) canonical.clear();
    canonical.set(tag, found);
  }
  return found;
}
const canonical = new Map<string, string | null>();

/** The tag and the shorter tags it falls back to: zh-Hant-TW → zh-Hant → zh. */
function truncations(tag: string): string[] {
  const parts = tag.split('-');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('-')).filter((t) => !/-[a-z0-9]$/i.test(t)); // no dangling singleton (x-…)
}

/** Every candidate in order, each with its source and the locale money and dates would be written in. */
export function localeChain(
  customerLocale: string | null | undefined,
  workspaceLocale: string | null | undefined,
  templateDefault: string,
): LocaleChoice[] {
  const chain: LocaleChoice[] = [];
  const add = (locale: string, source: LocaleSource, formatLocale: string) => {
    if (!chain.some((c) => c.locale.toLowerCase() === locale.toLowerCase()))
      chain.push({ locale, source, formatLocale });
  };
  const customer = normalizeLocale(customerLocale);
  if (customer) truncations(customer).forEach((t, i) => add(t, i === 0 ? 'customer' : 'language', customer));
  const workspace = normalizeLocale(workspaceLocale);
  if (workspace) truncations(workspace).forEach((t) => add(t, 'workspace', workspace));
  add(templateDefault, 'template', normalizeLocale(templateDefault) ?? 'en');
  return chain;
}

/** The first locale of the chain among `available` (the variants that have content for the channel), or null. */
export function chooseLocale(
  available: readonly string[],
  customerLocale: string | null | undefined,
  workspaceLocale: string | null | undefined,
  templateDefault: string,
): LocaleChoice | null {
  const byLower = new Map(available.map((a) => [a.toLowerCase(), a]));
  for (const candidate of localeChain(customerLocale, workspaceLocale, templateDefault)) {
    const found = byLower.get(candidate.locale.toLowerCase());
    if (found) return { ...candidate, locale: found };
  }
  return null;
}

/** What the workspace says for customers who do not say it themselves. */
export interface WorkspaceLocality {
  /** Default locale of messages (e.g. pl-PL); null: the template's own default. */
  locale: string | null;
  /** IANA zone of customers without a valid zone of their own. */
  timezone: string;
  /** ISO 4217 code for `money` when neither the template nor the triggering event names one. */
  currency: string;
}

/** How a customer reads a message: the locale they asked for, the workspace default, their zone, the currency. */
export interface MessageLocality {
  /** The customer's locale (picks the variant; null or absent: the workspace's default, then the template's). */
  locale?: string | null;
  /** The workspace's default locale, the next step of the fallback chain. */
  workspaceLocale?: string | null;
  timezone?: Locality['timezone'];
  currency?: Locality['currency'];
}

/** The customer's zone when valid, else the workspace's; the triggering event's currency when it names a valid one
 * (a cart in roubles is shown in roubles), else the workspace's. */
export function messageLocality(
  customer: { locale?: string | null; timezone?: string | null },
  workspace: WorkspaceLocality,
  event: Record<string, unknown> = {},
): MessageLocality {
  const currency =
    typeof event.currency === 'string' && /^[A-Za-z]{3}$/.test(event.currency)
      ? event.currency.toUpperCase()
      : workspace.currency;
  return {
    locale: normalizeLocale(customer.locale),
    workspaceLocale: normalizeLocale(workspace.locale),
    timezone: customer.timezone && isZone(customer.timezone) ? customer.timezone : workspace.timezone,
    currency,
  };
}

/** IANA zone names already checked (luxon builds an Intl formatter for every check). */
const zones = new Map<string, boolean>();
function isZone(name: string): boolean {
  let valid = zones.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    if (zones.size >= 10_000) zones.clear();
    zones.set(name, valid);
  }
  return valid;
}
