// The HTTP call every HTTP provider makes: one request with a timeout, the answer read whole (JSON when it is JSON).
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

/** Sends the request; a network error or timeout comes back as a classified failure instead of an exception. */
export async function httpCall(url: string, req: HttpRequest): Promise<HttpAnswer | Failure> {
  try {
    const res = await fetch(url, {
      method: req.method ?? 'POST',
      headers: req.headers,
      body: req.body as BodyInit | undefined,
      signal: AbortSignal.timeout(req.timeoutMs),
      redirect: 'manual',
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  } catch (err) {
    return classifyNetworkError(err);
  }
}

export const isFailure = (a: HttpAnswer | Failure): a is Failure => 'ok' in a;
export const isSuccess = (a: HttpAnswer) => a.status >= 200 && a.status < 300;

/** A non-2xx answer classified by its status, honouring Retry-After; `detail` defaults to the start of the body. */
export function failureOf(a: HttpAnswer, opts: StatusDetail = {}): Failure {
  return classifyStatus(a.status, { retryAfter: a.headers.get('retry-after'), ...opts, detail: opts.detail ?? a.text.slice(0, 300) });
}
