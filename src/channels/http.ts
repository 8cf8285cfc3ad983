// The HTTP call every HTTP provider makes: one request with a timeout to an address the operator allows (src/net), the
// answer read whole (JSON when it is JSON). It knows whether the request was sent whole before a failure: a timeout or
// a lost connection after that is "in doubt" (the provider may have acted on it), before it the provider never saw it.
import { outboundRequest, OutboundLost, OutboundRefused, type OutboundPolicy } from '../net/index.ts';
import { classifyNetworkError, classifyStatus, statusReason, type Failure, type StatusDetail } from './classify.ts';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** For the adapter to read; never to be passed on to an API caller (see failureOf). */
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs: number;
  /** Which inside addresses may be reached; default: the operator's RETAIN_ALLOW_PRIVATE_HOSTS. */
  policy?: OutboundPolicy;
}

function answerOf(status: number, raw: Record<string, string | string[] | undefined>, text: string): HttpAnswer {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

/**
 * Sends the request (307/308 redirects followed, each hop checked); a refused address, a network error or a timeout
 * comes back as a classified failure instead of an exception, marked in doubt when it came after the whole request
 * was handed to the network. A refused address is permanent: trying again reaches the same place.
 */
export async function httpCall(url: string, req: HttpRequest): Promise<HttpAnswer | Failure> {
  const body =
    req.body === undefined
      ? undefined
      : typeof req.body === 'string'
        ? Buffer.from(req.body, 'utf8')
        : Buffer.from(req.body);
  try {
    const a = await outboundRequest(url, {
      method: req.method,
      headers: req.headers,
      body,
      timeoutMs: req.timeoutMs,
      policy: req.policy,
    });
    return answerOf(a.status, a.headers, a.body.toString('utf8'));
  } catch (err) {
    if (err instanceof OutboundRefused) return { ok: false, retryable: false, error: err.message };
    if (err instanceof OutboundLost) return classifyNetworkError(err.cause, err.sent);
    throw err;
  }
}

export const isFailure = (a: HttpAnswer | Failure): a is Failure => 'ok' in a;
export const isSuccess = (a: HttpAnswer) => a.status >= 200 && a.status < 300;

/**
 * A non-2xx answer classified by its status, honouring Retry-After. The error says the status and, in our words, what
 * it means (`detail`, else statusReason): the provider's body is never repeated, since an API caller reads the error.
 */
export function failureOf(a: HttpAnswer, opts: StatusDetail = {}): Failure {
  return classifyStatus(a.status, {
    retryAfter: a.headers.get('retry-after'),
    ...opts,
    detail: opts.detail ?? statusReason(a.status),
  });
}
