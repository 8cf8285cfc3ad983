// Configuration: everything an operator can set, read once from the environment with safe defaults.
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  logLevel: string;
  /** Inside hosts that outgoing requests may reach (host names, IP addresses, CIDR ranges); none by default. */
  allowPrivateHosts: string[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.RETAIN_DATA_DIR ?? './data'),
    bodyLimitBytes: Number(env.RETAIN_BODY_LIMIT_BYTES ?? 4 * 1024 * 1024),
    rateLimitPerMinute: Number(env.RETAIN_RATE_LIMIT_PER_MINUTE ?? 12_000),
    logLevel: env.LOG_LEVEL ?? 'info',
    allowPrivateHosts: (env.RETAIN_ALLOW_PRIVATE_HOSTS ?? '').split(/[\s,]+/).filter(Boolean),
  };
}
