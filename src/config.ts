// Configuration: everything an operator can set, read once from the environment with safe defaults.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  /** Template rendering (sends and previews) on worker threads: how many, and the limits of one message's render. */
  render: {
    /** Render threads; undefined = one less than the cores, 2 to 4. */
    threads?: number;
    /** Hard time limit of one message's render, ms (default 1000). */
    timeoutMs: number;
    /** Hard time limit of laying out one MJML body, ms (default 5000): when a template is checked, or first rendered. */
    layoutTimeoutMs: number;
    /** Characters one field of a message may print (default 512 KiB). */
    maxFieldLength: number;
    /** Heap of one render thread, MB (default 256). */
    threadMemoryMb: number;
  };
  /** Expensive admin reads (segment previews, customer search, analytics): limits that keep them from starving ingest. */
  adminReads: {
    /** statement_timeout of one admin read, ms (default 5000; PostgreSQL only). */
    timeoutMs: number;
    /** Admin reads one workspace may run at once in this process (default 2); a few more wait, beyond that 503. */
    perWorkspace: number;
    /** Connections of the separate PostgreSQL pool admin reads use (default 2). */
    poolSize: number;
  };
  /** Where `retain data fetch` keeps downloaded data sets (RETAIN_DATA_CACHE, default <data dir>/cache). */
  dataCacheDir: string;
  /** An offline copy of the public data sets, used as a cache when present (RETAIN_SHARED_DATA; "none" = no copy). */
  sharedDataDir: string | null;
  /** Base URL that replaces the publishers' addresses (RETAIN_DATA_MIRROR): an internal mirror, or a test server. */
  dataMirror?: string;
  /** How long a worker may hold claimed messages before their hand-off; past it, another worker sends them. */
  claimLeaseMs: number;
  /** How long a handed-off message may wait for its provider's answer before a stopped worker's send counts as in doubt. */
  sendTimeoutMs: number;
  /** Where links in messages point (RETAIN_PUBLIC_URL), else the local server (http://HOST:PORT). */
  publicUrl: string;
  /** RETAIN_SECRET_KEY: encrypts channel credentials and link secrets at rest; unset = <data dir>/secret.key. */
  secretKey?: string;
  /** RETAIN_LINK_SECRET: one secret that signs every workspace's consent links; unset = a stored secret per workspace. */
  linkSecret?: string;
  /** RETAIN_SKIP_DASHBOARD_BUILD=1: start the API without building a missing dashboard (tests, API-only deployments). */
  skipDashboardBuild: boolean;
}

/** The offline copy beside a checkout: ../shared/data next to the project folder. */
export const DEFAULT_SHARED_DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));

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
    render: {
      threads: env.RETAIN_RENDER_THREADS ? positive(env.RETAIN_RENDER_THREADS, 'RETAIN_RENDER_THREADS') : undefined,
      timeoutMs: positive(env.RETAIN_RENDER_TIMEOUT_MS ?? '1000', 'RETAIN_RENDER_TIMEOUT_MS'),
      layoutTimeoutMs: positive(env.RETAIN_MJML_TIMEOUT_MS ?? '5000', 'RETAIN_MJML_TIMEOUT_MS'),
      maxFieldLength: positive(env.RETAIN_RENDER_MAX_BYTES ?? String(512 * 1024), 'RETAIN_RENDER_MAX_BYTES'),
      threadMemoryMb: positive(env.RETAIN_RENDER_THREAD_MEMORY_MB ?? '256', 'RETAIN_RENDER_THREAD_MEMORY_MB'),
    },
    adminReads: {
      timeoutMs: positive(env.RETAIN_ADMIN_READ_TIMEOUT_MS ?? '5000', 'RETAIN_ADMIN_READ_TIMEOUT_MS'),
      perWorkspace: positive(env.RETAIN_ADMIN_READS_PER_WORKSPACE ?? '2', 'RETAIN_ADMIN_READS_PER_WORKSPACE'),
      poolSize: positive(env.RETAIN_ADMIN_POOL_SIZE ?? '2', 'RETAIN_ADMIN_POOL_SIZE'),
    },
    dataCacheDir: resolve(env.RETAIN_DATA_CACHE || join(env.RETAIN_DATA_DIR ?? './data', 'cache')),
    sharedDataDir: sharedDataOf(env.RETAIN_SHARED_DATA),
    dataMirror: env.RETAIN_DATA_MIRROR || undefined,
    claimLeaseMs: seconds(env, 'RETAIN_CLAIM_LEASE_SECONDS', 30),
    sendTimeoutMs: seconds(env, 'RETAIN_SEND_TIMEOUT_SECONDS', 300),
    publicUrl: env.RETAIN_PUBLIC_URL ?? `http://${env.HOST ?? '127.0.0.1'}:${env.PORT ?? 3000}`,
    secretKey: env.RETAIN_SECRET_KEY || undefined,
    linkSecret: env.RETAIN_LINK_SECRET || undefined,
    skipDashboardBuild: env.RETAIN_SKIP_DASHBOARD_BUILD === '1',
  };
}

/** A positive whole number from the environment, or an error that names the variable. */
function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number above 0 (it is "${value}").`);
  return n;
}

/** RETAIN_SHARED_DATA: unset = ../shared/data beside the project; "none" or empty = no offline copy; else that folder. */
export function sharedDataOf(value: string | undefined): string | null {
  if (value === undefined) return DEFAULT_SHARED_DATA;
  const v = value.trim();
  return v === '' || v === 'none' ? null : resolve(v);
}

/** A duration in seconds from the environment (a positive number), in milliseconds. */
function seconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds (got "${raw}")`);
  return n * 1000;
}
