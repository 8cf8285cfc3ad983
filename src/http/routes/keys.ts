// The workspace's keys (admin): list them, make one (shown once), revoke one. Revoked keys stop working within the
// 10 s the key check is cached; the last admin key cannot be revoked.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError } from '../../lib/index.ts';
import { hashKey, keyId, KEY_KINDS, insertKey, listKeys, revokeKey, type ListedKey } from '../../workspaces/index.ts';

const listed = (k: ListedKey) => ({
  id: k.id,
  kind: k.kind,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

export async function keyRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/keys',
    {
      schema: {
        tags: ['workspace'],
        summary: 'The keys of this workspace (id, kind, first characters, made, revoked)',
      },
    },
    async (req) => {
      const key = await ctx.guard(req, 'admin');
      return { keys: (await listKeys(ctx.db, key.workspaceId)).map(listed) };
    },
  );

  app.post(
    '/api/v1/keys',
    {
      schema: {
        tags: ['workspace'],
        summary:
          'Make a key: public (web pages), server (your backend) or admin; the answer is the only time the key is shown',
        body: z.strictObject({ kind: z.enum(KEY_KINDS) }),
      },
    },
    async (req, reply) => {
      const owner = await ctx.guard(req, 'admin');
      const key = await insertKey(ctx.db, owner.workspaceId, req.body.kind);
      const made = (await listKeys(ctx.db, owner.workspaceId)).find((k) => k.id === keyId(hashKey(key)))!;
      return reply.status(201).send({ key, ...listed(made) });
    },
  );

  app.delete(
    '/api/v1/keys/:id',
    {
      schema: { tags: ['workspace'], summary: 'Revoke a key by its id', params: z.object({ id: z.string().max(64) }) },
    },
    async (req) => {
      const owner = await ctx.guard(req, 'admin');
      const r = await revokeKey(ctx.db, owner.workspaceId, req.params.id, ctx.clock());
      if (r.revoked) return listed(r.key);
      if (r.reason === 'not_found')
        throw new DomainError(
          'not_found',
          404,
          `No key "${req.params.id}" in this workspace: list them with GET /api/v1/keys.`,
        );
      throw new DomainError(
        'last_admin_key',
        409,
        'This is the last admin key in force: make another (POST /api/v1/keys {"kind": "admin"}) before revoking it, or nobody could sign in again.',
      );
    },
  );
}
