/** Read queries for teams (constructors). Keyset-paged by name, then the unique ref. */
import type { Kysely } from 'kysely';
import type { DB, Team, Unqualified } from '../schema.ts';

export interface TeamKey {
  name: string;
  teamRef: string;
}

const TEAM_COLUMNS = ['t.team_ref', 't.name', 't.nationality', 't.url'] as const;

export type TeamRow = Pick<Team, Unqualified<(typeof TEAM_COLUMNS)[number]>>;

export function listTeams(
  db: Kysely<DB>,
  params: { season?: number; limit: number; after?: TeamKey },
): Promise<TeamRow[]> {
  let query = db.selectFrom('teams as t').select(TEAM_COLUMNS);
  const { season, after } = params;
  if (season !== undefined) {
    // Entered in the season: a race or qualifying result for the team that year.
    query = query.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('race_results as rr')
            .innerJoin('races as r', 'r.id', 'rr.race_id')
            .select(eb.lit(1).as('one'))
            .whereRef('rr.team_id', '=', 't.id')
            .where('r.season', '=', season),
        ),
        eb.exists(
          eb
            .selectFrom('qualifying_results as q')
            .innerJoin('races as r', 'r.id', 'q.race_id')
            .select(eb.lit(1).as('one'))
            .whereRef('q.team_id', '=', 't.id')
            .where('r.season', '=', season),
        ),
      ]),
    );
  }
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('t.name', 't.team_ref'), '>', eb.tuple(after.name, after.teamRef)),
    );
  }
  return query.orderBy('t.name').orderBy('t.team_ref').limit(params.limit).execute();
}

export function getTeam(db: Kysely<DB>, teamRef: string): Promise<TeamRow | undefined> {
  return db
    .selectFrom('teams as t')
    .select(TEAM_COLUMNS)
    .where('t.team_ref', '=', teamRef)
    .executeTakeFirst();
}
