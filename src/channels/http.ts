// The HTTP call every HTTP provider makes: one request with a timeout, the answer read whole (JSON when it is JSON). It
// knows whether the request was sent whole before a failure: a timeout or a lost connection after that is "in doubt"
// (the provider may have acted on it), before it the provider never saw the message.
import { request as plainRequest, type IncomingHttpHeaders } from 'node:http';
import { request as tlsRequest } from 'node:https';
import { classifyNetworkError, classifyStatus, type Failure, type StatusDetail } from './classify.ts';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs: number;
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

function headersOf(raw: IncomingHttpHeaders): Headers {
  const h = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) h.append(name, v);
  }
  return h;
}

function answerOf(status: number, headers: Headers, text: string): HttpAnswer {
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

/**
 * Sends the request (redirects are not followed); a network error or timeout comes back as a classified failure
 * instead of an exception, marked in doubt when it came after the whole request was handed to the network.
 */
export async function httpCall(url: string, req: HttpRequest): Promise<HttpAnswer | Failure> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, retryable: false, error: `not a URL: ${url.slice(0, 200)}` };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return { ok: false, retryable: false, error: `not an http(s) URL: ${target.protocol}` };
  const body = req.body === undefined ? undefined : typeof req.body === 'string' ? Buffer.from(req.body, 'utf8') : Buffer.from(req.body);
  const headers: Record<string, string> = { accept: '*/*', ...req.headers };
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve) => {
    let sent = false;
    let done = false;
    const finish = (value: HttpAnswer | Failure) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
    };
    const fail = (err: unknown) => finish(classifyNetworkError(err, sent));
    const call = (target.protocol === 'https:' ? tlsRequest : plainRequest)(target, { method: req.method ?? 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish(answerOf(res.statusCode ?? 0, headersOf(res.headers), Buffer.concat(chunks).toString('utf8'))));
      res.on('error', fail);
      res.on('aborted', () => fail(Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' })));
    });
    // 'finish': the whole request has been handed to the network; from here on the provider may have acted on it.
    call.on('finish', () => (sent = true));
    call.on('error', fail);
    const timer = setTimeout(() => call.destroy(new TimeoutError(`no answer within ${req.timeoutMs} ms`)), req.timeoutMs);
    call.end(body);
  });
}

export const isFailure = (a: HttpAnswer | Failure): a is Failure => 'ok' in a;
export const isSuccess = (a: HttpAnswer) => a.status >= 200 && a.status < 300;

/** A non-2xx answer classified by its status, honouring Retry-After; `detail` defaults to the start of the body. */
export function failureOf(a: HttpAnswer, opts: StatusDetail = {}): Failure {
  return classifyStatus(a.status, { retryAfter: a.headers.get('retry-after'), ...opts, detail: opts.detail ?? a.text.slice(0, 300) });
}
