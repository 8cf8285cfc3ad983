// Fetch wrapper for the Retain admin API: adds the admin key and turns error responses into thrown Errors, whose message
// is the error code's meaning in the dashboard's language (the server's own words when the code is not known).
import { apiErrorText } from './i18n/errors';

const STORAGE_KEY = 'retain.adminKey';
export const UNAUTHORIZED_EVENT = 'retain:unauthorized';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  /** The parsed error body (e.g. the `errors` list of an invalid segment definition). */
  readonly body: unknown;
  /** The server's own message, in English, as the API sent it. */
  readonly serverMessage: string;
  constructor(status: number, message: string, code?: string, body?: unknown) {
    super(apiErrorText(code, status, message));
    this.serverMessage = message;
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export function getAdminKey(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function setAdminKey(key: string): void {
  localStorage.setItem(STORAGE_KEY, key);
}

export function clearAdminKey(): void {
  localStorage.removeItem(STORAGE_KEY);
}

/** Builds "/api/v1<path>?a=b", skipping undefined, null and empty parameters. */
export function apiPath(path: string, params: Record<string, string | number | null | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
  }
  const qs = search.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

/**
 * GET a JSON resource. Uses `key` when given (sign-in check), otherwise the stored admin key.
 * When the stored key is rejected, a window event is dispatched so the app can sign out.
 */
export async function apiGet<T>(url: string, key?: string): Promise<T> {
  const adminKey = key ?? getAdminKey() ?? '';
  const res = await fetch(url, {
    headers: { Authorization: `Bearer ${adminKey}`, Accept: 'application/json' },
  });
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!res.ok) {
    const err = (body && typeof body === 'object' ? body : {}) as { error?: unknown; message?: unknown };
    const message =
      typeof err.message === 'string' && err.message
        ? err.message
        : typeof err.error === 'string' && err.error
          ? err.error
          : '';
    if (key === undefined && (res.status === 401 || res.status === 403)) {
      window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    }
    throw new ApiError(res.status, message, typeof err.error === 'string' ? err.error : undefined);
  }
  return body as T;
}

/** POST / PATCH / DELETE with an optional JSON body, with the stored admin key; errors as in apiGet. */
export async function apiSend<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${getAdminKey() ?? ''}`,
    Accept: 'application/json',
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!res.ok) {
    const err = (parsed && typeof parsed === 'object' ? parsed : {}) as { error?: unknown; message?: unknown };
    const message = typeof err.message === 'string' && err.message ? err.message : '';
    if (res.status === 401 || res.status === 403) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    throw new ApiError(res.status, message, typeof err.error === 'string' ? err.error : undefined, parsed);
  }
  return parsed as T;
}
