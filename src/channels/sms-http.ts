// SMS through any HTTP gateway: the request (URL, method, headers, JSON or form body) is a template the operator writes.
import { z } from 'zod';
import type { Channel, OutgoingMessage, Provider, ProviderResult } from './types.ts';
import { headerMap, httpUrl, text, timeoutMs } from './fields.ts';
import { failureOf, httpCall, isFailure, isSuccess } from './http.ts';
import { fill, fillJson, stringsIn, unknownPlaceholders, valueAt } from './template.ts';

const MESSAGE_FIELDS = new Set(['to', 'text', 'key']);

export const smsHttpSettings = z
  .strictObject({
    url: httpUrl('the gateway endpoint; it may use {{to}}, {{text}}, {{key}} and {{secrets.NAME}}'),
    method: z.enum(['POST', 'PUT', 'GET'], { error: 'must be POST, PUT or GET' }).default('POST'),
    format: z
      .enum(['json', 'form'], { error: 'must be "json" or "form" (application/x-www-form-urlencoded)' })
      .default('json'),
    headers: headerMap('header values, e.g. {"Authorization": "Bearer {{secrets.apiKey}}"}').default({}),
    body: z
      .record(z.string(), z.unknown(), {
        error: 'must be an object: the fields to send, e.g. {"to": "{{to}}", "message": "{{text}}"}',
      })
      .optional(),
    /** Credentials, kept apart so that they can be masked and referred to as {{secrets.NAME}}. */
    secrets: z.record(z.string(), z.string({ error: 'must be text' })).default({}),
    idPath: text('where the gateway answers its message id, e.g. "messages[0].id"').optional(),
    timeoutMs,
  })
  .superRefine((s, ctx) => {
    const known = (name: string) =>
      MESSAGE_FIELDS.has(name) || (name.startsWith('secrets.') && name.slice(8) in s.secrets);
    const places: [(string | number)[], string][] = [
      [['url'], s.url],
      ...stringsIn(s.headers, ['headers']),
      ...stringsIn(s.body ?? {}, ['body']),
    ];
    for (const [path, value] of places) {
      for (const name of unknownPlaceholders(value, known)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `{{${name}}} is not a placeholder: use {{to}}, {{text}}, {{key}} or {{secrets.NAME}} with NAME in "secrets"`,
        });
      }
    }
    if (s.format === 'form') {
      for (const [key, value] of Object.entries(s.body ?? {})) {
        if (typeof value !== 'string')
          ctx.addIssue({
            code: 'custom',
            path: ['body', key],
            message: 'must be text: a form body is flat text fields',
          });
      }
    }
    if (s.method !== 'GET' && !s.body)
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: 'is required for POST and PUT: the fields to send, e.g. {"to": "{{to}}", "message": "{{text}}"}',
      });
  });
export type SmsHttpSettings = z.infer<typeof smsHttpSettings>;

const hasHeader = (headers: Record<string, string>, name: string) =>
  Object.keys(headers).some((k) => k.toLowerCase() === name);

/** The gateway's message id, when it looks like one: a short token, not whatever the path happens to point at. */
function messageId(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const id = String(value);
  return /^[\w.:@/+=-]{1,128}$/.test(id) ? id : undefined;
}

export class SmsHttpProvider implements Provider {
  readonly name = 'sms-http';
  readonly channel: Channel = 'sms';

  constructor(private readonly settings: SmsHttpSettings) {}

  async send(message: OutgoingMessage): Promise<ProviderResult> {
    if (!message.sms) return { ok: false, retryable: false, error: 'the message has no SMS text to send' };
    const s = this.settings;
    const values: Record<string, string> = { to: message.to, text: message.sms.text, key: message.key };
    for (const [name, value] of Object.entries(s.secrets)) values[`secrets.${name}`] = value;
    const headers = Object.fromEntries(Object.entries(s.headers).map(([k, v]) => [k, fill(v, values)]));
    let body: string | undefined;
    if (s.method !== 'GET' && s.body) {
      if (s.format === 'form') {
        body = new URLSearchParams(Object.entries(s.body).map(([k, v]) => [k, fill(String(v), values)])).toString();
        if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/x-www-form-urlencoded';
      } else {
        body = JSON.stringify(fillJson(s.body, values));
        if (!hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
      }
    }
    const answer = await httpCall(fill(s.url, values, encodeURIComponent), {
      method: s.method,
      headers,
      body,
      timeoutMs: s.timeoutMs,
    });
    if (isFailure(answer)) return answer;
    if (!isSuccess(answer)) return failureOf(answer);
    const id = s.idPath ? messageId(valueAt(answer.json, s.idPath)) : undefined;
    return { ok: true, ...(id ? { providerMessageId: id } : {}) };
  }
}
