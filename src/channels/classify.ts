// Provider error classification (pure): an HTTP status or a network error becomes a retryable or permanent failure.
import type { ProviderResult } from './types.ts';

export type Failure = Extract<ProviderResult, { ok: false }>;
export type Suppress = NonNullable<Failure['suppress']>;

/** Statuses worth another try later: the request timed out, came too early, was throttled, or the server failed. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Retry-After as milliseconds from now: delta-seconds ("120") or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export interface StatusDetail {
  /** What the answer means, in our words, for the message's error column (never the provider's body, never credentials). */
  detail?: string;
  retryAfter?: string | null;
  retryAfterMs?: number;
  suppress?: Suppress;
  now?: number;
}

/**
 * What a status means, in our words. The provider's own answer is never repeated to an API caller: the address may be
 * one a workspace chose, and its answer whatever that server holds.
 */
export function statusReason(status: number): string {
  if (status >= 300 && status < 400)
    return 'the provider redirected the request: configure the address it redirects to';
  if (status === 401 || status === 403) return 'the provider refused the credentials or the request';
  if (status === 404 || status === 410) return 'the provider does not know this address';
  if (status === 408) return 'the provider timed out reading the request';
  if (status === 413) return 'the message is too large for the provider';
  if (status === 429) return 'the provider asks to slow down';
  if (status >= 500) return 'the provider failed';
  if (status >= 400) return 'the provider refused the request';
  return 'the provider gave an answer that is not a success';
}

/** A non-2xx answer: retryable for 408, 425, 429 and 5xx (with the wait the provider asked for), permanent otherwise. */
export function classifyStatus(status: number, opts: StatusDetail = {}): Failure {
  const error = `HTTP ${status}${opts.detail ? `: ${opts.detail}` : ''}`;
  if (isRetryableStatus(status)) {
    const wait = opts.retryAfterMs ?? parseRetryAfter(opts.retryAfter, opts.now);
    return { ok: false, retryable: true, error, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
  return { ok: false, retryable: false, error, ...(opts.suppress ? { suppress: opts.suppress } : {}) };
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'ETLS',
]);

function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * An exception instead of an answer: timeouts and connection failures are retryable; anything else is permanent. With
 * `sent` (the whole request had been handed to the network), a timeout or a lost connection is in doubt: the provider
 * may have acted on it, so only a provider that recognises a repeat may get it again.
 */
export function classifyNetworkError(err: unknown, sent = false): Failure {
  const e = err as { name?: string; message?: string; cause?: { message?: string } } | null;
  const code = codeOf(err);
  const timedOut =
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError' ||
    code === 'ETIMEDOUT' ||
    code === 'ESOCKETTIMEDOUT' ||
    !!code?.includes('TIMEOUT');
  const message = e?.cause?.message ?? e?.message ?? String(err);
  const lost =
    timedOut || (!!code && CONNECTION_CODES.has(code)) || (e?.name === 'TypeError' && e.message === 'fetch failed');
  if (lost && sent) {
    return {
      ok: false,
      retryable: true,
      inDoubt: true,
      error: timedOut
        ? 'no answer from the provider after the message was sent (timed out)'
        : `the connection was lost after the message was sent (${code ?? message})`,
    };
  }
  if (timedOut) return { ok: false, retryable: true, error: 'timed out waiting for the provider' };
  if (code && CONNECTION_CODES.has(code))
    return { ok: false, retryable: true, error: `could not reach the provider (${code}): ${message}` };
  if (e?.name === 'TypeError' && e.message === 'fetch failed')
    return { ok: false, retryable: true, error: `could not reach the provider: ${message}` };
  return { ok: false, retryable: false, error: message };
}
