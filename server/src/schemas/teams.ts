import { z } from 'zod';
import { Cursor, PublicId, page, pageLimit, Season } from './common.ts';

export const TEAMS_PAGE = { fallback: 50, max: 100 } as const;

export const Team = z
  .object({
    teamId: PublicId,
    name: z.string(),
    nationality: z.string().nullable(),
    url: z.string().nullable(),
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof Team>;

export const TeamRef = z.object({ teamId: PublicId, name: z.string() }).meta({ id: 'TeamRef' });
export type TeamRef = z.infer<typeof TeamRef>;

export const TeamsListInput = z
  .strictObject({
    season: Season.optional().describe('only teams entered in this season'),
    limit: pageLimit(TEAMS_PAGE.fallback, TEAMS_PAGE.max),
    cursor: Cursor.optional(),
  })
  .optional();
export const TeamPage = page(Team, 'TeamPage');

export const TeamIdInput = z.strictObject({ teamId: PublicId });
