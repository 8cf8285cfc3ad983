// A render thread of the render pool (render-pool.ts): one job at a time (a message's render, or an MJML body's
// layout), naming each field before it renders it (so that a render cut off names its field), with LiquidJS's own time
// limit just inside the pool's.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { renderTemplate } from './render.ts';
import { compileMjml } from './mjml.ts';
import { TemplateRenderError } from './errors.ts';
import type { RenderTask, ThreadJob, ThreadLimits, ThreadReply } from './render-pool.ts';
import { assertNever } from '../../lib/index.ts';

const port = parentPort!;
const limits = workerData as ThreadLimits;
const send = (reply: ThreadReply) => port.postMessage(reply);

/** LiquidJS stops between template nodes at this share of the hard limit, so most runaway renders end with their field
 * and line instead of a terminated thread. */
const LIQUID_SHARE = 0.9;

function render(id: number, task: RenderTask) {
  let deadline = Infinity; // set when the first field starts: laying out MJML before it has its own limit
  return renderTemplate(task.template, task.channel, task.context, task.locality, {
    ...task.options,
    maxFieldLength: limits.maxFieldLength,
    liquidLimits: () => ({
      renderMs: Math.max(1, deadline - performance.now()),
      memoryBytes: limits.maxFieldLength * 4,
    }),
    onLayout: (path) => send({ kind: 'layout', id, path }),
    onField: (path) => {
      if (deadline === Infinity) deadline = performance.now() + limits.timeoutMs * LIQUID_SHARE;
      send({ kind: 'field', id, path });
    },
  });
}

async function run(id: number, job: ThreadJob): Promise<void> {
  try {
    switch (job.kind) {
      case 'render':
        return send({ kind: 'done', id, result: await render(id, job.task) });
      case 'layout':
        return send({ kind: 'done', id, result: await compileMjml(job.source, job.locale) });
      default:
        return assertNever(job, 'render job');
    }
  } catch (err) {
    if (err instanceof TemplateRenderError) send({ kind: 'failed', id, problem: err.toJSON() });
    else send({ kind: 'crashed', id, message: err instanceof Error ? err.message : String(err) });
  }
}

/** A first render lays out MJML and warms the engines, so a thread's first real message is not slowed by it. */
async function warmUp(): Promise<void> {
  const mjml =
    '<mjml><mj-body><mj-section><mj-column><mj-text>{{ customer.name }}</mj-text></mj-column></mj-section></mj-body></mjml>';
  const content = { en: { email: { subject: 'Hi {{ customer.name }}', mjml } } };
  await renderTemplate({ defaultLocale: 'en', content }, 'email', { customer: { name: 'A' }, links: {} }).catch(
    () => undefined,
  );
}

await warmUp();
port.on('message', ({ id, job }: { id: number; job: ThreadJob }) => void run(id, job));
send({ kind: 'ready' });
