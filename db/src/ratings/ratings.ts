/**
 * ELO ratings: the inputs of a recomputation, writing its results (history per race + the current
 * rating on the driver/team row), and the read side (ratings as of a race, one competitor's history).
 * Drivers and teams share the code; `kind` picks the tables.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export type RatedKind = 'driver' | 'team';

const TABLES = {
  driver: { history: 'driver_ratings', entity: 'drivers', id: 'driver_id', ref: 'driver_ref' },
  team: { history: 'team_ratings', entity: 'teams', id: 'team_id', ref: 'team_ref' },
} as const;

export interface ResultRowForRating {
  race_id: number;
  season: number;
  round: number;
  driver_id: number;
  team_id: number | null;
  position: number | null;
  position_order: number;
  status: string | null;
  grid: number | null;
}

/** Every race result, in chronological order: what a full ELO recomputation reads. */
export async function resultsForRating(db: Kysely<DB>): Promise<ResultRowForRating[]> {
  const rows = await sql<ResultRowForRating>`
    SELECT rr.race_id, r.season, r.round, rr.driver_id, rr.team_id, rr.position, rr.position_order, rr.status, rr.grid
    FROM race_results rr JOIN races r ON r.id = rr.race_id
    ORDER BY r.season, r.round, rr.position_order, rr.driver_id, rr.entry`.execute(db);
  return rows.rows;
}

export interface RatingHistoryRow {
  id: number;
  raceId: number;
  before: number;
  after: number;
}

async function replaceOne(db: Kysely<DB>, kind: RatedKind, rows: RatingHistoryRow[]) {
  const t = TABLES[kind];
  await sql`DELETE FROM ${sql.table(t.history)}`.execute(db);
  if (rows.length) {
    await sql`
      INSERT INTO ${sql.table(t.history)} (${sql.ref(t.id)}, race_id, rating_before, rating_after)
      SELECT * FROM unnest(${rows.map((r) => r.id)}::int[], ${rows.map((r) => r.raceId)}::int[],
        ${rows.map((r) => r.before)}::float8[], ${rows.map((r) => r.after)}::float8[])`.execute(db);
  }
  // The current rating is the last `after` of each competitor (rows are chronological); everyone else
  // is back at the initial rating.
  const current = new Map<number, number>();
  for (const r of rows) current.set(r.id, r.after);
  await sql`
    UPDATE ${sql.table(t.entity)} e SET elo_rating = COALESCE(v.rating, 1500)
    FROM ${sql.table(t.entity)} e2
    LEFT JOIN unnest(${[...current.keys()]}::int[], ${[...current.values()]}::float8[]) AS v(id, rating)
      ON v.id = e2.id
    WHERE e.id = e2.id AND e.elo_rating IS DISTINCT FROM COALESCE(v.rating, 1500)`.execute(db);
}

/** Replaces the whole rating history and the current ratings in one transaction (readers see old or new). */
export async function replaceRatings(
  db: Kysely<DB>,
  history: { drivers: RatingHistoryRow[]; teams: RatingHistoryRow[] },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await replaceOne(trx, 'driver', history.drivers);
    await replaceOne(trx, 'team', history.teams);
  });
}

export interface RatingStanding {
  rank: number;
  /** Public id (`max_verstappen`, `red_bull`). */
  id: string;
  name: string;
  rating: number;
  /** Change at the target race (0 when absent from it). */
  change: number;
  /** Races rated this season up to the target race. */
  races: number;
}

export interface RatingsAsOf {
  season: number;
  round: number;
  ratings: RatingStanding[];
}

/**
 * Ratings as of a race: everyone who raced that season up to `round` (default: the season's last rated
 * race; without `season`, the latest rated race overall), at their latest rating. Null when nothing is rated.
 */
export async function ratingsAsOf(
  db: Kysely<DB>,
  params: { kind: RatedKind; season?: number; round?: number },
): Promise<RatingsAsOf | null> {
  const t = TABLES[params.kind];
  const target = await sql<{ season: number; round: number }>`
    SELECT r.season, r.round FROM races r
    WHERE EXISTS (SELECT 1 FROM ${sql.table(t.history)} h WHERE h.race_id = r.id)
      ${params.season === undefined ? sql`` : sql`AND r.season = ${params.season}`}
      ${params.round === undefined ? sql`` : sql`AND r.round <= ${params.round}`}
    ORDER BY r.season DESC, r.round DESC LIMIT 1`.execute(db);
  const at = target.rows[0];
  if (!at) return null;
  const name = params.kind === 'driver' ? sql`e.given_name || ' ' || e.family_name` : sql`e.name`;
  const rows = await sql<{
    id: string;
    name: string;
    rating: number;
    change: number;
    races: number;
  }>`
    SELECT e.${sql.ref(t.ref)} AS id, ${name} AS name, latest.rating_after AS rating,
      CASE WHEN latest.round = ${at.round} THEN latest.rating_after - latest.rating_before ELSE 0 END AS change,
      latest.races
    FROM (
      SELECT DISTINCT ON (h.${sql.ref(t.id)}) h.${sql.ref(t.id)} AS entity_id, h.rating_before,
        h.rating_after, r.round, count(*) OVER (PARTITION BY h.${sql.ref(t.id)})::int AS races
      FROM ${sql.table(t.history)} h JOIN races r ON r.id = h.race_id
      WHERE r.season = ${at.season} AND r.round <= ${at.round}
      ORDER BY h.${sql.ref(t.id)}, r.round DESC
    ) latest
    JOIN ${sql.table(t.entity)} e ON e.id = latest.entity_id
    ORDER BY latest.rating_after DESC, e.${sql.ref(t.ref)}`.execute(db);
  return {
    season: at.season,
    round: at.round,
    ratings: rows.rows.map((r, i) => ({ rank: i + 1, ...r })),
  };
}

export interface RatingHistoryEntry {
  season: number;
  round: number;
  raceName: string;
  date: string;
  ratingBefore: number;
  ratingAfter: number;
  /** Best classified position in that race (the team's best car); null when not classified. */
  position: number | null;
}

/** One driver's or team's rating race by race; null when the id is unknown. */
export async function ratingHistory(
  db: Kysely<DB>,
  params: { kind: RatedKind; id: string },
): Promise<{ id: string; name: string; rating: number; history: RatingHistoryEntry[] } | null> {
  const t = TABLES[params.kind];
  const name = params.kind === 'driver' ? sql`given_name || ' ' || family_name` : sql`name`;
  const entity = await sql<{ id: number; name: string; rating: number }>`
    SELECT id, ${name} AS name, elo_rating AS rating FROM ${sql.table(t.entity)}
    WHERE ${sql.ref(t.ref)} = ${params.id}`.execute(db);
  const found = entity.rows[0];
  if (!found) return null;
  const rows = await sql<RatingHistoryEntry>`
    SELECT r.season, r.round, r.name AS "raceName", r.date, h.rating_before AS "ratingBefore",
      h.rating_after AS "ratingAfter",
      (SELECT min(rr.position) FROM race_results rr
        WHERE rr.race_id = h.race_id AND rr.${sql.ref(t.id)} = h.${sql.ref(t.id)}) AS position
    FROM ${sql.table(t.history)} h JOIN races r ON r.id = h.race_id
    WHERE h.${sql.ref(t.id)} = ${found.id}
    ORDER BY r.season, r.round`.execute(db);
  return { id: params.id, name: found.name, rating: found.rating, history: rows.rows };
}
