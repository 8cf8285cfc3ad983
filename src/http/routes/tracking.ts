// Tracking endpoints in sent e-mails, authenticated by their signed token alone: the open pixel (/t/o/<token>) and
// tracked links (/t/c/<token>, a 302 to the target signed inside the token; a bad token gets a 400 page and never a
// redirect). Registered as wildcards: a click token carries its URL and is longer than a route parameter may be.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, RouteContext } from '../app.ts';
import { readTracking, recordClick, recordOpen, type TrackingRequest } from '../../messaging/index.ts';
import { PAGE_HEADERS, linkProblemPage } from '../../consent/index.ts';
import { headerLanguage } from '../../i18n/index.ts';

/** A transparent 1×1 GIF. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Every answer is fetched anew (each fetch is an open) and tells the target nothing about the token. */
const NO_CACHE = {
  'cache-control': 'no-store, no-cache, must-revalidate, private, max-age=0',
  pragma: 'no-cache',
  expires: '0',
  'referrer-policy': 'no-referrer',
} as const;

const tokenOf = (req: FastifyRequest) => String((req.params as { '*'?: string })['*'] ?? '');

const hitOf = (req: FastifyRequest, at: Date): TrackingRequest => ({
  method: req.method,
  ip: req.ip ?? null,
  userAgent: req.headers['user-agent'] ?? null,
  at,
});

export async function trackingRoutes(app: App, ctx: RouteContext) {
  // The pixel answers with the image whatever happens: a broken image in someone's mail helps nobody.
  app.get(
    '/t/o/*',
    {
      config: { ownInputChecks: true },
      schema: { tags: ['tracking'], summary: 'Open pixel of an e-mail (GET /t/o/:token): a 1×1 GIF; records the open' },
    },
    async (req, reply) => {
      const at = ctx.clock();
      try {
        const check = await readTracking(ctx.db, tokenOf(req), 'open');
        if (check.ok) await recordOpen(ctx.db, check.payload.ws, check.payload.m, hitOf(req, at));
      } catch (err) {
        req.log.error({ err }, 'recording an open failed');
      }
      return reply.status(200).headers(NO_CACHE).type('image/gif').send(PIXEL);
    },
  );

  app.get(
    '/t/c/*',
    {
      config: { ownInputChecks: true },
      schema: {
        tags: ['tracking'],
        summary: 'Tracked link of an e-mail (GET /t/c/:token): 302 to the URL signed in the token; records the click',
      },
    },
    async (req, reply: FastifyReply) => {
      const at = ctx.clock();
      const check = await readTracking(ctx.db, tokenOf(req), 'click');
      if (!check.ok)
        return reply
          .status(400)
          .headers(PAGE_HEADERS)
          .send(linkProblemPage(check.reason, headerLanguage(req.headers['accept-language']) ?? 'en'));
      try {
        await recordClick(ctx.db, check.payload.ws, check.payload.m, check.payload.u, hitOf(req, at));
      } catch (err) {
        req.log.error({ err }, 'recording a click failed');
      }
      // Serialised by the URL parser: non-ASCII percent-encoded (a header must be), the target otherwise the same.
      return reply.status(302).headers(NO_CACHE).header('location', new URL(check.payload.u).href).send();
    },
  );
}
