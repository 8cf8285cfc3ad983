// The `retain` command: start, serve, worker, migrate, workspace create|list, import, models fit|validate, data, demo.
import { loadConfig, type Config } from '../config.ts';
import type { Db } from '../store/index.ts';
import { parseAllowList } from '../net/index.ts';
import { startRetain, openAndMigrate, startWorker } from '../server/index.ts';
import { createWorkspace, listWorkspaces } from '../workspaces/index.ts';

const HELP = `Usage: retain <command>

  start                    API, worker and dashboard in one process (PGlite in ./data unless DATABASE_URL is set)
  serve                    API and dashboard only (run several behind a load balancer with DATABASE_URL)
  worker                   background jobs only (run several with DATABASE_URL)
  migrate                  apply database migrations and exit
  workspace create NAME    create a workspace and print its public, server and admin keys
  workspace list           list workspaces
  import customers|orders|events FILE [--map field=column ...] [--preset cdnow|online-retail] [--rejects FILE] [--workspace ID|NAME]
  import experiment FILE --arm COLUMN --control VALUE --metric NAME=COLUMN[:mean] ... | import experiment --preset hillstrom
  demo [--customers N]     fill a workspace with a generated demo shop (a year of customers, carts, orders), offline
  data list                list the public data sets: shipped, in the cache, or to fetch
  data fetch NAME          download a public data set (online-retail, hillstrom) into the cache, checksum verified
  models fit [--calibration-end DATE] [--workspace ID]              fit BG/NBD + Gamma-Gamma and score every customer
  models validate [--calibration-end DATE] [--holdout-end DATE]     predicted vs actual holdout purchases per frequency

Environment: PORT (3000), HOST (127.0.0.1), DATABASE_URL, RETAIN_DATA_DIR (./data), LOG_LEVEL (info),
             RETAIN_BODY_LIMIT_BYTES (4 MiB), RETAIN_RATE_LIMIT_PER_MINUTE (12000 per key),
             RETAIN_RATE_LIMIT_PER_ADDRESS (5% of that, per client address under a public key),
             RETAIN_AUTH_FAILURES_PER_MINUTE (20 per client address), RETAIN_TRUST_PROXY (false),
             RETAIN_ALLOW_PRIVATE_HOSTS (none: inside hosts, IPs or CIDR ranges channels and webhooks may call),
             RETAIN_DATA_CACHE (./data/cache), RETAIN_SHARED_DATA (../shared/data; none), RETAIN_DATA_MIRROR (publishers)

Without --workspace, a command works on the only workspace, else the only one holding customers, else the first
created, and says which.`;

function printKeys(ws: { id: string; name: string; publicKey: string; serverKey: string; adminKey: string }) {
  console.log(`Workspace "${ws.name}" (${ws.id})`);
  console.log(`  public key (web pages: events, sign-ups, push):  ${ws.publicKey}`);
  console.log(`  server key (secret, your backend: all events):   ${ws.serverKey}`);
  console.log(`  admin key (secret, everything; dashboard):       ${ws.adminKey}`);
  console.log('  They are stored hashed and cannot be shown again; keep the server and admin keys secret.');
}

/** Runs a command on the migrated database and closes it afterwards, whatever happens. */
async function withDb(config: Config, run: (db: Db) => Promise<number>): Promise<number> {
  const db = await openAndMigrate(config);
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  parseAllowList(config.allowPrivateHosts); // a mistyped allow list stops here, not at the first send
  switch (command) {
    case 'start':
    case 'serve': {
      const running = await startRetain({ withWorker: command === 'start' });
      const where = config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`;
      console.log(`Retain is running at ${running.url} (dashboard), API docs at ${running.url}/docs, data: ${where}`);
      if (running.firstWorkspace) printKeys(running.firstWorkspace);
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      // A failed close surfaces as an unhandled rejection (the process ends with its message).
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      return new Promise(() => {});
    }
    case 'worker': {
      const db = await openAndMigrate(config);
      startWorker(db);
      console.log('Retain worker running; Ctrl-C to stop.');
      setInterval(() => {}, 1 << 30);
      return new Promise(() => {});
    }
    case 'migrate': {
      const db = await openAndMigrate(config);
      await db.close();
      console.log('Migrations applied.');
      return 0;
    }
    case 'workspace': {
      const db = await openAndMigrate(config);
      try {
        if (rest[0] === 'create') printKeys(await createWorkspace(db, rest.slice(1).join(' ') || 'Workspace'));
        else if (rest[0] === 'list') for (const w of await listWorkspaces(db)) console.log(`${w.id}\t${w.name}`);
        else {
          console.error('Usage: retain workspace create NAME | retain workspace list');
          return 2;
        }
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'models':
      return withDb(config, async (db) => (await import('./models.ts')).runModelsCommand(db, rest));
    case 'import':
      if (rest[0] === 'experiment')
        return withDb(config, async (db) =>
          (await import('../measure/index.ts')).runExperimentImport(db, rest.slice(1)),
        );
      return withDb(config, async (db) => (await import('../import/index.ts')).runImportCommand(db, rest));
    case 'demo':
      return withDb(config, async (db) => (await import('./demo.ts')).runDemoCommand(db, rest));
    case 'data': {
      const { runDataCommand } = await import('./data.ts');
      return runDataCommand(config, rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return command ? 0 : 2;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}
