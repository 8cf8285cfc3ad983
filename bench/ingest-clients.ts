// HTTP clients for the ingest benchmark, in a worker thread so that they do not share the server's event loop.
// Each client has its own deterministic event stream, pre-serialised before the clock starts, and sends its batches
// one after the other (like a Segment client's flush loop) with fetch (undici), basic auth with the write key.
import { performance as perfHooks } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { batches, eventStream } from './workload.ts';

export interface ClientsInput {
  url: string;
  writeKey: string;
  clients: number;
  warmupEvents: number;
  events: number;
  batchSize: number;
  seed: number;
}

export interface PhaseResult {
  ms: number;
  sent: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  requests: number;
  bytes: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Busy time of this client thread's event loop (ms): subtracted from the process CPU to get the server's. */
  clientBusyMs: number;
}

const input = workerData as ClientsInput;
const auth = 'Basic ' + Buffer.from(`${input.writeKey}:`).toString('base64');

// Pre-serialise: per client, its warm-up and measured batches as JSON array text (sentAt is added at send time).
const plan = Array.from({ length: input.clients }, (_, c) => {
  const stream = eventStream({ seed: input.seed * 1000 + c, prefix: `b${input.seed.toString(36)}c${c}` });
  const share = (total: number) => Math.floor(total / input.clients) + (c < total % input.clients ? 1 : 0);
  const toText = (bs: unknown[][]) => bs.map((b) => ({ n: b.length, json: JSON.stringify(b) }));
  return {
    warmup: toText(batches(stream, share(input.warmupEvents), input.batchSize)),
    measured: toText(batches(stream, share(input.events), input.batchSize)),
  };
});

async function send(batch: { n: number; json: string }, into: PhaseResult, latencies: number[]) {
  const body = `{"sentAt":"${new Date().toISOString()}","batch":${batch.json}}`;
  const t0 = performance.now();
  const res = await fetch(`${input.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: auth },
    body,
  });
  const text = await res.text();
  latencies.push(performance.now() - t0);
  if (res.status !== 200) throw new Error(`POST /v1/batch answered ${res.status}: ${text.slice(0, 500)}`);
  const reply = JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] };
  into.sent += batch.n;
  into.accepted += reply.accepted;
  into.duplicates += reply.duplicates;
  into.rejected += reply.rejected.length;
  into.requests++;
  into.bytes += Buffer.byteLength(body);
}

async function phase(which: 'warmup' | 'measured'): Promise<PhaseResult> {
  const result: PhaseResult = {
    ms: 0,
    sent: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    requests: 0,
    bytes: 0,
    latencyMs: { p50: 0, p95: 0, p99: 0, max: 0 },
    clientBusyMs: 0,
  };
  const latencies: number[] = [];
  const elu0 = perfHooks.eventLoopUtilization();
  const t0 = performance.now();
  await Promise.all(
    plan.map(async (p) => {
      for (const b of p[which]) await send(b, result, latencies);
    }),
  );
  result.ms = performance.now() - t0;
  result.clientBusyMs = perfHooks.eventLoopUtilization(elu0).active;
  latencies.sort((a, b) => a - b);
  const q = (f: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))] ?? 0);
  result.latencyMs = { p50: q(0.5), p95: q(0.95), p99: q(0.99), max: Math.round(latencies.at(-1) ?? 0) };
  return result;
}

/** Runs one phase and posts its result or its error (so it never rejects). */
async function answer(msg: 'warmup' | 'measured'): Promise<void> {
  try {
    parentPort!.postMessage({ phase: msg, result: await phase(msg) });
  } catch (err) {
    parentPort!.postMessage({ phase: msg, error: String((err as Error).stack ?? err) });
  }
}
parentPort!.on('message', (msg: 'warmup' | 'measured') => void answer(msg));
parentPort!.postMessage({
  phase: 'ready',
  bytes: plan.reduce((s, p) => s + p.measured.reduce((t, b) => t + b.json.length, 0), 0),
});
