// Google service-account OAuth: a JWT signed with the account's key (RS256) traded for an access token, cached until expiry.
import { createSign } from 'node:crypto';
import type { Failure } from './classify.ts';
import { failureOf, httpCall, isFailure, isSuccess } from './http.ts';

export interface ServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
  token_uri: string;
  private_key_id?: string;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** A compact JWT signed with RS256 (RSASSA-PKCS1-v1_5 with SHA-256). */
export function signJwt(claims: Record<string, unknown>, privateKey: string, keyId?: string): string {
  const header = { alg: 'RS256', typ: 'JWT', ...(keyId ? { kid: keyId } : {}) };
  const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey);
  return `${unsigned}.${b64url(signature)}`;
}

const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
];

/** Refresh this long before the token expires, so that a send never carries one that dies in flight. */
const MARGIN_MS = 60_000;

export class AccessTokens {
  private token: { value: string; until: number } | null = null;
  private pending: Promise<string | Failure> | null = null;

  constructor(
    private readonly account: ServiceAccount,
    private readonly scope: string,
    private readonly timeoutMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** A valid access token; concurrent callers share one token request. */
  async get(): Promise<string | Failure> {
    if (this.token && this.token.until > this.clock()) return this.token.value;
    this.pending ??= this.fetch().finally(() => (this.pending = null));
    return this.pending;
  }

  /** Forget the token (the API said 401): the next get() asks for a new one. */
  invalidate(): void {
    this.token = null;
  }

  private async fetch(): Promise<string | Failure> {
    const now = Math.floor(this.clock() / 1000);
    const a = this.account;
    const assertion = signJwt(
      { iss: a.client_email, scope: this.scope, aud: a.token_uri, iat: now, exp: now + 3600 },
      a.private_key,
      a.private_key_id,
    );
    const answer = await httpCall(a.token_uri, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      timeoutMs: this.timeoutMs,
    });
    if (isFailure(answer)) {
      // A token request in doubt sent no message: the message itself was never handed over.
      const { inDoubt: _, ...failure } = answer;
      return failure;
    }
    if (!isSuccess(answer) || typeof answer.json?.access_token !== 'string') {
      // The OAuth error code (RFC 6749 §5.2) is one of a known few; the description is not repeated.
      const code = OAUTH_ERRORS.find((c) => c === answer.json?.error);
      const failure = failureOf(answer, {
        detail: `the service account was refused a token${code ? ` (${code})` : ''}`,
      });
      return isSuccess(answer)
        ? { ok: false, retryable: true, error: 'the token endpoint answered without an access_token' }
        : failure;
    }
    const lifetimeMs = Number(answer.json.expires_in ?? 3600) * 1000;
    this.token = {
      value: answer.json.access_token,
      until: this.clock() + lifetimeMs - Math.min(MARGIN_MS, lifetimeMs / 2),
    };
    return this.token.value;
  }
}
