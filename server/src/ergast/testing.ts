/**
 * Test data for the facade: the 2023-centred seasons the recorded fixtures need, loaded from the
 * shared export, plus what the export import does not carry yet — the status vocabulary and 2023's
 * pit stops (from the export's CSVs) and the lap timings recorded in the laps fixtures.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';

export const FIXTURE_SEASONS = [2008, 2009, 2013, 2014, 2015, 2016, 2017, 2021, 2022, 2023, 2024];

/** One CSV line's cells (quoted cells may hold commas; `\N` is null). */
function cells(line: string): (string | null)[] {
  const out: (string | null)[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      out.push(line.slice(i + 1, end));
      i = end + 2;
    } else {
      const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
      const raw = line.slice(i, end);
      out.push(raw === '\\N' ? null : raw);
      i = end + 1;
    }
  }
  return out;
}

function readCsv(file: string): Record<string, string | null>[] {
  const [head = '', ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const names = cells(head).map(String);
  return lines.map((line) => {
    const values = cells(line);
    return Object.fromEntries(names.map((n, i) => [n, values[i] ?? null]));
  });
}

/** Inserts the export's status vocabulary and the pit stops of `seasons`. */
export async function seedStatusesAndPitStops(
  db: Kysely<DB>,
  csvDir: string,
  seasons: number[],
): Promise<void> {
  const statuses = readCsv(path.join(csvDir, 'status.csv')).map((r) => ({
    id: Number(r.statusId),
    status: String(r.status),
  }));
  await db
    .insertInto('statuses')
    .values(statuses)
    .onConflict((oc) => oc.doNothing())
    .execute();
  const raceKey = new Map(
    readCsv(path.join(csvDir, 'races.csv')).map((r) => [r.raceId, `${r.year}/${r.round}`]),
  );
  const driverRef = new Map(
    readCsv(path.join(csvDir, 'drivers.csv')).map((r) => [r.driverId, String(r.driverRef)]),
  );
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
  const rows = [];
  for (const r of readCsv(path.join(csvDir, 'pit_stops.csv'))) {
    const key = raceKey.get(r.raceId ?? '');
    if (!key || !seasons.includes(Number(key.split('/')[0]))) continue;
    const raceId = races.get(key);
    const driverId = drivers.get(driverRef.get(r.driverId ?? '') ?? '');
    if (raceId === undefined || driverId === undefined) continue;
    rows.push({
      race_id: raceId,
      driver_id: driverId,
      stop: Number(r.stop),
      lap: Number(r.lap),
      time_of_day: String(r.time),
      duration_millis: r.milliseconds === null ? null : Number(r.milliseconds),
    });
  }
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('pit_stops')
      .values(rows.slice(i, i + 500))
      .execute();
}

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
