/**
 * Standings reads for ingestion: a season's standings after a round (ordered by position) and every
 * round's stored tables, which `validate` compares with the official ones. The tables are written by
 * the rules engine (domain `refreshStandings`, through ./store.ts); the API has its own queries.
 */
import type { Kysely } from 'kysely';
import type { DB, DriverStanding } from '../schema.ts';

export type StandingRow = Pick<DriverStanding, 'position' | 'points' | 'wins'> & {
  /** `driver_ref` or `team_ref`. */
  ref: string;
};

export interface SeasonStandings {
  season: number;
  /** The last round with standings, or null when the season has none. */
  round: number | null;
  drivers: StandingRow[];
  constructors: StandingRow[];
}

/** Standings after `round` (default: the season's last round with results), ordered by position. */
export async function seasonStandings(
  db: Kysely<DB>,
  params: { season: number; round?: number },
): Promise<SeasonStandings> {
  const last = await db
    .selectFrom('driver_standings')
    .select((eb) => eb.fn.max('round').as('round'))
    .where('season', '=', params.season)
    .$if(params.round !== undefined, (q) => q.where('round', '<=', params.round ?? 0))
    .executeTakeFirst();
  const round = last?.round ?? null;
  if (round === null) return { season: params.season, round: null, drivers: [], constructors: [] };
  const drivers = await db
    .selectFrom('driver_standings as s')
    .innerJoin('drivers as d', 'd.id', 's.driver_id')
    .select(['d.driver_ref as ref', 's.position', 's.points', 's.wins'])
    .where('s.season', '=', params.season)
    .where('s.round', '=', round)
    .orderBy('s.position')
    .orderBy('d.driver_ref')
    .execute();
  const constructors = await db
    .selectFrom('constructor_standings as s')
    .innerJoin('teams as t', 't.id', 's.team_id')
    .select(['t.team_ref as ref', 's.position', 's.points', 's.wins'])
    .where('s.season', '=', params.season)
    .where('s.round', '=', round)
    .orderBy('s.position')
    .orderBy('t.team_ref')
    .execute();
  return { season: params.season, round, drivers, constructors };
}

/** A stored row in the rules engine's shape (`id` is the driver's or team's ref). */
export interface StoredStandingRow {
  id: string;
  position: number;
  positionText: string;
  points: number;
  grossPoints: number;
  droppedPoints: number;
  droppedRounds: number[];
  adjustmentPoints: number;
  wins: number;
  tied: boolean;
}

export interface StoredRound {
  round: number;
  drivers: StoredStandingRow[];
  constructors: StoredStandingRow[];
}

const COLUMNS = [
  's.round',
  's.position',
  's.position_text',
  's.points',
  's.gross_points',
  's.dropped_points',
  's.dropped_rounds',
  's.adjustment_points',
  's.wins',
  's.tied',
] as const;

/** Every round's stored tables of `season`, rounds ascending, rows in table order. */
export async function storedSeasonTables(db: Kysely<DB>, season: number): Promise<StoredRound[]> {
  const drivers = await db
    .selectFrom('driver_standings as s')
    .innerJoin('drivers as d', 'd.id', 's.driver_id')
    .select([...COLUMNS, 'd.driver_ref as ref'])
    .where('s.season', '=', season)
    .orderBy('s.round')
    .orderBy('s.position')
    .orderBy('d.driver_ref')
    .execute();
  const constructors = await db
    .selectFrom('constructor_standings as s')
    .innerJoin('teams as t', 't.id', 's.team_id')
    .select([...COLUMNS, 't.team_ref as ref'])
    .where('s.season', '=', season)
    .orderBy('s.round')
    .orderBy('s.position')
    .orderBy('t.team_ref')
    .execute();
  const rounds = new Map<number, StoredRound>();
  const at = (round: number) => {
    let found = rounds.get(round);
    if (!found) {
      found = { round, drivers: [], constructors: [] };
      rounds.set(round, found);
    }
    return found;
  };
  const toRow = (r: (typeof drivers)[number]): StoredStandingRow => ({
    id: r.ref,
    position: r.position,
    positionText: r.position_text,
    points: r.points,
    grossPoints: r.gross_points,
    droppedPoints: r.dropped_points,
    droppedRounds: r.dropped_rounds,
    adjustmentPoints: r.adjustment_points,
    wins: r.wins,
    tied: r.tied,
  });
  for (const r of drivers) at(r.round).drivers.push(toRow(r));
  for (const r of constructors) at(r.round).constructors.push(toRow(r));
  return [...rounds.values()].sort((a, b) => a.round - b.round);
}
