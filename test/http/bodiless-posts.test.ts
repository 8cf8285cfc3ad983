// Actions without a body (activate, pause, resume, archive, evaluate, fit) are accepted when the client still says
// `content-type: application/json`, as many do, and an optional body may be left out; a route that needs a body says
// so, and a body that is not JSON is still malformed_json.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backend } from '../helpers/db.ts';
import { provideFor } from '../helpers/sendable.ts';
import { serve, type Served } from './server.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const DEFINITION = {
  trigger: { type: 'event', event: 'Product Added' },
  start: 'remind',
  steps: [{ id: 'remind', type: 'send', template: 'cart-reminder', channel: { fixed: 'email' } }],
};

describe(`bodiless POSTs with content-type: application/json (${backend})`, () => {
  let s: Served;
  before(async () => {
    s = await serve();
    await provideFor(s.t.db, s.t.workspaceId, DEFINITION);
    for (const [path, body] of [
      ['/api/v1/journeys', { id: 'cart', name: 'Cart', definition: DEFINITION }],
      ['/api/v1/segments', { id: 'vip', name: 'VIP', definition: { aggregate: 'orders_count', op: 'gte', value: 5 } }],
    ] as const) {
      const res = await s.call('POST', path, { key: s.adminKey, body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
  });
  after(async () => s.close());

  // In this order: each action finds the journey in the state the one before left it.
  const actions: [string, string, (body: any) => void][] = [
    ['activate', '/api/v1/journeys/cart/activate', (b) => assert.equal(b.status, 'active')],
    ['pause', '/api/v1/journeys/cart/pause', (b) => assert.equal(b.status, 'paused')],
    ['resume', '/api/v1/journeys/cart/activate', (b) => assert.equal(b.status, 'active')],
    ['archive', '/api/v1/journeys/cart/archive', (b) => assert.equal(b.status, 'archived')],
    ['evaluate a segment', '/api/v1/segments/vip/evaluate', (b) => assert.equal(b.id, 'vip')],
    ['fit the models', '/api/v1/models/fit', (b) => assert.match(b.fit.runId, /^fit_/)],
  ];
  for (const [name, path, check] of actions) {
    it(`${name}: an empty body is no body`, async () => {
      const res = await s.call('POST', path, { key: s.adminKey, headers: JSON_TYPE, body: '' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      check(res.body);
    });
  }

  it('a body that is optional may be left out, with or without a content type', async () => {
    for (const opts of [{}, { headers: JSON_TYPE, body: '' }, { body: {} }]) {
      const res = await s.call('POST', '/api/v1/models/fit', { key: s.adminKey, ...opts });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
  });

  it('a route that needs a body says so by field; white space is no body either', async () => {
    for (const body of ['', '  \n']) {
      const res = await s.call('POST', '/api/v1/journeys/validate', { key: s.adminKey, headers: JSON_TYPE, body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error, 'invalid_request');
    }
  });

  it('a body that is not JSON is still malformed_json, and one with __proto__ is still refused', async () => {
    for (const body of ['{"definition": ', '{"__proto__": {"x": 1}}']) {
      const res = await s.call('POST', '/api/v1/journeys/validate', { key: s.adminKey, headers: JSON_TYPE, body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error, 'malformed_json', body);
    }
  });
});
