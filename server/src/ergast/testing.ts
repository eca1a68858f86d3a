/**
 * Test data for the facade: the seasons the recorded fixtures need (loaded from the shared export,
 * statuses and pit stops included), plus what the export does not have — the lap timings, taken from
 * the recorded laps fixtures.
 */
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';

export const FIXTURE_SEASONS = [2008, 2009, 2013, 2014, 2015, 2016, 2017, 2021, 2022, 2023, 2024];

const toMillis = (time: string) => {
  const parts = time.split(':').map(Number);
  const seconds = parts.pop() ?? 0;
  const minutes = parts.pop() ?? 0;
  const hours = parts.pop() ?? 0;
  return Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000);
};

interface LapsFixture {
  MRData: {
    RaceTable: {
      Races: {
        season: string;
        round: string;
        Laps?: {
          number: string;
          Timings: { driverId: string; position?: string; time: string }[];
        }[];
      }[];
    };
  };
}

/** Inserts the lap timings the recorded laps fixtures show (the export has no lap_times.csv). */
export async function seedRecordedLaps(db: Kysely<DB>, fixtures: LapsFixture[]): Promise<number> {
  const races = new Map(
    (await db.selectFrom('races').select(['id', 'season', 'round']).execute()).map((r) => [
      `${r.season}/${r.round}`,
      r.id,
    ]),
  );
  const drivers = new Map(
    (await db.selectFrom('drivers').select(['id', 'driver_ref']).execute()).map((d) => [
      d.driver_ref,
      d.id,
    ]),
  );
  const seen = new Set<string>();
  const rows = [];
  for (const fixture of fixtures)
    for (const race of fixture.MRData.RaceTable.Races) {
      const raceId = races.get(`${race.season}/${race.round}`);
      if (raceId === undefined) continue;
      for (const lap of race.Laps ?? [])
        for (const t of lap.Timings) {
          const driverId = drivers.get(t.driverId);
          const key = `${raceId}/${t.driverId}/${lap.number}`;
          if (driverId === undefined || seen.has(key)) continue;
          seen.add(key);
          rows.push({
            race_id: raceId,
            driver_id: driverId,
            lap: Number(lap.number),
            position: t.position === undefined ? null : Number(t.position),
            time_millis: toMillis(t.time),
          });
        }
    }
  if (rows.length) await db.insertInto('lap_times').values(rows).execute();
  return rows.length;
}
