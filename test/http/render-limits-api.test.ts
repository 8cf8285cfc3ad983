// Previews of runaway templates answer quickly in words (422 naming the field: too slow, too large), and the API keeps
// answering other requests while they render: templates render on the render pool's threads, not the API's.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { serve, type Served, type Answer } from './server.ts';
import { closeRenderPool, useRenderPool } from '../../src/messaging/templates/render-pool.ts';
import { HUGE_HTML, LONG_MJML, SLOW_HTML } from '../helpers/runaway-templates.ts';

/** Which of two requests answered first: `slow`, started first, or a health check sent right after it. */
async function firstToAnswer(
  slow: Promise<Answer>,
  health: () => Promise<Answer>,
): Promise<{ order: string[]; slow: Answer }> {
  const order: string[] = [];
  const slowDone = slow.then((a) => (order.push('slow'), a));
  await new Promise((r) => setTimeout(r, 50)); // the slow request is being served
  const h = await health();
  order.push(h.status === 200 ? 'health' : `health ${h.status}`);
  return { order, slow: await slowDone };
}

describe(`template previews within limits (${backend})`, () => {
  let s: Served;
  before(async () => {
    await useRenderPool({ timeoutMs: 1000, layoutTimeoutMs: 1000, maxFieldLength: 512 * 1024 });
    s = await serve();
    for (const [id, html] of [
      ['slow', SLOW_HTML],
      ['huge', HUGE_HTML],
    ]) {
      const r = await s.call('POST', '/api/v1/templates', {
        key: s.adminKey,
        body: { id, name: id, defaultLocale: 'en', content: { en: { email: { subject: id, html } } } },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
  });
  after(async () => {
    await s.close();
    await closeRenderPool();
  });

  it('a slow template’s preview answers 422 "too slow" naming the field, and the API answers a health check meanwhile', async () => {
    const { order, slow } = await firstToAnswer(
      s.call('POST', '/api/v1/templates/slow/preview', { key: s.adminKey, body: { channel: 'email' } }),
      () => s.call('GET', '/health'),
    );
    assert.deepEqual(order, ['health', 'slow']);
    assert.equal(slow.status, 422);
    assert.equal(slow.body.error, 'template_error');
    assert.equal(slow.body.errors[0].path, '$.en.email.html');
    // Cut off by LiquidJS inside the thread (at a line and column), or on a busy machine by ending the thread.
    assert.match(
      slow.body.message,
      /^\$\.en\.email\.html( \(line 1, column \d+\))?: too slow: rendering it took longer than/,
    );
  });

  it('a huge template’s preview answers 422 "too large" naming the field', async () => {
    const r = await s.call('POST', '/api/v1/templates/huge/preview', { key: s.adminKey, body: { channel: 'email' } });
    assert.equal(r.status, 422);
    assert.deepEqual(r.body.errors, [
      { path: '$.en.email.html', message: r.body.errors[0].message, code: 'too_large' },
    ]);
    assert.match(r.body.message, /too large: it printed 977 KB for one message, more than the 512 KB allowed/);
  });

  it('a draft whose MJML takes too long to lay out is refused (422, the field named) while the API answers a health check', async () => {
    const draft = {
      template: { defaultLocale: 'en', content: { en: { email: { subject: 'Long', mjml: LONG_MJML } } } },
      channel: 'email',
    };
    const { order, slow } = await firstToAnswer(
      s.call('POST', '/api/v1/templates/preview', { key: s.adminKey, body: draft }),
      () => s.call('GET', '/health'),
    );
    assert.deepEqual(order, ['health', 'slow']);
    assert.equal(slow.status, 422);
    assert.equal(slow.body.error, 'invalid_template');
    assert.match(
      slow.body.message,
      /^\$\.en\.email\.mjml: too slow: laying out this MJML took longer than the 1 s allowed/,
    );
  });

  it('after the cut-offs, a template renders as usual', async () => {
    const r = await s.call('POST', '/api/v1/templates/preview', {
      key: s.adminKey,
      body: {
        template: {
          defaultLocale: 'en',
          content: {
            en: { email: { subject: 'Hi {{ customer.first_name | default: "there" }}', html: '<p>Hello</p>' } },
          },
        },
        channel: 'email',
      },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.email.subject, 'Hi there');
  });
});
