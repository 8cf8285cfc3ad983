// The workspace's defaults for messages: locale (workspaces.settings.messaging), currency (the base currency of PUT
// /api/v1/settings/currency), the sender's name and identification (the messaging settings of PUT
// /api/v1/settings/messaging, their one place), and the time zone of customers without one (the journeys' setting).
import type { Queryable } from '../../store/index.ts';
import { currencyInForce } from '../../money/index.ts';
import { getJourneySettings } from '../../journeys/index.ts';
import { getGateSettings } from '../gate-settings.ts';
import type { SenderIdentity } from './context.ts';
import { normalizeLocale, type WorkspaceLocality } from './locale.ts';

export interface MessageDefaults extends WorkspaceLocality {
  sender: SenderIdentity;
}

/** Locale from workspaces.settings → messaging: { defaultLocale }; the currency is the base currency; the sender from the messaging settings. */
export async function getMessageDefaults(db: Queryable, ws: string): Promise<MessageDefaults> {
  const [row] = await db.query<{ messaging: Record<string, unknown> | null }>(
    "SELECT settings->'messaging' AS messaging FROM workspaces WHERE id = $1",
    [ws],
  );
  const m = row?.messaging ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const gate = await getGateSettings(db, ws);
  return {
    locale: normalizeLocale(str(m.defaultLocale)),
    currency: (await currencyInForce(db, ws)).base,
    timezone: (await getJourneySettings(db, ws)).timezone,
    sender: { name: str(gate.senderName), identification: str(gate.senderIdentification) },
  };
}
