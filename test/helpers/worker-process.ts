// `retain worker` as a child process on a PostgreSQL database, to be killed with SIGKILL (the crash test on
// PostgreSQL, npm run chaos). Every one started is killed when this process exits, whatever happens to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export interface WorkerProcess {
  child: ChildProcess;
  /** True once it runs its jobs. */
  ready: boolean;
}

/** Starts `retain worker` on `databaseUrl` with a claim lease and a send timeout in seconds. */
export function workerProcess(
  databaseUrl: string,
  o: { leaseSeconds: number; sendTimeoutSeconds: number },
): WorkerProcess {
  const child = spawn(process.execPath, ['bin/retain.mjs', 'worker'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      RETAIN_CLAIM_LEASE_SECONDS: String(o.leaseSeconds),
      RETAIN_SEND_TIMEOUT_SECONDS: String(o.sendTimeoutSeconds),
    },
  });
  children.add(child);
  const w: WorkerProcess = { child, ready: false };
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    if (out.includes('worker running')) w.ready = true;
  });
  return w;
}

/** SIGKILL, and wait until it is gone. */
export async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}
