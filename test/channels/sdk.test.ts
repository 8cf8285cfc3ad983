// The Web Push JavaScript Retain serves, run as a browser would run it (node:vm with the browser's push APIs stood in
// for): the snippet subscribes and its subscription reaches the real server; the service worker shows and opens pushes.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import vm from 'node:vm';
import webpush from 'web-push';
import { backend } from '../helpers/db.ts';
import { serve, type Served } from '../http/server.ts';

process.env.RETAIN_SECRET_KEY ??= randomBytes(32).toString('base64');

/** The browser side the snippet talks to: service worker registration and PushManager, recording what they were asked. */
function browserWith(scriptSrc: string, attributes: Record<string, string>, storage: Record<string, string>) {
  const calls: { registered?: string; applicationServerKey?: Uint8Array } = {};
  const subscription = {
    endpoint: 'https://fcm.googleapis.com/fcm/send/dev-1',
    expirationTime: null,
    keys: { p256dh: `B${'q'.repeat(86)}`, auth: 'abcdefghijklmnopqrstuv' },
  };
  const registration = {
    pushManager: {
      subscribe: async (opts: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }) => {
        assert.equal(opts.userVisibleOnly, true);
        calls.applicationServerKey = opts.applicationServerKey;
        return { toJSON: () => subscription };
      },
    },
  };
  const window: Record<string, unknown> = { PushManager: function PushManager() {} };
  const context = vm.createContext({
    window,
    document: { currentScript: { src: scriptSrc, getAttribute: (name: string) => attributes[name] ?? null } },
    location: { href: 'https://shop.example/cart' },
    navigator: {
      serviceWorker: {
        register: async (url: string) => {
          calls.registered = url;
          return registration;
        },
        ready: Promise.resolve(registration),
      },
    },
    localStorage: { getItem: (k: string) => storage[k] ?? null, setItem: (k: string, v: string) => (storage[k] = v) },
    Notification: { permission: 'default' },
    crypto: { randomUUID: () => 'generated-uuid' },
    fetch,
    URL,
    atob,
    btoa,
    Uint8Array,
    JSON,
    Promise,
    Error,
    console,
  });
  return { context, window, calls, subscription };
}

describe(`Web Push snippet and service worker (${backend})`, () => {
  let s: Served;
  let snippet: string;
  let worker: string;
  const vapid = webpush.generateVAPIDKeys();
  before(async () => {
    s = await serve();
    snippet = String((await s.call('GET', '/sdk/webpush.js')).body);
    worker = String((await s.call('GET', '/sdk/retain-sw.js')).body);
  });
  after(() => s.close());

  const traitOf = async (column: 'user_id' | 'anonymous', id: string) => {
    const sql =
      column === 'user_id'
        ? `SELECT traits -> 'webpush_subscriptions' AS subs FROM customers WHERE workspace_id = $1 AND user_id = $2`
        : `SELECT c.traits -> 'webpush_subscriptions' AS subs FROM identities i JOIN customers c ON c.workspace_id = i.workspace_id AND c.id = i.customer_id WHERE i.workspace_id = $1 AND i.kind = 'anonymous' AND i.value = $2`;
    return (await s.t.db.query<{ subs: { endpoint: string }[] }>(sql, [s.t.workspaceId, id]))[0]?.subs;
  };

  const table = [
    {
      case: 'settings as data attributes, a signed-in customer',
      src: (url: string) => `${url}/sdk/webpush.js`,
      attributes: (writeKey: string): Record<string, string> => ({
        'data-key': writeKey,
        'data-vapid': vapid.publicKey,
        'data-user-id': 'ann',
        'data-sw': '/push/sw.js',
      }),
      storage: {} as Record<string, string>,
      worker: '/push/sw.js',
      owner: ['user_id', 'ann'] as const,
    },
    {
      case: "settings in the script URL, a visitor known by analytics.js's anonymous id",
      src: (url: string, writeKey: string) =>
        `${url}/sdk/webpush.js?key=${encodeURIComponent(writeKey)}&vapid=${vapid.publicKey}`,
      attributes: (): Record<string, string> => ({}),
      storage: { ajs_anonymous_id: '"anon-42"' } as Record<string, string>,
      worker: '/retain-sw.js',
      owner: ['anonymous', 'anon-42'] as const,
    },
  ];

  for (const t of table) {
    it(t.case, async () => {
      const b = browserWith(t.src(s.url, s.publicKey), t.attributes(s.publicKey), { ...t.storage });
      vm.runInContext(snippet, b.context);
      const answer = await (b.window.RetainPush as { subscribe(): Promise<unknown> }).subscribe();
      assert.deepEqual(answer, { success: true, subscriptions: 1 });
      assert.equal(b.calls.registered, t.worker);
      assert.deepEqual(Buffer.from(b.calls.applicationServerKey!), Buffer.from(vapid.publicKey, 'base64url'));
      assert.deepEqual(
        (await traitOf(t.owner[0], t.owner[1]))?.map((x) => x.endpoint),
        [b.subscription.endpoint],
      );
    });
  }

  it('the snippet without its settings says which are missing', async () => {
    const b = browserWith(`${s.url}/sdk/webpush.js`, {}, {});
    vm.runInContext(snippet, b.context);
    await assert.rejects(
      (b.window.RetainPush as { subscribe(): Promise<unknown> }).subscribe(),
      /set data-key \(public key\) and data-vapid/,
    );
  });

  /** The service worker's global scope, with the notification and window APIs recording their calls. */
  function serviceWorker(openWindows: { url: string; focused?: boolean }[] = []) {
    const listeners: Record<string, (event: unknown) => void> = {};
    const shown: { title: string; options: Record<string, unknown> }[] = [];
    const opened: string[] = [];
    const self = {
      addEventListener: (type: string, fn: (event: unknown) => void) => (listeners[type] = fn),
      // Objects made inside the vm have its own prototypes: compare them as JSON.
      registration: {
        showNotification: async (title: string, options: Record<string, unknown>) =>
          void shown.push({ title, options }),
      },
      clients: {
        matchAll: async () => openWindows.map((w) => ({ url: w.url, focus: async () => (w.focused = true) })),
        openWindow: async (url: string) => void opened.push(url),
      },
    };
    vm.runInContext(worker, vm.createContext({ self, JSON }));
    const waitFor = async (type: string, event: Record<string, unknown>) => {
      let pending: Promise<unknown> = Promise.resolve();
      listeners[type]!({ ...event, waitUntil: (p: Promise<unknown>) => (pending = p) });
      await pending;
    };
    return { shown, opened, waitFor };
  }

  it('the service worker shows the push (title, body, icon, link) and opens the link on click', async () => {
    const sw = serviceWorker();
    const payload = {
      title: 'Your cart misses you',
      body: 'The lamp is still there.',
      url: 'https://shop.example/cart',
      icon: 'https://shop.example/i.png',
      key: 'intent-9',
    };
    await sw.waitFor('push', { data: { json: () => payload, text: () => JSON.stringify(payload) } });
    assert.deepEqual(JSON.parse(JSON.stringify(sw.shown)), [
      {
        title: 'Your cart misses you',
        options: {
          body: 'The lamp is still there.',
          data: { url: 'https://shop.example/cart' },
          icon: 'https://shop.example/i.png',
          tag: 'intent-9',
        },
      },
    ]);
    let closed = false;
    await sw.waitFor('notificationclick', {
      notification: { data: sw.shown[0]!.options.data, close: () => (closed = true) },
    });
    assert.equal(closed, true);
    assert.deepEqual(sw.opened, ['https://shop.example/cart']);
  });

  it('a click focuses the tab already showing the link instead of opening another', async () => {
    const tabs = [{ url: 'https://shop.example/' }, { url: 'https://shop.example/cart' }];
    const sw = serviceWorker(tabs);
    await sw.waitFor('notificationclick', {
      notification: { data: { url: 'https://shop.example/cart' }, close: () => {} },
    });
    assert.deepEqual([sw.opened, tabs.map((t) => Boolean((t as { focused?: boolean }).focused))], [[], [false, true]]);
  });
});
