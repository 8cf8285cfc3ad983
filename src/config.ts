// Configuration: everything an operator can set, read once from the environment with safe defaults.
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  /** Requests a minute per client address under one public key; undefined = 5% of the key's. */
  rateLimitPerAddress?: number;
  authFailuresPerMinute: number;
  trustProxy: TrustProxy;
  logLevel: string;
  /** Inside hosts that outgoing requests may reach (host names, IP addresses, CIDR ranges); none by default. */
  allowPrivateHosts: string[];
  /** How long a worker may hold claimed messages before their hand-off; past it, another worker sends them. */
  claimLeaseMs: number;
  /** How long a handed-off message may wait for its provider's answer before a stopped worker's send counts as in doubt. */
  sendTimeoutMs: number;
}

/** Whose X-Forwarded-For to believe: nobody (false), any proxy (true), this many hops, or these addresses / CIDRs. */
export type TrustProxy = boolean | number | string;

/**
 * RETAIN_TRUST_PROXY: unset or "false" = the client is the one connected (default: a forged X-Forwarded-For cannot
 * dodge the per-address limits); "true"; a number of proxy hops; or proxy addresses / CIDRs separated by commas.
 */
export function trustProxyOf(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.RETAIN_DATA_DIR ?? './data'),
    bodyLimitBytes: Number(env.RETAIN_BODY_LIMIT_BYTES ?? 4 * 1024 * 1024),
    rateLimitPerMinute: Number(env.RETAIN_RATE_LIMIT_PER_MINUTE ?? 12_000),
    rateLimitPerAddress: env.RETAIN_RATE_LIMIT_PER_ADDRESS ? Number(env.RETAIN_RATE_LIMIT_PER_ADDRESS) : undefined,
    authFailuresPerMinute: Number(env.RETAIN_AUTH_FAILURES_PER_MINUTE ?? 20),
    trustProxy: trustProxyOf(env.RETAIN_TRUST_PROXY),
    logLevel: env.LOG_LEVEL ?? 'info',
    allowPrivateHosts: (env.RETAIN_ALLOW_PRIVATE_HOSTS ?? '').split(/[\s,]+/).filter(Boolean),
    claimLeaseMs: seconds(env, 'RETAIN_CLAIM_LEASE_SECONDS', 30),
    sendTimeoutMs: seconds(env, 'RETAIN_SEND_TIMEOUT_SECONDS', 300),
  };
}

/** A duration in seconds from the environment (a positive number), in milliseconds. */
function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds (got "${raw}")`);
  return n * 1000;
}
