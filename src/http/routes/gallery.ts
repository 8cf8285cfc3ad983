// Journey gallery API: the ready-made journeys, and creating one (its templates, segments and a draft journey) in one call.
import { z } from 'zod';
import type { App, RouteContext } from '../app.ts';
import { DomainError } from '../../lib/index.ts';
import { RECIPES, recipeById } from '../../journeys/index.ts';
import { installRecipe } from '../../gallery/index.ts';

export async function galleryRoutes(app: App, ctx: RouteContext) {
  app.get(
    '/api/v1/journeys/gallery',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Ready-made journeys: what each does, the data it needs, its definition and templates',
      },
    },
    async (req) => {
      await ctx.guard(req, 'admin');
      return { recipes: RECIPES };
    },
  );

  app.post(
    '/api/v1/journeys/gallery/:recipe',
    {
      schema: {
        tags: ['journeys'],
        params: z.object({ recipe: z.string().max(100).describe('a recipe id from GET /api/v1/journeys/gallery') }),
        summary:
          'Create a ready-made journey as a draft, with its templates and segments (ids taken already get a -2, -3 … suffix); returns the ids given',
      },
    },
    async (req, reply) => {
      const key = await ctx.guard(req, 'admin');
      const recipe = recipeById(req.params.recipe);
      if (!recipe)
        throw new DomainError(
          'not_found',
          404,
          `recipe: no recipe "${req.params.recipe}"; GET /api/v1/journeys/gallery lists them (${RECIPES.map((r) => r.id).join(', ')}).`,
        );
      return reply.status(201).send(await installRecipe(ctx.db, key.workspaceId, recipe, ctx.clock()));
    },
  );
}
