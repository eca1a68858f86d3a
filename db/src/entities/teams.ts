/** Read queries for teams (constructors). Keyset-paged by name, then the unique ref. */
import type { Kysely } from 'kysely';
import type { DB, Team, Unqualified } from '../schema.ts';
import { enteredIn } from './entered-in.ts';

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
    query = query.where((eb) => enteredIn(season, 'team_id', eb.ref('t.id')));
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
