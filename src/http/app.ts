// The HTTP application: Fastify with zod-validated routes, OpenAPI at /docs, auth, rate limits and the dashboard.
import Fastify, {
  type FastifyInstance,
  type FastifyBaseLogger,
  type FastifyRequest,
  type RawServerDefault,
} from 'fastify';
import type { KeyOwner, KeyNeed } from '../workspaces/index.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Db, Queryable, AdminReadLimits } from '../store/index.ts';
import { keyAuthenticator, requireKind } from './auth.ts';
import { DomainError } from '../lib/index.ts';
import { inputProblem } from './input-guard.ts';
import { addSecurityHeaders } from './security-headers.ts';
import { redactingDestination, type LogDestination } from './log-redaction.ts';
import { defaultPerAddress, rateLimiter } from './rate-limit.ts';
import { loadConfig, type TrustProxy } from '../config.ts';
import { adminReader, type AdminRead } from './admin-read.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { healthRoutes } from './routes/health.ts';
import { workspaceRoutes } from './routes/workspace.ts';
import { customerRoutes } from './routes/customers.ts';
import { segmentRoutes } from './routes/segments.ts';
import { modelRoutes } from './routes/models.ts';
import { journeyRoutes } from './routes/journeys.ts';
import { galleryRoutes } from './routes/gallery.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { templateRoutes } from './routes/templates.ts';
import { channelRoutes } from './routes/channels.ts';
import { consentRoutes } from './routes/consent.ts';
import { receiptRoutes } from './routes/receipts.ts';
import { trackingRoutes } from './routes/tracking.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { keyRoutes } from './routes/keys.ts';
import { demoRoutes } from './routes/demo.ts';
import { experimentRoutes } from './routes/experiments.ts';
import { loyaltyRoutes } from './routes/loyalty.ts';
import { couponRoutes } from './routes/coupons.ts';

export interface AppOptions {
  db: Db;
  bodyLimitBytes?: number;
  /** Requests a minute per key (default 12,000; 0 = none). */
  rateLimitPerMinute?: number;
  /** Requests a minute per client address under one public key (default 5% of the key's). */
  rateLimitPerAddress?: number;
  /** Failed authentications a minute per client address before it is answered 429 (default 20). */
  authFailuresPerMinute?: number;
  /** Whom to believe about the client's address (X-Forwarded-For): Fastify's trustProxy; default nobody. */
  trustProxy?: TrustProxy;
  logLevel?: string;
  /** Where log lines go (default standard output); hook and link tokens are redacted from them either way. */
  logDestination?: LogDestination;
  /** The clock used as receivedAt; injected by tests. */
  clock?: () => Date;
  webDir?: string | null;
  /** Limits of expensive admin reads (segment previews, search, analytics); default from config.ts. */
  adminReads?: Partial<AdminReadLimits>;
}

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface RouteContext {
  db: Db;
  clock: () => Date;
  /**
   * Authenticates the request and counts it against the rate limits (once per request), then checks that its key may
   * call a route that needs `need`: any key (`public`), a secret one (`server`), or the admin key (403 otherwise).
   */
  guard: (req: FastifyRequest, need: KeyNeed) => Promise<KeyOwner>;
  /**
   * Runs an expensive read of a workspace (see store/admin-reads.ts): under a statement_timeout, on its own connections,
   * a few at a time per workspace; a read stopped by the timeout answers 422 saying what to simplify, too many at once 503.
   */
  adminRead: <T>(workspace: string, what: AdminRead, read: (q: Queryable) => Promise<T>) => Promise<T>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks its own input for NUL and depth (ingest: per message, so a bad one does not spoil its batch). */
    ownInputChecks?: boolean;
  }
}

const INTERNAL = {
  error: 'internal',
  message: 'Something went wrong on our side; the request was not applied. Retry it.',
};

/** Paths that belong to the API, never to the dashboard: /api, /v1, /docs and the probes. */
const API_PATH = /^\/(api|v1|docs|healthz?|readyz?)(\/|\?|$)/;

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * The decompressed body stream. Fastify compares Content-Length (the compressed size) with `receivedEncodedLength`
 * of the stream a preParsing hook returns, else with the decompressed size, which never matches: count the wire bytes.
 */
function decompressed(payload: NodeJS.ReadableStream, inflate: Transform): Transform {
  const out = Object.assign(inflate, { receivedEncodedLength: 0 });
  payload.on('data', (chunk: Buffer) => (out.receivedEncodedLength += chunk.length));
  payload.on('error', (err: Error) => out.destroy(err));
  return payload.pipe(out);
}

export async function buildApp(opts: AppOptions): Promise<App> {
  const app = Fastify({
    logger:
      opts.logLevel === 'silent'
        ? false
        : { level: opts.logLevel ?? 'info', stream: redactingDestination(opts.logDestination ?? process.stdout) },
    bodyLimit: opts.bodyLimitBytes ?? 4 * 1024 * 1024,
    // a number (hops) is allowed at run time though Fastify's types leave it out
    trustProxy: (opts.trustProxy ?? false) as boolean | string,
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;
  // Fastify hands a missing body to the validator as null: a route whose body is optional (models/fit) must see none.
  app.setValidatorCompiler((route: Parameters<typeof validatorCompiler>[0]) => {
    const validate = validatorCompiler(route);
    return route.httpPart === 'body' ? (data: unknown) => validate(data ?? undefined) : validate;
  });
  app.setSerializerCompiler(serializerCompiler);
  addSecurityHeaders(app as unknown as FastifyInstance);

  // Compressed bodies (Segment clients may gzip); the body limit applies to the decompressed bytes.
  app.addHook('preParsing', async (req, _reply, payload) => {
    const encoding = req.headers['content-encoding'];
    if (encoding === 'gzip') return decompressed(payload, createGunzip());
    if (encoding === 'deflate') return decompressed(payload, createInflate());
    return payload;
  });

  // Many clients say `content-type: application/json` on every request, also on a POST that has no body (activate,
  // pause, evaluate…): an empty body is then no body, and a route that needs one says so by field. Anything else is
  // parsed by Fastify's own secure parser. (The ingest routes parse their bodies themselves, see routes/ingest.ts.)
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    String(body).trim() === '' ? done(null, undefined) : json(req, body as string, done),
  );

  // Every error is answered here, once: the domain's own (lib/errors.ts) with their code, status and words; Fastify's
  // (validation, body size, JSON) in the same { error, message } shape; anything else as a 500 that is logged.
  app.setErrorHandler((err: any, req, reply) => {
    if (err instanceof DomainError) {
      if (err.retryAfter) reply.header('retry-after', String(err.retryAfter));
      if (err.status === 500) {
        // the operator's to fix (a secret key that cannot be read): logged, and said to the admin, not to the public
        req.log.error({ err }, 'request failed');
        if (req.key?.kind !== 'admin') return reply.status(500).send(INTERNAL);
      }
      return reply.status(err.status).send(err.body());
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        field: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
        reason: v.message ?? 'invalid',
      }));
      const first = issues[0]!;
      return reply
        .status(400)
        .send({ error: 'invalid_request', message: `${first.field || 'body'}: ${first.reason}`, issues });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({
        error: 'body_too_large',
        message: `The body is over ${app.initialConfig.bodyLimit} bytes: split it into smaller batches.`,
      });
    }
    if (
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      err instanceof SyntaxError ||
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
    ) {
      return reply.status(400).send({ error: 'malformed_json', message: `The body is not valid JSON: ${err.message}` });
    }
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR') {
      return reply.status(400).send({
        error: 'malformed_body',
        message: 'Content-Encoding says gzip/deflate but the body is not: send it compressed or drop the header.',
      });
    }
    if (err.statusCode && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ error: 'bad_request', message: err.message });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send(INTERNAL);
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Retain API',
        version: '0.1.0',
        description: 'Segment-compatible ingestion (/v1) and the admin API (/api/v1).',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          basic: {
            type: 'http',
            scheme: 'basic',
            description: 'Segment style: the public or server key as user name, empty password.',
          },
        },
      },
      security: [{ bearer: [] }, { basic: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const clock = opts.clock ?? (() => new Date());
  const perKey = opts.rateLimitPerMinute ?? 12_000;
  const limits = rateLimiter(
    opts.db,
    {
      perKey,
      perAddress: opts.rateLimitPerAddress ?? defaultPerAddress(perKey),
      authFailures: opts.authFailuresPerMinute ?? 20,
    },
    () => clock().getTime(),
  );
  const authenticate = keyAuthenticator(opts.db, limits);
  const readAdmin = adminReader({ ...configuredAdminReads(), ...opts.adminReads });
  const ctx: RouteContext = {
    db: opts.db,
    clock,
    adminRead: (workspace, what, read) => readAdmin(opts.db, workspace, what, read),
    guard: async (req, need) => {
      // Checked and counted once per request (req.key is set then); a later call only needs to be allowed.
      if (!req.key) {
        const owner = await authenticate(req);
        req.key = owner;
        await limits.request(owner, req.ip);
      }
      return requireKind(req.key, need);
    },
  };
  // The key is checked and counted before the body is read: without a valid key nothing is parsed, decompressed or
  // validated, and bad bodies count against the key's rate limit. The handlers' own guard calls then reuse the result.
  app.addHook('onRequest', async (req) => {
    // A browser's CORS preflight carries no key; the routes that allow cross-origin calls answer it themselves.
    if (req.method === 'OPTIONS') return;
    const route = req.routeOptions.url ?? '';
    if (route.startsWith('/api/')) await ctx.guard(req, 'admin');
    else if (route.startsWith('/v1/')) await ctx.guard(req, 'public'); // each route asks for more if it needs it
  });
  // Bad input is a 400 naming the field before any validator sees it: a NUL (names, searches, definitions) or a body
  // nested past 64 levels (input-guard.ts). The ingest routes check each message themselves instead.
  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.config?.ownInputChecks) return;
    const parts = [
      ['params', req.params],
      ['query', req.query],
      ['body', req.body],
    ] as const;
    for (const [part, value] of parts) {
      const problem = inputProblem(value);
      if (problem) {
        const field = problem.field || part;
        throw new DomainError('invalid_request', 400, `${field}: ${problem.reason}`, { field, details: { in: part } });
      }
    }
  });
  await app.register(async (scope) => healthRoutes(scope, ctx));
  await app.register(async (scope) => ingestRoutes(scope, ctx));
  await app.register(async (scope) => workspaceRoutes(scope, ctx));
  await app.register(async (scope) => customerRoutes(scope, ctx));
  await app.register(async (scope) => segmentRoutes(scope, ctx));
  await app.register(async (scope) => modelRoutes(scope, ctx));
  await app.register(async (scope) => journeyRoutes(scope, ctx));
  await app.register(async (scope) => galleryRoutes(scope, ctx));
  await app.register(async (scope) => catalogRoutes(scope, ctx));
  await app.register(async (scope) => templateRoutes(scope, ctx));
  await app.register(async (scope) => channelRoutes(scope, ctx));
  await app.register(async (scope) => consentRoutes(scope, ctx));
  await app.register(async (scope) => receiptRoutes(scope, ctx));
  await app.register(async (scope) => trackingRoutes(scope, ctx));
  await app.register(async (scope) => analyticsRoutes(scope, ctx));
  await app.register(async (scope) => keyRoutes(scope, ctx));
  await app.register(async (scope) => demoRoutes(scope, ctx));
  await app.register(async (scope) => loyaltyRoutes(scope, ctx));
  await app.register(async (scope) => experimentRoutes(scope, ctx));
  await app.register(async (scope) => couponRoutes(scope, ctx));

  const webDir = opts.webDir === undefined ? DEFAULT_WEB_DIR : opts.webDir;
  if (webDir && existsSync(webDir)) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false });
    // The dashboard's own paths (/customers/42…) get its page; an unknown API path gets a 404 in JSON, never the page.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !API_PATH.test(req.url)) return reply.sendFile('index.html');
      return reply.status(404).send({
        error: 'not_found',
        message: `No route ${req.method} ${req.url.split('?')[0]}. The API is described at /docs.`,
      });
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html')
        .send(
          '<p>Retain is running. The dashboard is not built yet: run <code>npm run build</code>. API docs: <a href="/docs">/docs</a>.</p>',
        ),
    );
  }
  return app;
}

function configuredAdminReads(): AdminReadLimits {
  const { timeoutMs, perWorkspace } = loadConfig().adminReads;
  return { timeoutMs, perWorkspace };
}
