// HTTP test harness: a fresh database with a workspace, the real app listening on a free port, and a small client.
import { gzipSync } from 'node:zlib';
import { freshDb, type TestDb } from '../helpers/db.ts';
import { buildApp, type App, type AppOptions } from '../../src/http/app.ts';
import { createWorkspace } from '../../src/workspaces/workspaces.ts';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface RequestOptions {
  /** Sent as Authorization: Bearer <key> unless `auth` says otherwise. */
  key?: string;
  /** Raw Authorization header (overrides key). */
  auth?: string;
  /** JSON-encoded unless it is a string or a Buffer (sent as is). */
  body?: unknown;
  gzip?: boolean;
  headers?: Record<string, string>;
}

/** Sends one request to base and parses the JSON answer (body is the text when it is not JSON). */
export async function request(base: string, method: string, path: string, opts: RequestOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth) headers.authorization = opts.auth;
  else if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: Buffer | string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
    if (opts.gzip) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
  }
  const res = await fetch(base + path, { method, headers, body: body as BodyInit | undefined });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

export const basic = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export interface Served {
  t: TestDb;
  app: App;
  url: string;
  /** The server key (full ingest), under the name the write key had. */
  writeKey: string;
  publicKey: string;
  serverKey: string;
  adminKey: string;
  /** request() against this server. */
  call(method: string, path: string, opts?: RequestOptions): Promise<Answer>;
  close(): Promise<void>;
}

/** Starts the app on a fresh database (or on `t` when given); close() stops it and drops the database it created. */
export async function serve(opts: Partial<Omit<AppOptions, 'db'>> = {}, t?: TestDb): Promise<Served> {
  const own = !t;
  const db = t ?? (await freshDb());
  const app = await buildApp({ db: db.db, logLevel: 'silent', webDir: null, ...opts });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    t: db,
    app,
    url,
    writeKey: db.workspace.writeKey,
    publicKey: db.workspace.publicKey,
    serverKey: db.workspace.serverKey,
    adminKey: db.workspace.adminKey,
    call: (method, path, o) => request(url, method, path, o),
    async close() {
      await app.close();
      if (own) await db.close();
    },
  };
}

/**
 * A new workspace (own keys, own data, own rate-limit budget) in an existing test database, so that several apps in
 * one file share one database: much cheaper than a database each. Closing it leaves the database open.
 */
export async function anotherWorkspace(t: TestDb, name = 'test'): Promise<TestDb> {
  const workspace = await createWorkspace(t.db, name);
  return { ...t, workspace, workspaceId: workspace.id, close: async () => {} };
}
