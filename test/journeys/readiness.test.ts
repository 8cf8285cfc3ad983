// A journey goes live only when its workspace can send it: activation (and a live edit, and a resume) is refused with
// every problem by its path while a template is missing or lacks content for a channel, a channel has no provider,
// or a segment is missing or archived; once the marketer fixes them, it activates.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, backend, type TestDb } from '../helpers/db.ts';
import { journeyWorld } from './world.ts';
import {
  activateJourney,
  createJourney,
  getJourney,
  JourneyNotReady,
  pauseJourney,
  updateJourney,
} from '../../src/journeys/index.ts';
import { SEND_CHANNELS } from '../../src/journeys/readiness.ts';
import { createTemplate } from '../../src/messaging/templates/store.ts';
import { contentChannel } from '../../src/messaging/templates/render.ts';
import { CHANNELS } from '../../src/channels/types.ts';
import { deleteChannel, saveChannel } from '../../src/channels/store.ts';
import { updateSegment } from '../../src/segments/index.ts';

const smtp = {
  provider: 'smtp',
  config: { host: '127.0.0.1', port: 9, secure: false, from: 'Shop <shop@example.com>' },
};
const emailOnly = {
  en: { email: { subject: 'Your cart', html: '<p>{{ customer.first_name }}, your cart waits.</p>' } },
};
const send = (template: string, channel: object) => ({ id: 'remind', type: 'send', template, channel });
const onEvent = (...steps: object[]) => ({
  trigger: { type: 'event', event: 'Product Added' },
  start: steps.length ? 'remind' : 'x',
  steps,
});

/** The refusal of `promise` as [path, message] pairs. */
async function refusal(promise: Promise<unknown>): Promise<[string, string][]> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof JourneyNotReady, `refused as not ready, not ${String(err)}`);
  assert.equal(err.code, 'not_ready');
  return err.problems.map((p) => [p.path, p.message]);
}

describe(`activation refusals (${backend})`, () => {
  let t: TestDb;
  before(async () => (t = await freshDb()));
  after(async () => t.close());

  /** A workspace with the template "cart-reminder" (e-mail only), an e-mail provider and the active segment "vip". */
  const shop = async () => {
    const w = await journeyWorld(t, new Date('2026-06-01T12:00:00Z'));
    await createTemplate(t.db, w.ws, {
      id: 'cart-reminder',
      name: 'Cart reminder',
      defaultLocale: 'en',
      content: emailOnly,
    });
    await saveChannel(t.db, w.ws, 'email', smtp);
    await w.segment('vip', { aggregate: 'orders_count', op: 'gte', value: 5 });
    await w.segment('old-vip', { aggregate: 'orders_count', op: 'gte', value: 10 });
    await updateSegment(t.db, w.ws, 'old-vip', { status: 'archived' });
    return w;
  };

  const refused: [string, object, [string, RegExp][]][] = [
    [
      'a template that does not exist, with the one probably meant',
      onEvent(send('cart-remider', { fixed: 'email' })),
      [
        [
          '$.steps[0].template',
          /^There is no template "cart-remider" \(did you mean "cart-reminder"\?\): create it in Messages → Templates, or choose an existing one\.$/,
        ],
      ],
    ],
    [
      'a template without content for its channel, on a channel without a provider',
      onEvent(send('cart-reminder', { fixed: 'sms' })),
      [
        [
          '$.steps[0].channel.fixed',
          /^No SMS provider is configured: configure one with PUT \/api\/v1\/channels\/sms \(Messages → Channels lists them\), or send on another channel\.$/,
        ],
        [
          '$.steps[0].channel.fixed',
          /^The template "cart-reminder" has no SMS content: add it to the template in Messages → Templates, or send on another channel\.$/,
        ],
      ],
    ],
    [
      'every channel a "best" policy may pick',
      onEvent(send('cart-reminder', { best: ['email', 'push'] })),
      [
        ['$.steps[0].channel.best[1]', /^No mobile push provider is configured/],
        ['$.steps[0].channel.best[1]', /has no mobile push content/],
      ],
    ],
    [
      'every step of a cascade',
      onEvent(
        send('cart-reminder', {
          cascade: [
            { channel: 'webpush', timeout: 'PT1H' },
            { channel: 'email', timeout: 'PT1H' },
          ],
        }),
      ),
      [
        ['$.steps[0].channel.cascade[0].channel', /^No web push provider is configured/],
        ['$.steps[0].channel.cascade[0].channel', /has no web push content/],
      ],
    ],
    [
      'a channel that does not exist',
      onEvent(send('cart-reminder', { fixed: 'emial' })),
      [
        [
          '$.steps[0].channel.fixed',
          /^"emial" is not a channel \(did you mean "email"\?\): use email, sms, push, webpush, telegram, webhook\.$/,
        ],
      ],
    ],
    [
      'a trigger segment that does not exist',
      {
        trigger: { type: 'segment', segment: 'vipp', on: 'enter' },
        start: 'remind',
        steps: [send('cart-reminder', { fixed: 'email' })],
      },
      [
        [
          '$.trigger.segment',
          /^There is no segment "vipp" \(did you mean "vip"\?\): create it in Segments, or choose an existing one\.$/,
        ],
      ],
    ],
    [
      'a broadcast to an archived segment',
      {
        trigger: { type: 'broadcast', segment: 'old-vip' },
        start: 'remind',
        steps: [send('cart-reminder', { fixed: 'email' })],
      },
      [
        [
          '$.trigger.segment',
          /^The segment "old-vip" is archived, so nobody enters or leaves it: reactivate it in Segments, or choose an active one\.$/,
        ],
      ],
    ],
    [
      'a branch on a segment that does not exist, deep in its condition',
      {
        trigger: { type: 'event', event: 'Product Added' },
        start: 'check',
        steps: [
          {
            id: 'check',
            type: 'branch',
            condition: {
              and: [{ aggregate: 'orders_count', op: 'gte', value: 1 }, { not: { segment: 'gone', op: 'member' } }],
            },
            yes: 'remind',
          },
          send('cart-reminder', { fixed: 'email' }),
        ],
      },
      [['$.steps[0].condition.and[1].not.segment', /^There is no segment "gone"/]],
    ],
  ];
  for (const [name, definition, expected] of refused) {
    it(`refused: ${name}`, async () => {
      const w = await shop();
      await createJourney(t.db, w.ws, { id: 'j', name: 'j', definition }, w.now);
      const problems = await refusal(activateJourney(t.db, w.ws, 'j', w.now));
      assert.equal(problems.length, expected.length, JSON.stringify(problems));
      expected.forEach(([path, message], i) => {
        assert.equal(problems[i]![0], path);
        assert.match(problems[i]![1], message);
      });
      assert.equal((await getJourney(t.db, w.ws, 'j'))!.status, 'draft', 'still a draft');
    });
  }

  it('a missing template and an unconfigured channel are refused together; once both are there, it activates and sends', async () => {
    const w = await journeyWorld(t, new Date('2026-06-01T12:00:00Z'));
    await createJourney(
      t.db,
      w.ws,
      { id: 'cart', name: 'Cart', definition: onEvent(send('cart-reminder', { fixed: 'email' })) },
      w.now,
    );
    assert.deepEqual(
      (await refusal(activateJourney(t.db, w.ws, 'cart', w.now))).map(([path]) => path),
      ['$.steps[0].template', '$.steps[0].channel.fixed'],
    );
    await createTemplate(t.db, w.ws, {
      id: 'cart-reminder',
      name: 'Cart reminder',
      defaultLocale: 'en',
      content: emailOnly,
    });
    assert.deepEqual(
      (await refusal(activateJourney(t.db, w.ws, 'cart', w.now))).map(([path]) => path),
      ['$.steps[0].channel.fixed'],
    );
    await saveChannel(t.db, w.ws, 'email', smtp);
    assert.equal((await activateJourney(t.db, w.ws, 'cart', w.now)).status, 'active');
    await w.send({ type: 'track', userId: 'ann', event: 'Product Added' });
    assert.deepEqual(await w.sent(), ['ann cart-reminder']);
  });

  it('a live edit that could not go live is refused, and the live version goes on', async () => {
    const w = await shop();
    await w.journey('cart', onEvent(send('cart-reminder', { fixed: 'email' })));
    const problems = await refusal(
      updateJourney(t.db, w.ws, 'cart', { definition: onEvent(send('cart-coupon', { fixed: 'email' })) }, w.now),
    );
    assert.deepEqual(
      problems.map(([path]) => path),
      ['$.steps[0].template'],
    );
    const cart = (await getJourney(t.db, w.ws, 'cart'))!;
    assert.deepEqual([cart.status, cart.version, cart.activeVersion], ['active', 1, 1]);
    await w.send({ type: 'track', userId: 'bob', event: 'Product Added' });
    assert.deepEqual(await w.sent(), ['bob cart-reminder']);
  });

  it('a paused journey may be edited to name what does not exist yet; resuming checks again (a provider removed meanwhile)', async () => {
    const w = await shop();
    await w.journey('cart', onEvent(send('cart-reminder', { fixed: 'email' })));
    await pauseJourney(t.db, w.ws, 'cart', w.now);
    await deleteChannel(t.db, w.ws, 'email');
    assert.deepEqual(
      (await refusal(activateJourney(t.db, w.ws, 'cart', w.now))).map(([path]) => path),
      ['$.steps[0].channel.fixed'],
      'the provider went away while paused',
    );
    const edited = await updateJourney(
      t.db,
      w.ws,
      'cart',
      { definition: onEvent(send('not-yet', { fixed: 'email' })) },
      w.now,
    );
    assert.deepEqual([edited.status, edited.version], ['paused', 2]);
  });

  it('the channels a send step can name are messaging’s, each with the content it sends', () => {
    assert.deepEqual(Object.keys(SEND_CHANNELS).sort(), [...CHANNELS].sort());
    for (const channel of CHANNELS) assert.equal(SEND_CHANNELS[channel]!.content, contentChannel(channel), channel);
  });
});
