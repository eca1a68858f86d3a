/** The calendar reads the scheduler needs to decide what to ingest (ingestion's own reads). */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.ts';

export interface CalendarRound {
  raceId: number;
  round: number;
  /** Race day, YYYY-MM-DD. */
  date: string;
  /** The first session's day (practice), or the race day when no session is known. */
  weekendStart: string;
}

export async function seasonCalendar(db: Kysely<DB>, season: number): Promise<CalendarRound[]> {
  const rows = await db
    .selectFrom('races as r')
    .leftJoin('race_sessions as s', 's.race_id', 'r.id')
    .select([
      'r.id',
      'r.round',
      'r.date',
      sql<string>`coalesce(min(s.date), r.date)`.as('weekend_start'),
    ])
    .where('r.season', '=', season)
    .groupBy(['r.id', 'r.round', 'r.date'])
    .orderBy('r.round')
    .execute();
  return rows.map((r) => ({
    raceId: r.id,
    round: r.round,
    date: r.date,
    weekendStart: r.weekend_start,
  }));
}
