// Render throughput on the render pool's threads against rendering in-process, and what each does to the event loop
// (its delay is how long an API request or an ingest batch would wait). Run: node --import tsx bench/render-pool.ts
// Environment: BENCH_RENDERS (default 3000), BENCH_THREADS (default: the pool's default).
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import os from 'node:os';
import { renderTemplate } from '../src/messaging/templates/render.ts';
import {
  closeRenderPool,
  defaultRenderThreads,
  renderOnThread,
  useRenderPool,
} from '../src/messaging/templates/render-pool.ts';
import type { RenderableTemplate } from '../src/messaging/templates/compile.ts';

const RENDERS = Number(process.env.BENCH_RENDERS ?? 3000);
const THREADS = Number(process.env.BENCH_THREADS ?? defaultRenderThreads());
const IN_FLIGHT = 64;

/** A cart reminder as shops send them: MJML, a loop over the cart's items, money and dates in the customer's locale. */
const template: RenderableTemplate = {
  workspaceId: 'bench',
  id: 'cart',
  updatedAt: '2026-12-07T00:00:00Z',
  defaultLocale: 'en',
  content: {
    en: {
      email: {
        subject: '{{ customer.first_name | default: "Hi" }}, your cart is waiting',
        mjml: `<mjml><mj-body>
          <mj-section><mj-column><mj-text>Hello {{ customer.first_name | default: "there" }},</mj-text></mj-column></mj-section>
          <mj-section><mj-column><mj-raw>{% for item in items %}<p>{{ item.name }} × {{ item.qty }}: {{ item.price | money }}</p>{% endfor %}</mj-raw></mj-column></mj-section>
          <mj-section><mj-column><mj-button href="https://shop.example/cart">Back to your cart</mj-button></mj-column></mj-section>
          <mj-section><mj-column><mj-text>Since {{ since | local_date: "long" }}. <a href="{% unsubscribe_url %}">Unsubscribe</a></mj-text></mj-column></mj-section>
        </mj-body></mjml>`,
      },
    },
  } as RenderableTemplate['content'],
};

const context = (n: number) => ({
  customer: { first_name: `Customer ${n}` },
  items: Array.from({ length: 5 }, (_, i) => ({ name: `Product ${i}`, qty: 1 + (n % 3), price: 19.99 + i })),
  since: '2026-12-01T10:00:00Z',
  links: { unsubscribe: `https://retain.example/u/${n}` },
});
const locality = { locale: 'en-US', timezone: 'Europe/Warsaw', currency: 'EUR' };

async function measure(name: string, run: () => Promise<void>) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  delay.disable();
  const ms = (ns: number) => Math.round(ns / 1e6);
  return {
    name,
    rendersPerSecond: Math.round(RENDERS / seconds),
    eventLoopDelayP99Ms: ms(delay.percentile(99)),
    eventLoopDelayMaxMs: ms(delay.max),
  };
}

await renderTemplate(template, 'email', context(0), locality); // MJML laid out once, as the cache keeps it
const inProcess = await measure('in-process', async () => {
  for (let n = 0; n < RENDERS; n++) {
    await renderTemplate(template, 'email', context(n), locality);
    if (n % 50 === 0) await new Promise((r) => setImmediate(r)); // as a batch yields between messages, at best
  }
});

await useRenderPool({ threads: THREADS });
await Promise.all(
  Array.from({ length: THREADS * 4 }, (_, n) => renderOnThread('bench', template, 'email', context(n), locality)),
); // threads started and warm
const pooled = await measure(`pool (${THREADS} threads)`, async () => {
  let next = 0;
  const worker = async () => {
    while (next < RENDERS) await renderOnThread('bench', template, 'email', context(next++), locality);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
});
// The same, while another workspace's six runaway messages (loops inside loops, as in issue 11) render beside: each
// is cut off at the time limit, and this workspace's renders go on around them.
const runaway: RenderableTemplate = {
  workspaceId: 'noisy',
  defaultLocale: 'en',
  content: {
    en: { sms: { text: '{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}' } },
  } as RenderableTemplate['content'],
};
let cutOff = 0;
let noisy: Promise<unknown>[] = [];
const beside = await measure(`pool (${THREADS} threads) beside six runaway messages`, async () => {
  noisy = Array.from({ length: 6 }, () => renderOnThread('noisy', runaway, 'sms', {}, locality).catch(() => cutOff++));
  let next = 0;
  const worker = async () => {
    while (next < RENDERS) await renderOnThread('bench', template, 'email', context(next++), locality);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
});
await Promise.all(noisy);
await closeRenderPool();

console.log(
  JSON.stringify(
    {
      date: new Date().toISOString(),
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      node: process.version,
      renders: RENDERS,
      results: [inProcess, pooled, { ...beside, runawayRendersCutOff: cutOff }],
    },
    null,
    2,
  ),
);
