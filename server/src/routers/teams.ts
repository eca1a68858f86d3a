/** `teams.list`, `teams.get`. */
import { getTeam, listTeams } from '@f1/db/entities/teams';
import { z } from 'zod';
import { toTeam } from '../mappers/entities.ts';
import { TEAMS_PAGE, Team, TeamIdInput, TeamPage, TeamsListInput } from '../schemas/teams.ts';
import { text } from '../schemas/text.ts';
import { publicProcedure, router } from '../trpc/init.ts';
import { EDGE, TTL } from './cache-policy.ts';
import { cached, cacheKey } from './cached.ts';
import { notFound } from './errors.ts';
import { decodeCursor, toPage } from './paging.ts';

const TeamKey = z.tuple([text(), text()]);

export const teamsRouter = router({
  list: publicProcedure
    .meta({
      cache: EDGE.reference,
      openapi: {
        method: 'GET',
        path: '/teams',
        tags: ['teams'],
        summary: 'Teams (constructors), by name (paged; filter by season)',
      },
    })
    .input(TeamsListInput)
    .output(TeamPage)
    .query(({ ctx, input }) => {
      const { season, cursor } = input ?? {};
      const limit = input?.limit ?? TEAMS_PAGE.fallback;
      const after = cursor ? decodeCursor('teams.list', cursor, TeamKey) : undefined;
      const key = cacheKey('teams.list', { season, limit, cursor });
      return cached(ctx, { key, tags: ['teams'], ttl: TTL.reference }, async () => {
        const rows = await listTeams(ctx.services.db, {
          season,
          limit: limit + 1,
          after: after && { name: after[0], teamRef: after[1] },
        });
        return toPage(rows, {
          limit,
          list: 'teams.list',
          key: (row) => [row.name, row.team_ref],
          map: toTeam,
        });
      });
    }),

  get: publicProcedure
    .meta({
      cache: EDGE.reference,
      openapi: { method: 'GET', path: '/teams/{teamId}', tags: ['teams'], summary: 'One team' },
    })
    .input(TeamIdInput)
    .output(Team)
    .query(({ ctx, input }) =>
      cached(
        ctx,
        { key: cacheKey('teams.get', input), tags: ['teams'], ttl: TTL.reference },
        async () => {
          const row = await getTeam(ctx.services.db, input.teamId);
          if (!row) throw notFound(`team "${input.teamId}"`);
          return toTeam(row);
        },
      ),
    ),
});
