// Secrets stay secret (issue 11.7), over HTTP: hook and link tokens never reach the request log, and every answer
// (dashboard, API, consent pages, errors) carries the security headers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from './server.ts';
import { signLink } from '../../src/consent/tokens.ts';
import { signTracking, trackingKey } from '../../src/messaging/tracking/tokens.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/http/security-headers.ts';

describe(`request logs (${backend})`, () => {
  let s: Served;
  const lines: string[] = [];
  before(
    async () => (s = await serve({ logLevel: 'info', logDestination: { write: (line: string) => lines.push(line) } })),
  );
  after(async () => s.close());

  it('carry no hook token and no signed link token, whichever page or callback is called', async () => {
    const hooks = await s.call('GET', '/api/v1/settings/hooks', { key: s.adminKey });
    const hook = new URL(hooks.body.receipts).searchParams.get('hook')!;
    assert.ok(hook.length > 20);
    const ws = s.t.workspaceId;
    const unsubscribe = await signLink(s.t.db, { k: 'unsubscribe', ws, c: 'c-1', ch: 'email' });
    const preferences = await signLink(s.t.db, { k: 'preferences', ws, c: 'c-1' });
    const confirm = await signLink(s.t.db, { k: 'confirm', ws, n: '1' });
    const key = await trackingKey(s.t.db, ws);
    const open = signTracking(key, { k: 'open', ws, m: '1' });
    const click = signTracking(key, { k: 'click', ws, m: '1', u: 'https://shop.example.com/cart' });

    lines.length = 0;
    const calls: [string, string][] = [
      ['POST', `/v1/receipts?hook=${hook}`],
      ['POST', `/v1/receipts/twilio?hook=${hook}`],
      ['POST', `/v1/sms/inbound?x=1&hook=${hook}`],
      ['GET', `/c/unsubscribe?t=${unsubscribe}`],
      ['POST', `/c/unsubscribe?t=${unsubscribe}`],
      ['GET', `/c/preferences?t=${preferences}`],
      ['GET', `/c/confirm?t=${confirm}`],
      ['GET', `/t/o/${open}`],
      ['GET', `/t/c/${click}`],
      ['GET', `/t/c/${click}x`], // a bad token: the 400 page is logged too
      ['GET', `/no/such/page?t=${unsubscribe}`], // 404s name the URL in their message
    ];
    for (const [method, path] of calls) {
      const res = await fetch(s.url + path, {
        method,
        redirect: 'manual',
        headers: { authorization: `Bearer ${s.serverKey}` },
      });
      await res.arrayBuffer();
    }
    const log = lines.join('');
    assert.match(log, /\/c\/unsubscribe\?t=\[redacted\]/, 'the requests are logged, without their tokens');
    assert.match(log, /\/v1\/receipts\?hook=\[redacted\]/);
    assert.match(log, /\/t\/c\/\[redacted\]/);
    for (const token of [hook, unsubscribe, preferences, confirm, open, click]) {
      assert.ok(!log.includes(token), `a token is in the log: ${token.slice(0, 12)}…`);
      assert.ok(!log.includes(token.split('.')[1] ?? token), 'not even its signature');
    }
  });
});

describe(`security headers (${backend})`, () => {
  let s: Served;
  let webDir: string;
  before(async () => {
    // a dashboard build of one page is enough to see what its answers carry
    webDir = mkdtempSync(join(tmpdir(), 'retain-web-'));
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(
      join(webDir, 'index.html'),
      '<!doctype html><title>Retain</title><script type="module" src="/assets/app.js"></script>',
    );
    writeFileSync(join(webDir, 'assets', 'app.js'), 'document.title = "Retain";');
    s = await serve({ webDir });
  });
  after(async () => {
    await s.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  const expectHeaders = (headers: Headers, what: string) => {
    assert.equal(headers.get('x-frame-options'), 'DENY', what);
    assert.equal(headers.get('x-content-type-options'), 'nosniff', what);
    assert.equal(headers.get('referrer-policy'), 'no-referrer', what);
    const csp = headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/, what);
    assert.match(csp, /default-src '(self|none)'/, what);
  };

  it('the dashboard, its deep links and its scripts: a policy that allows only this server', async () => {
    for (const path of ['/', '/customers/c-1', '/assets/app.js']) {
      const res = await fetch(s.url + path);
      assert.equal(res.status, 200, path);
      expectHeaders(res.headers, path);
      assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, path);
    }
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/, 'no inline or evaluated script');
  });

  it('API answers, errors and the API docs carry them too', async () => {
    for (const [path, status, key] of [
      ['/health', 200, undefined],
      ['/api/v1/customers', 200, s.adminKey],
      ['/api/v1/customers', 401, undefined],
      ['/api/v1/nothing', 404, s.adminKey],
      ['/docs/', 200, undefined],
    ] as const) {
      const res = await fetch(s.url + path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
      await res.arrayBuffer();
      assert.equal(res.status, status, path);
      expectHeaders(res.headers, `${path} ${status}`);
    }
  });

  it('the consent pages keep their own stricter policy (no script at all), and the frame and referrer headers', async () => {
    const token = await signLink(s.t.db, { k: 'preferences', ws: s.t.workspaceId, c: 'nobody' });
    for (const path of [`/c/preferences?t=${token}`, '/c/unsubscribe?t=bad']) {
      const res = await fetch(s.url + path);
      await res.text();
      expectHeaders(res.headers, path);
      assert.match(res.headers.get('content-security-policy')!, /^default-src 'none'/, path);
    }
  });
});
