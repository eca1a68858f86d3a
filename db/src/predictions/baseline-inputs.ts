/** What the built-in `elo-baseline` model reads to predict an upcoming race. */
import { type Kysely, sql } from 'kysely';
import { raceEntryLists } from '../races/race-entries.ts';
import type { DB } from '../schema.ts';

export interface UpcomingRace {
  id: number;
  season: number;
  round: number;
  /** Qualifying is recorded: the grid is known (post-qualifying prediction). */
  qualified: boolean;
}

/** The next race without results whose predictions are not frozen yet; null when none is scheduled. */
export async function nextRaceToPredict(db: Kysely<DB>, now: Date): Promise<UpcomingRace | null> {
  const rows = await sql<UpcomingRace>`
    SELECT r.id, r.season, r.round,
      EXISTS (SELECT 1 FROM qualifying_results q WHERE q.race_id = r.id) AS qualified
    FROM races r
    WHERE NOT EXISTS (SELECT 1 FROM race_results x WHERE x.race_id = r.id)
      AND coalesce(r.starts_at, r.date::timestamp AT TIME ZONE 'UTC') > ${now}
    ORDER BY r.season, r.round LIMIT 1`.execute(db);
  return rows.rows[0] ?? null;
}

export interface FieldEntry {
  driverId: number;
  driverRef: string;
  rating: number;
  /** Qualifying position (the grid before penalties); null before qualifying. */
  grid: number | null;
  /** The team: from qualifying, else the driver's latest race; null when neither is known. */
  teamId: number | null;
}

/** The race's entry list with each driver's current ELO, qualifying position and team. */
export async function fieldForPrediction(db: Kysely<DB>, raceId: number): Promise<FieldEntry[]> {
  const list = (await raceEntryLists(db, [raceId])).get(raceId);
  if (!list || list.drivers.size === 0) return [];
  const rows = await sql<FieldEntry>`
    SELECT d.id AS "driverId", d.driver_ref AS "driverRef", d.elo_rating AS rating, q.position AS grid,
      coalesce(q.team_id, (
        SELECT rr.team_id FROM race_results rr JOIN races pr ON pr.id = rr.race_id
        WHERE rr.driver_id = d.id ORDER BY pr.season DESC, pr.round DESC LIMIT 1
      )) AS "teamId"
    FROM drivers d
    LEFT JOIN qualifying_results q ON q.race_id = ${raceId} AND q.driver_id = d.id
    WHERE d.driver_ref = ANY(${[...list.drivers]}::text[])
    ORDER BY d.id`.execute(db);
  return rows.rows;
}
