// Starting Retain: open the database, migrate, make sure a workspace exists, and serve the API and dashboard.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../config.ts';
import { openDb, type Db, migrate } from '../store/index.ts';
import { buildApp, DEFAULT_WEB_DIR, type App } from '../http/index.ts';
import { createWorkspace, listWorkspaces, type CreatedWorkspace } from '../workspaces/index.ts';
import { startWorker } from './worker.ts';
import { closeProviders } from '../channels/index.ts';
import { closeRenderPool } from '../messaging/index.ts';
import { sealLinkSecrets } from '../consent/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function openAndMigrate(config: Config): Promise<Db> {
  const db = await openDb({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    adminPoolSize: config.adminReads.poolSize,
  });
  await migrate(db);
  // Link secrets stored in plain before migration 025 are encrypted now (SQL has no key to do it with).
  await sealLinkSecrets(db);
  return db;
}

/** Builds the dashboard when dist/web is missing (a fresh checkout), so that `npm start` is enough. */
export function ensureDashboardBuilt(log: (m: string) => void = console.log): void {
  if (existsSync(DEFAULT_WEB_DIR + 'index.html')) return;
  log('Building the dashboard (first start)…');
  execFileSync(
    process.execPath,
    [ROOT + 'node_modules/vite/bin/vite.js', 'build', '--config', ROOT + 'web/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

export interface Running {
  app: App;
  db: Db;
  url: string;
  firstWorkspace: CreatedWorkspace | null;
  close(): Promise<void>;
}

/** Starts API + dashboard (+ worker when withWorker) in this process. */
export async function startRetain(
  opts: { config?: Partial<Config>; withWorker?: boolean; buildDashboard?: boolean; clock?: () => Date } = {},
): Promise<Running> {
  const config = { ...loadConfig(), ...opts.config };
  // RETAIN_SKIP_DASHBOARD_BUILD=1: API only when dist/web is missing (tests and API-only deployments start in seconds).
  if (opts.buildDashboard !== false && !config.skipDashboardBuild) ensureDashboardBuilt();
  const db = await openAndMigrate(config);
  let firstWorkspace: CreatedWorkspace | null = null;
  if ((await listWorkspaces(db)).length === 0) firstWorkspace = await createWorkspace(db, 'Default');
  const app = await buildApp({
    db,
    bodyLimitBytes: config.bodyLimitBytes,
    rateLimitPerMinute: config.rateLimitPerMinute,
    rateLimitPerAddress: config.rateLimitPerAddress,
    authFailuresPerMinute: config.authFailuresPerMinute,
    trustProxy: config.trustProxy,
    logLevel: config.logLevel,
    clock: opts.clock,
    adminReads: config.adminReads,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const worker = opts.withWorker ? startWorker(db, { log: app.log }) : null;
  return {
    app,
    db,
    url: address.replace('0.0.0.0', '127.0.0.1'),
    firstWorkspace,
    async close() {
      worker?.stop();
      await app.close();
      await closeProviders();
      await closeRenderPool();
      await db.close();
    },
  };
}
