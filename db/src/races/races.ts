/**
 * Read queries for races: a season's calendar, one race, the next and the last race, with their
 * practice/qualifying/sprint sessions (UTC). A race and its sessions are two statements: sessions are a
 * variable-length list, and a JSON aggregate would turn their timestamps into strings.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Circuit, DB, Race, RaceSession } from '../schema.ts';
import type { RaceRef } from './results.ts';

export type RaceRow = Pick<
  Race,
  'id' | 'season' | 'round' | 'name' | 'date' | 'starts_at' | 'url'
> &
  Pick<Circuit, 'circuit_ref' | 'locality' | 'country'> & { circuit_name: Circuit['name'] };

export type SessionRow = RaceSession;

type RaceQuery = SelectQueryBuilder<
  DB & { r: DB['races'] } & { c: DB['circuits'] },
  'r' | 'c',
  RaceRow
>;

function races(db: Kysely<DB>): RaceQuery {
  return db
    .selectFrom('races as r')
    .innerJoin('circuits as c', 'c.id', 'r.circuit_id')
    .select([
      'r.id',
      'r.season',
      'r.round',
      'r.name',
      'r.date',
      'r.starts_at',
      'r.url',
      'c.circuit_ref',
      'c.name as circuit_name',
      'c.locality',
      'c.country',
    ]);
}

export function seasonRaces(db: Kysely<DB>, season: number): Promise<RaceRow[]> {
  return races(db).where('r.season', '=', season).orderBy('r.round').execute();
}

export function getRace(db: Kysely<DB>, race: RaceRef): Promise<RaceRow | undefined> {
  return races(db)
    .where('r.season', '=', race.season)
    .where('r.round', '=', race.round)
    .executeTakeFirst();
}

/**
 * The first race that has not started at `now`: its start time is later, or, when the source gave no
 * start time, its day is today or later (UTC).
 */
export function nextRace(db: Kysely<DB>, now: Date): Promise<RaceRow | undefined> {
  const today = now.toISOString().slice(0, 10);
  const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  return (
    races(db)
      // A start time lies within a day of the race day, so this sargable bound loses nothing.
      .where('r.date', '>=', yesterday)
      .where((eb) =>
        eb.or([
          eb('r.starts_at', '>', now),
          eb.and([eb('r.starts_at', 'is', null), eb('r.date', '>=', today)]),
        ]),
      )
      .orderBy('r.date')
      .orderBy('r.season')
      .orderBy('r.round')
      .limit(1)
      .executeTakeFirst()
  );
}

/** The latest race that has race results (the Ergast `last`: what the data knows has happened). */
export function lastRace(db: Kysely<DB>): Promise<RaceRow | undefined> {
  return races(db)
    .where(({ exists, selectFrom, lit }) =>
      exists(
        selectFrom('race_results as rr')
          .select(lit(1).as('one'))
          .whereRef('rr.race_id', '=', 'r.id'),
      ),
    )
    .orderBy('r.season', 'desc')
    .orderBy('r.round', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Sessions of the given races, in start order. */
export function raceSessions(db: Kysely<DB>, raceIds: number[]): Promise<SessionRow[]> {
  if (raceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('race_sessions as s')
    .select(['s.race_id', 's.kind', 's.date', 's.starts_at'])
    .where('s.race_id', 'in', raceIds)
    .orderBy('s.race_id')
    .orderBy('s.date')
    .orderBy('s.starts_at')
    .execute();
}
