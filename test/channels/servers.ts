// Local HTTP servers standing in for providers: each request is recorded, and a handler scripts the answer.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body parsed as JSON, or undefined. */
  json: any;
  /** The body parsed as a form, when it is one. */
  form: URLSearchParams;
}

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (to test timeouts). */
  hang?: boolean;
}

export interface LocalServer {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

/** `host`: the address to listen on (any of 127.0.0.0/8 is this machine on Linux). */
export async function localServer(
  handler: (req: Seen) => Answer | Promise<Answer>,
  host = '127.0.0.1',
): Promise<LocalServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    // A throw in here fails the test as an unhandled rejection, like an assertion anywhere else.
    req.on(
      'end',
      () =>
        void (async () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          const s: Seen = {
            method: req.method!,
            url: req.url!,
            headers: req.headers,
            body,
            text,
            json,
            form: new URLSearchParams(text),
          };
          seen.push(s);
          const answer = await handler(s);
          if (answer.hang) return;
          const payload =
            answer.body === undefined
              ? ''
              : typeof answer.body === 'string'
                ? answer.body
                : JSON.stringify(answer.body);
          res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
          res.end(payload);
        })(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL where nothing listens (a server opened and closed at once). */
export async function deadUrl(): Promise<string> {
  const s = await localServer(() => ({}));
  await s.close();
  return s.url;
}
