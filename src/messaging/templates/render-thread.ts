// A render thread of the render pool (render-pool.ts): renders one message at a time, names each field before it
// renders it (so that a render cut off names its field), and keeps LiquidJS's own time limit just inside the pool's.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { renderTemplate } from './render.ts';
import { TemplateRenderError } from './errors.ts';
import type { RenderTask, ThreadLimits, ThreadReply } from './render-pool.ts';

const port = parentPort!;
const limits = workerData as ThreadLimits;
const send = (reply: ThreadReply) => port.postMessage(reply);

/** LiquidJS stops between template nodes at this share of the hard limit, so most runaway renders end with their field
 * and line instead of a terminated thread. */
const LIQUID_SHARE = 0.9;

async function render(id: number, task: RenderTask): Promise<void> {
  const deadline = performance.now() + limits.timeoutMs * LIQUID_SHARE;
  try {
    const rendered = await renderTemplate(task.template, task.channel, task.context, task.locality, {
      ...task.options,
      maxFieldLength: limits.maxFieldLength,
      liquidLimits: () => ({ renderMs: Math.max(1, deadline - performance.now()), memoryBytes: limits.maxFieldLength * 4 }),
      onField: (path) => send({ kind: 'field', id, path }),
    });
    send({ kind: 'done', id, rendered });
  } catch (err) {
    if (err instanceof TemplateRenderError) send({ kind: 'failed', id, problem: err.toJSON() });
    else send({ kind: 'crashed', id, message: err instanceof Error ? err.message : String(err) });
  }
}

/** A first render compiles MJML and warms the engines, so a thread's first real message is not slowed by it. */
async function warmUp(): Promise<void> {
  const mjml = '<mjml><mj-body><mj-section><mj-column><mj-text>{{ customer.name }}</mj-text></mj-column></mj-section></mj-body></mjml>';
  await renderTemplate({ defaultLocale: 'en', content: { en: { email: { subject: 'Hi {{ customer.name }}', mjml } } } as never }, 'email', { customer: { name: 'A' }, links: {} }, {}).catch(() => undefined);
}

await warmUp();
port.on('message', ({ id, task }: { id: number; task: RenderTask }) => void render(id, task));
send({ kind: 'ready' });
