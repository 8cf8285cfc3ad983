// All traffic to a split's winner (pure): the split goes, its way in leads where the winner led, the losers' steps go.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJourney } from '../../src/journeys/index.ts';
import { withWinner } from '../../src/measure/winner.ts';

const email = { fixed: 'email' };
const journey = parseJourney({
  trigger: { type: 'event', event: 'Signed Up' },
  start: 'wait',
  steps: [
    { id: 'wait', type: 'delay', duration: 'PT1H', next: 'ab' },
    {
      id: 'ab',
      type: 'split',
      arms: [
        { name: 'plain', weight: 1, next: 'hi' },
        { name: 'coupon', weight: 1, next: 'hi-coupon' },
        { name: 'none', weight: 1 },
      ],
    },
    { id: 'hi', type: 'send', template: 'welcome', channel: email, next: 'later' },
    { id: 'hi-coupon', type: 'send', template: 'welcome-coupon', channel: email, next: 'later' },
    { id: 'later', type: 'send', template: 'tips', channel: email },
  ],
});

describe("sending all traffic to a split's winner", () => {
  it('coupon wins: wait → hi-coupon → later; the plain e-mail is gone', () => {
    const d = withWinner(journey, 'ab', 'coupon');
    assert.deepEqual(
      d.steps.map((s) => s.id),
      ['wait', 'hi-coupon', 'later'],
    );
    assert.equal((d.steps[0] as { next?: string }).next, 'hi-coupon');
    assert.deepEqual(parseJourney(d), d, 'still a valid journey');
  });
  it('the arm that sends nothing wins: the run ends after the wait', () => {
    const d = withWinner(journey, 'ab', 'none');
    assert.deepEqual(
      d.steps.map((s) => s.id),
      ['wait'],
    );
    assert.equal((d.steps[0] as { next?: string }).next, undefined);
  });
  it("the split at the start: the winner's step becomes the start", () => {
    const atStart = parseJourney({ ...journey, start: 'ab', steps: journey.steps.filter((s) => s.id !== 'wait') });
    assert.equal(withWinner(atStart, 'ab', 'plain').start, 'hi');
    assert.throws(() => withWinner(atStart, 'ab', 'none'), /arm: "none" ends the journey at once/);
  });
  it('refuses an arm or a step that is not there, naming the field and what there is', () => {
    assert.throws(
      () => withWinner(journey, 'ab', 'Coupon'),
      /arm: "Coupon" is not an arm of split "ab" \(its arms: "plain", "coupon", "none"\)/,
    );
    assert.throws(() => withWinner(journey, 'wait', 'plain'), /step: "wait" is not a split step/);
  });
  it('leaves the definition it was given unchanged', () => {
    const before = structuredClone(journey);
    withWinner(journey, 'ab', 'coupon');
    assert.deepEqual(journey, before);
  });
});
