// A dispatcher worker inside the test process that can be killed: from the kill on, nothing it starts ever finishes —
// no new database statement, no provider call, no answer it was waiting for — as when its process gets SIGKILL. What
// it already sent to the database or to the SMTP server stays done. (PGlite has one connection in one process, so
// a real process cannot be killed there; test/messaging/crash-recovery.test.ts uses this on both backends.)
import type { Db, Queryable } from '../../src/store/db.ts';
import type { Provider } from '../../src/channels/types.ts';
import { dispatchDue, type ProviderSource } from '../../src/messaging/dispatch/dispatcher.ts';
import { configuredProviders, templateRenderer } from '../../src/messaging/dispatch/adapters.ts';

const never = <T>() => new Promise<T>(() => {});

export interface KillableWorker {
  /** Runs dispatch rounds until stopped or killed; resolves when stopped (never when killed). */
  readonly done: Promise<void>;
  kill(): void;
  /** Lets the loop end after its current round. */
  stop(): Promise<void>;
}

export function killableWorker(
  db: Db,
  clock: () => Date,
  o: { leaseMs: number; onError?: (err: unknown) => void },
): KillableWorker {
  let dead = false;
  let stopping = false;
  const guard = <T>(p: () => Promise<T>): Promise<T> => (dead ? never<T>() : p().then((v) => (dead ? never<T>() : v)));
  const deadDb: Db = Object.assign(Object.create(db) as Db, {
    query: <T>(sql: string, params?: unknown[]) => guard(() => db.query<T>(sql, params)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => guard(() => db.transaction(fn)),
  });
  const real = configuredProviders();
  const wrapped = new Map<Provider, Provider>();
  const killable = (p: Provider): Provider => {
    if (!wrapped.has(p)) {
      wrapped.set(p, {
        name: p.name,
        channel: p.channel,
        deduplicates: p.deduplicates,
        connections: p.connections,
        send: (m) => guard(() => p.send(m)),
      });
    }
    return wrapped.get(p)!;
  };
  const providers: ProviderSource = {
    async get(tx, ws, channel) {
      const p = await real.get(tx, ws, channel);
      return p && { ...p, provider: killable(p.provider) };
    },
    slot: (d, ws, channel, perSecond, now) => guard(() => real.slot!(d, ws, channel, perSecond, now)),
  };
  const loop = async () => {
    while (!stopping) {
      const r = await dispatchDue(deadDb, clock(), {
        providers,
        renderer: templateRenderer,
        baseUrl: 'http://retain.test',
        leaseMs: o.leaseMs,
        limit: 100,
      });
      if (r.claimed === 0) await guard(() => new Promise((res) => setTimeout(res, 10)));
    }
  };
  const done = loop().catch((err) => o.onError?.(err));
  return {
    done,
    kill() {
      dead = true;
    },
    async stop() {
      stopping = true;
      await done;
    },
  };
}
