// Security headers on every answer (the dashboard, the API docs, JSON, the consent pages): what a browser may load
// for our pages, no framing by other sites, no referrer (links carry tokens), and no guessing of content types.
// A route that sets one of them itself (the consent pages' stricter policy) keeps its own.
import type { FastifyInstance } from 'fastify';

/**
 * The dashboard's policy: its scripts, styles and API calls come from this server only. Styles may be inline (uPlot
 * and React Flow position their elements with style attributes); no script is inline, none is evaluated. Images may
 * also come over HTTPS from anywhere: an e-mail preview shows the shop's product pictures from its own servers.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
} as const;

/** Adds the headers to every answer, errors and 404s included, unless the route set its own value. */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
  });
}
