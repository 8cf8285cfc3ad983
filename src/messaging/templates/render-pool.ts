// The render pool: templates render on worker threads, never on the thread that serves the API or claims messages.
// Each render has a hard time limit (a thread that overruns it is terminated and replaced) and each thread a memory
// ceiling; waiting renders are taken in turn across workspaces, so one workspace's flood waits behind itself.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Channel } from '../../channels/index.ts';
import { loadConfig } from '../../config.ts';
import { TOO_LARGE, TOO_SLOW } from '../liquid.ts';
import type { RenderableTemplate } from './compile.ts';
import { TemplateRenderError, type TemplateProblem } from './errors.ts';
import type { MessageLocality } from './locale.ts';
import type { MjmlResult } from './mjml.ts';
import type { RenderedMessage, RenderOptions } from './render.ts';
import { assertNever } from '../../lib/index.ts';

export interface RenderPoolOptions {
  /** Render threads (at least 1). */
  threads: number;
  /** The hard time limit of one render, in ms (from its first field: laying out MJML has its own). */
  timeoutMs: number;
  /** The hard time limit of laying out one MJML body, in ms (when a template is checked, or first rendered on a thread). */
  layoutTimeoutMs: number;
  /** Characters one field of a message may print. */
  maxFieldLength: number;
  /** Heap of one render thread, in MB: a render that needs more fails `too large`. */
  threadMemoryMb: number;
}

/** One render as it crosses to a thread (structured-cloned: plain data only). */
export interface RenderTask {
  /** Whose render it is: waiting renders are taken in turn across workspaces. */
  workspace: string;
  template: RenderableTemplate;
  channel: Channel;
  context: object;
  locality: MessageLocality;
  options: Pick<RenderOptions, 'smsPricePerSegment'>;
}

/** What a thread is asked: render a message, or lay out an MJML body (when a template is checked). */
export type ThreadJob =
  | { kind: 'render'; task: RenderTask }
  | { kind: 'layout'; source: string; locale: string; path: string };

/** What a render thread answers (see render-thread.ts). */
export type ThreadReply =
  | { kind: 'ready' }
  | { kind: 'layout'; id: number; path: string }
  | { kind: 'field'; id: number; path: string }
  | { kind: 'done'; id: number; result: RenderedMessage | MjmlResult }
  | { kind: 'failed'; id: number; problem: TemplateProblem }
  | { kind: 'crashed'; id: number; message: string };

/** What a render thread is started with. */
export interface ThreadLimits {
  timeoutMs: number;
  layoutTimeoutMs: number;
  maxFieldLength: number;
}

interface Pending {
  id: number;
  workspace: string;
  job: ThreadJob;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  /** While it waits: when no thread has become ready by then, it is rendered here instead (see `fallBack`). */
  startup?: NodeJS.Timeout;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  /** The job running, the field it renders (null before the first), the MJML body it lays out, and its limit's timer. */
  job: (Pending & { field: string | null; layout: string | null; timer: NodeJS.Timeout }) | null;
}

const THREAD_MODULE = new URL('./render-thread.mjs', import.meta.url);

/**
 * How long a render may wait for a first thread to start. A thread that never starts (seen under heavy load: the
 * TypeScript loader's start inside a worker thread can stall) must not leave messages waiting for ever: past this, a
 * render waiting while no thread is ready runs on the calling thread with LiquidJS's own limits, as before the pool.
 */
const STARTUP_WAIT_MS = 15_000;

/** One less than the cores, 2 to 4: two, so that while a thread cut off is replaced the other keeps rendering. */
export function defaultRenderThreads(): number {
  return Math.max(2, Math.min(4, availableParallelism() - 1));
}

export class RenderPool {
  private readonly threads = new Set<Thread>();
  /** Waiting renders by workspace; the map's order is the turn order. */
  private readonly waiting = new Map<string, Pending[]>();
  private nextId = 1;
  private closed = false;

  constructor(readonly options: RenderPoolOptions) {}

  /** Renders on a thread; throws TemplateRenderError (a template problem, or `too slow` / `too large`). */
  render(task: RenderTask): Promise<RenderedMessage> {
    return this.run(task.workspace, { kind: 'render', task }) as Promise<RenderedMessage>;
  }

  /** Lays out an MJML body on a thread (see mjml.ts); throws TemplateRenderError at `path` when it takes too long. */
  layout(workspace: string, source: string, locale: string, path: string): Promise<MjmlResult> {
    return this.run(workspace, { kind: 'layout', source, locale, path }) as Promise<MjmlResult>;
  }

  private run(workspace: string, job: ThreadJob): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('The render pool is closed.'));
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(workspace) ?? [];
      const pending: Pending = { id: this.nextId++, workspace, job, resolve, reject };
      // this timer also keeps the process alive while the render waits (threads never do)
      pending.startup = setTimeout(() => this.fallBack(pending), STARTUP_WAIT_MS);
      queue.push(pending);
      this.waiting.set(workspace, queue);
      this.pump();
    });
  }

  /** A render that waited too long while no thread was ready: taken out of the queue and run on this thread. */
  private fallBack(pending: Pending): void {
    if ([...this.threads].some((t) => t.ready)) {
      pending.startup = setTimeout(() => this.fallBack(pending), STARTUP_WAIT_MS); // threads serve: it waits its turn
      return;
    }
    const queue = this.waiting.get(pending.workspace);
    const at = queue?.indexOf(pending) ?? -1;
    if (!queue || at < 0) return;
    queue.splice(at, 1);
    if (!queue.length) this.waiting.delete(pending.workspace);
    void inline(pending.job, this.options.maxFieldLength).then(pending.resolve, pending.reject);
  }

  /** Renders waiting and running (for tests and metrics). */
  get load(): { running: number; waiting: number; threads: number } {
    let waiting = 0;
    for (const q of this.waiting.values()) waiting += q.length;
    return { running: [...this.threads].filter((t) => t.job).length, waiting, threads: this.threads.size };
  }

  async close(): Promise<void> {
    this.closed = true;
    const gone = new Error('The render pool was closed before the render finished.');
    for (const q of this.waiting.values()) {
      for (const p of q) {
        clearTimeout(p.startup);
        p.reject(gone);
      }
    }
    this.waiting.clear();
    await Promise.all([...this.threads].map((t) => this.retire(t, gone)));
  }

  /** The next waiting render, taking workspaces in turn. */
  private takeNext(): Pending | undefined {
    for (const [workspace, queue] of this.waiting) {
      const next = queue.shift();
      this.waiting.delete(workspace);
      if (queue.length) this.waiting.set(workspace, queue); // to the back of the turn order
      if (next) return next;
    }
    return undefined;
  }

  private pump(): void {
    if (this.closed) return;
    for (const thread of this.threads) {
      if (!thread.ready || thread.job) continue;
      const next = this.takeNext();
      if (!next) return;
      this.start(thread, next);
    }
    if (this.waiting.size && this.threads.size < this.options.threads) this.spawn();
  }

  private start(thread: Thread, job: Pending): void {
    clearTimeout(job.startup);
    // Laying out MJML (a template's first render on this thread) has its budget; the first field starts the render's.
    const timer = setTimeout(() => this.overran(thread), this.options.layoutTimeoutMs);
    thread.job = { ...job, field: null, layout: job.job.kind === 'layout' ? job.job.path : null, timer };
    // The job's timer keeps the process alive while it runs; the thread itself never does, so a thread that is being
    // torn down (or hangs on its way out) cannot keep a finished process from exiting.
    thread.worker.postMessage({ id: job.id, job: job.job });
  }

  private spawn(): void {
    const limits: ThreadLimits = {
      timeoutMs: this.options.timeoutMs,
      layoutTimeoutMs: this.options.layoutTimeoutMs,
      maxFieldLength: this.options.maxFieldLength,
    };
    const worker = new Worker(THREAD_MODULE, {
      workerData: limits,
      execArgv: [], // the bootstrap registers the TypeScript loader itself (see render-thread.mjs)
      resourceLimits: { maxOldGenerationSizeMb: this.options.threadMemoryMb },
    });
    worker.unref();
    const thread: Thread = { worker, ready: false, job: null };
    this.threads.add(thread);
    worker.on('message', (reply: ThreadReply) => this.answer(thread, reply));
    worker.on('error', (err: Error & { code?: string }) => {
      const failure =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? cutOff(
              this.pathOf(thread),
              `${TOO_LARGE}: rendering it needed more than the ${this.options.threadMemoryMb} MB a render may use (a loop over a huge range?). Make it smaller.`,
            )
          : new Error(`A render thread failed: ${err.message}`);
      if (!thread.ready && ![...this.threads].some((t) => t.ready)) {
        // No thread can start: the renders waiting would wait forever, so they fail with its reason.
        for (const q of this.waiting.values()) {
          for (const p of q) {
            clearTimeout(p.startup);
            p.reject(failure);
          }
        }
        this.waiting.clear();
      }
      void this.retire(thread, failure);
    });
    worker.on('exit', () => {
      if (this.threads.has(thread)) void this.retire(thread, new Error('A render thread stopped unexpectedly.'));
    });
  }

  private answer(thread: Thread, reply: ThreadReply): void {
    switch (reply.kind) {
      case 'ready':
        thread.ready = true;
        this.pump();
        return;
      case 'layout':
        if (thread.job?.id === reply.id) thread.job.layout = reply.path;
        return;
      case 'field': {
        const job = thread.job;
        if (job?.id !== reply.id) return;
        if (job.field === null) {
          clearTimeout(job.timer);
          job.timer = setTimeout(() => this.overran(thread), this.options.timeoutMs);
        }
        job.field = reply.path;
        return;
      }
      case 'done':
      case 'failed':
      case 'crashed': {
        const job = thread.job;
        if (!job || job.id !== reply.id) return;
        clearTimeout(job.timer);
        thread.job = null;
        if (reply.kind === 'done') job.resolve(reply.result);
        else if (reply.kind === 'failed')
          job.reject(
            new TemplateRenderError(
              reply.problem.path,
              reply.problem.message,
              reply.problem.line,
              reply.problem.column,
              { code: reply.problem.code, ...(reply.problem.values ? { values: reply.problem.values } : {}) },
            ),
          );
        else job.reject(new Error(reply.message));
        this.pump();
        return;
      }
      default:
        assertNever(reply, 'render thread reply');
    }
  }

  /** Where a job cut off is: the field it rendered, the MJML body it laid out, or the whole template. */
  private pathOf(thread: Thread): string {
    const job = thread.job;
    return job?.field ?? job?.layout ?? '$';
  }

  /** The hard limit: the thread is terminated (its job cannot be interrupted otherwise) and replaced. */
  private overran(thread: Thread): void {
    const rendering = thread.job?.field != null;
    const seconds = (ms: number) => (ms / 1000).toLocaleString('en', { maximumFractionDigits: 2 });
    const message = rendering
      ? `${TOO_SLOW}: rendering it took longer than the ${seconds(this.options.timeoutMs)} s a message may take (a loop over a huge range, or loops inside loops?). Make it do less work.`
      : `${TOO_SLOW}: laying out this MJML took longer than the ${seconds(this.options.layoutTimeoutMs)} s allowed. Make the e-mail shorter (fewer sections), or split it.`;
    void this.retire(thread, cutOff(this.pathOf(thread), message));
  }

  /** Ends a thread, failing its render with `failure`, and starts renders waiting on a fresh thread. */
  private async retire(thread: Thread, failure: Error): Promise<void> {
    if (!this.threads.delete(thread)) return;
    const job = thread.job;
    thread.job = null;
    if (job) {
      clearTimeout(job.timer);
      job.reject(failure);
    }
    this.pump(); // a fresh thread starts while this one is torn down
    await thread.worker.terminate();
  }
}

/** A job run on the calling thread (the fallback when no thread starts): LiquidJS's own limits still apply. */
async function inline(job: ThreadJob, maxFieldLength: number): Promise<unknown> {
  switch (job.kind) {
    case 'render': {
      const { renderTemplate } = await import('./render.ts');
      const t = job.task;
      return renderTemplate(t.template, t.channel, t.context, t.locality, { ...t.options, maxFieldLength });
    }
    case 'layout': {
      const { compileMjml } = await import('./mjml.ts');
      return compileMjml(job.source, job.locale);
    }
    default:
      return assertNever(job, 'render job');
  }
}

function cutOff(path: string, message: string): TemplateRenderError {
  return new TemplateRenderError(path, message);
}

let shared: RenderPool | null = null;

/** The process's render pool, started on first use with the limits of config.ts. */
export function renderPool(): RenderPool {
  if (!shared) {
    const { threads, ...limits } = loadConfig().render;
    shared = new RenderPool({ threads: threads ?? defaultRenderThreads(), ...limits });
  }
  return shared;
}

/** Replaces the process's render pool with one of these limits (a deployment's own, or a test's). */
export async function useRenderPool(options: Partial<RenderPoolOptions>): Promise<RenderPool> {
  const old = shared;
  const { threads, ...limits } = loadConfig().render;
  shared = new RenderPool({ threads: threads ?? defaultRenderThreads(), ...limits, ...options });
  await old?.close();
  return shared;
}

/** Ends the render threads (a server that stops). */
export async function closeRenderPool(): Promise<void> {
  const old = shared;
  shared = null;
  await old?.close();
}

/** `renderTemplate` on the render pool: same answer, but on a thread, within the time and size limits. */
export function renderOnThread(
  workspace: string,
  template: RenderableTemplate,
  channel: Channel,
  context: object,
  locality: MessageLocality = {},
  options: RenderTask['options'] = {},
): Promise<RenderedMessage> {
  return renderPool().render({ workspace, template: plainTemplate(template), channel, context, locality, options });
}

/** `compileMjml` on the render pool, within the layout time limit (a template checked before it is saved). */
export function layoutOnThread(workspace: string, source: string, locale: string, path: string): Promise<MjmlResult> {
  return renderPool().layout(workspace, source, locale, path);
}

/** What of a template a thread needs (a stored template carries more, such as its name). */
function plainTemplate(t: RenderableTemplate): RenderableTemplate {
  return {
    workspaceId: t.workspaceId,
    id: t.id,
    updatedAt: t.updatedAt,
    defaultLocale: t.defaultLocale,
    content: t.content,
  };
}
