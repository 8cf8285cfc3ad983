// What every webhook Retain sends carries (pure): the Idempotency-Key, the same on every retry, and the X-Retain-Signature
// over the body. Used by the webhook channel (messages) and by journeys' webhook step, and the keys they send.
import { createHmac } from 'node:crypto';

/** The X-Retain-Signature value: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>. */
function webhookSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** The headers of a webhook POST of JSON `body`: its idempotency key, and its signature when there is a secret. */
export function webhookHeaders(
  body: string,
  idempotencyKey: string,
  secret: string | undefined,
  unixSeconds: number,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'idempotency-key': idempotencyKey,
    ...(secret ? { 'x-retain-signature': webhookSignature(secret, body, unixSeconds) } : {}),
  };
}

/** The idempotency key of one send of a message on a channel (intent message key + channel): every retry sends it again. */
export const sendKey = (messageKey: string, channel: string): string => `${messageKey}:${channel}`;

/** The idempotency key of a journey run's webhook step: the same on every retry of that step of that run. */
export const journeyWebhookKey = (journeyId: string, runId: string, stepId: string): string =>
  `journey:${journeyId}:run:${runId}:${stepId}`;
