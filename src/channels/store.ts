// Channel settings per workspace: one provider per channel, credentials encrypted at rest, shown masked, served live.
import type { Db } from '../store/index.ts';
import type { Channel } from './types.ts';
import type { FieldIssue } from './fields.ts';
import { LiveProvider, ProviderCache } from './live.ts';
import { MIN_PER_SECOND } from './rate-limit.ts';
import { MASK, maskSecrets, unmask } from './mask.ts';
import { ChannelConfigError, createProvider, providerSpec, refusedContacts, validateSettings } from './registry.ts';
import { defaultOutboundPolicy } from '../net/index.ts';
import { decryptJson, defaultSecretKey, encryptJson, type SecretKey } from './secrets.ts';

export interface ChannelInput {
  provider: string;
  /** The provider's settings; a secret sent as "••••" keeps the value stored before (same provider). */
  config: unknown;
  /** Sends per second across all workers; null or absent: no limit. */
  perSecond?: number | null;
  /** What one message costs, in the workspace's currency (for reports). */
  pricePerMessage?: number;
}

/** A channel as the API shows it: secrets masked; `config` is null (and `error` says why) when it cannot be decrypted. */
export interface ChannelView {
  channel: Channel;
  provider: string;
  config: Record<string, unknown> | null;
  perSecond: number | null;
  pricePerMessage: number;
  updatedAt: string;
  error?: string;
}

interface Row {
  channel: Channel;
  provider: string;
  config_encrypted: string;
  per_second: number | null;
  price_per_message: number;
  updated_at: Date;
  version: string;
}

/** This process's live providers, by workspace and channel. */
const live = new ProviderCache();

/** version: updated_at in microseconds, which orders the saves of a channel. */
const COLUMNS =
  'channel, provider, config_encrypted, per_second, price_per_message, updated_at, (extract(epoch FROM updated_at) * 1000000)::bigint::text AS version';
/** Authenticated with the ciphertext: a value copied into another workspace's or channel's row does not decrypt. */
const context = (ws: string, channel: string) => `${ws}/${channel}`;

function view(ws: string, row: Row, key: SecretKey): ChannelView {
  const base = {
    channel: row.channel,
    provider: row.provider,
    perSecond: row.per_second,
    pricePerMessage: Number(row.price_per_message),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
  try {
    const settings = decryptJson(row.config_encrypted, key, context(ws, row.channel)) as Record<string, unknown>;
    return { ...base, config: maskSecrets(settings, providerSpec(row.provider)?.secrets ?? []) };
  } catch (err) {
    return { ...base, config: null, error: (err as Error).message };
  }
}

async function readRow(db: Db, ws: string, channel: string): Promise<Row | null> {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM channel_providers WHERE workspace_id = $1 AND channel = $2`,
    [ws, channel],
  );
  return rows[0] ?? null;
}

function checkLimits(input: ChannelInput): void {
  const issues: FieldIssue[] = [];
  const { perSecond, pricePerMessage } = input;
  if (perSecond !== undefined && perSecond !== null && !(Number.isFinite(perSecond) && perSecond >= MIN_PER_SECOND)) {
    issues.push({
      field: 'perSecond',
      message: `must be a number, ${MIN_PER_SECOND} or more (sends per second across all workers), or null for no limit`,
      code: 'bad_rate',
      values: { min: MIN_PER_SECOND },
    });
  }
  if (pricePerMessage !== undefined && !(Number.isFinite(pricePerMessage) && pricePerMessage >= 0)) {
    issues.push({
      field: 'pricePerMessage',
      message: 'must be a number, 0 or more: what one message costs',
      code: 'bad_price',
    });
  }
  if (issues.length) throw new ChannelConfigError(issues);
}

/**
 * The settings a save (or a check, or a test) would use: "••••" replaced by the stored secret, what Retain makes itself
 * filled in (VAPID keys), validated and with every URL allowed by the address guard. Throws ChannelConfigError.
 */
export async function resolveSettings(
  db: Db,
  ws: string,
  channel: string,
  input: ChannelInput,
  key: SecretKey = defaultSecretKey(),
) {
  checkLimits(input);
  let config = input.config;
  const spec = providerSpec(input.provider);
  if (spec && spec.channel === channel) {
    const before = await readRow(db, ws, channel);
    let stored: unknown = null;
    if (before?.provider === input.provider) {
      try {
        stored = decryptJson(before.config_encrypted, key, context(ws, channel));
      } catch {
        stored = null; // then every "••••" is reported missing below
      }
    }
    const kept = unmask(config, stored, spec.secrets);
    if (kept.missing.length) {
      throw new ChannelConfigError(
        kept.missing.map((f) => ({
          field: `config.${f}`,
          message: `is "${MASK}" but there is no stored value to keep: send the real value`,
          code: 'no_stored_secret' as const,
        })),
      );
    }
    config = spec.prepare ? spec.prepare(kept.config) : kept.config;
  }
  const { spec: valid, settings } = validateSettings(channel, input.provider, config);
  const refused = refusedContacts(valid, settings, defaultOutboundPolicy().allow);
  if (refused.length) throw new ChannelConfigError(refused);
  return { spec: valid, settings };
}

/** The stored settings of a channel, decrypted (for a check or a test of what is saved), or null when it has none. */
export async function storedSettings(
  db: Db,
  ws: string,
  channel: string,
  key: SecretKey = defaultSecretKey(),
): Promise<ChannelInput | null> {
  const row = await readRow(db, ws, channel);
  return row ? { provider: row.provider, config: decryptJson(row.config_encrypted, key, context(ws, channel)) } : null;
}

/** Validates and stores a channel's provider (replacing the one before); answers it masked. Throws ChannelConfigError. */
export async function saveChannel(
  db: Db,
  ws: string,
  channel: string,
  input: ChannelInput,
  key: SecretKey = defaultSecretKey(),
): Promise<ChannelView> {
  const { settings } = await resolveSettings(db, ws, channel, input, key);
  const rows = await db.query<Row>(
    `INSERT INTO channel_providers (workspace_id, channel, provider, config_encrypted, per_second, price_per_message, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
     ON CONFLICT (workspace_id, channel) DO UPDATE SET provider = EXCLUDED.provider, config_encrypted = EXCLUDED.config_encrypted,
       per_second = EXCLUDED.per_second, price_per_message = EXCLUDED.price_per_message, updated_at = EXCLUDED.updated_at
     RETURNING ${COLUMNS}`,
    [
      ws,
      channel,
      input.provider,
      encryptJson(settings, key, context(ws, channel)),
      input.perSecond ?? null,
      input.pricePerMessage ?? 0,
    ],
  );
  return view(ws, rows[0]!, key);
}

/** The workspace's configured channels, masked. */
export async function listChannels(db: Db, ws: string, key: SecretKey = defaultSecretKey()): Promise<ChannelView[]> {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM channel_providers WHERE workspace_id = $1 ORDER BY channel`,
    [ws],
  );
  return rows.map((row) => view(ws, row, key));
}

/** One channel as the API shows it (masked), or null when it has no provider. */
export async function getChannel(
  db: Db,
  ws: string,
  channel: string,
  key: SecretKey = defaultSecretKey(),
): Promise<ChannelView | null> {
  const row = await readRow(db, ws, channel);
  return row ? view(ws, row, key) : null;
}

/** Removes a channel's provider; false when none was configured. */
export async function deleteChannel(db: Db, ws: string, channel: string): Promise<boolean> {
  const rows = await db.query(
    'DELETE FROM channel_providers WHERE workspace_id = $1 AND channel = $2 RETURNING channel',
    [ws, channel],
  );
  live.drop(context(ws, channel));
  return rows.length > 0;
}

/**
 * The live provider of a channel, or null when the workspace has none. It is reused (with its open connections) until
 * the settings change: every call checks their version (one primary-key read), so a change applies at the next send.
 * Throws when the stored settings cannot be decrypted or are no longer valid, with what to do.
 */
export async function getProvider(db: Db, ws: string, channel: Channel, key?: SecretKey): Promise<LiveProvider | null> {
  const row = await readRow(db, ws, channel);
  const at = context(ws, channel);
  if (!row) {
    live.drop(at);
    return null;
  }
  return live.get(at, BigInt(row.version), async () => {
    const settings = decryptJson(row.config_encrypted, key ?? defaultSecretKey(), at);
    let provider;
    try {
      provider = createProvider(channel, row.provider, settings);
    } catch (err) {
      if (!(err instanceof ChannelConfigError)) throw err;
      throw new ChannelConfigError(
        err.issues.map((i) => ({
          ...i,
          message: `${i.message} (stored settings: save them again with PUT /api/v1/channels/${channel})`,
        })),
      );
    }
    return new LiveProvider(provider, row.per_second, Number(row.price_per_message));
  });
}

/** Closes every live provider of this process (at shutdown), after the sends under way. */
export function closeProviders(): Promise<void> {
  return live.clear();
}
