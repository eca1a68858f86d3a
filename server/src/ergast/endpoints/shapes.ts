/**
 * The dialect's shared objects (Race header, Circuit, Driver, Constructor) and time formats, built from
 * `@f1/db/ergast` rows. Every scalar is a string; an unknown optional field is left out, never null.
 */
import type { RaceHeader } from '@f1/db/ergast/races';
import type { EntrantColumns } from '@f1/db/ergast/results';

type Json = Record<string, unknown>;

/** Copies `fields` leaving out the null/undefined ones (the source's serializers drop None). */
export function present(fields: Record<string, unknown>): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(fields))
    if (value !== null && value !== undefined) out[key] = value;
  return out;
}

const str = (value: number | string | null | undefined) =>
  value === null || value === undefined ? undefined : String(value);

/** A coordinate as the source prints it (Python `f"{x:.7g}"`). */
export function coordinate(value: number | null): string | undefined {
  return value === null || value === 0 ? undefined : String(Number(value.toPrecision(7)));
}

/** `HH:MM:SSZ` of a UTC instant. */
export function utcTime(at: Date): string {
  return `${at.toISOString().slice(11, 19)}Z`;
}

/**
 * A duration as jolpica's `format_timedelta` prints lap times: `1:36.236`, `5.400`, `1:02:03.004`.
 */
export function lapTime(millis: number): string {
  const hours = Math.floor(millis / 3_600_000);
  const minutes = Math.floor((millis % 3_600_000) / 60_000);
  const seconds = Math.floor((millis % 60_000) / 1000);
  const ms = millis % 1000;
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  let text = '';
  if (hours) text += `${pad(hours, 2)}:`;
  if (minutes || hours) text += `${pad(minutes, 2)}:`;
  text += `${pad(seconds, 2)}.${pad(ms, 3)}`;
  return text.startsWith('0') ? text.slice(1) : text;
}

export function circuitObject(row: {
  circuit_ref: string;
  circuit_url: string | null;
  circuit_name: string;
  latitude: number | null;
  longitude: number | null;
  locality: string | null;
  country: string | null;
}): Json {
  return present({
    circuitId: row.circuit_ref,
    url: row.circuit_url,
    circuitName: row.circuit_name,
    Location: present({
      lat: coordinate(row.latitude),
      long: coordinate(row.longitude),
      locality: row.locality,
      country: row.country,
    }),
  });
}

/** The race header every RaceTable entry starts with. */
export function raceObject(race: RaceHeader): Json {
  return present({
    season: String(race.season),
    round: String(race.round),
    url: race.url,
    raceName: race.name,
    Circuit: circuitObject(race),
    date: race.date,
    time: race.starts_at ? utcTime(race.starts_at) : undefined,
  });
}

export function driverObject(row: EntrantColumns): Json {
  return present({
    driverId: row.driver_ref,
    permanentNumber: str(row.permanent_number),
    code: row.code,
    url: row.driver_url,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    nationality: row.driver_nationality,
  });
}

/** The constructor, or undefined for an entry without a known team. */
export function constructorObject(row: EntrantColumns): Json | undefined {
  if (row.team_ref === null) return undefined;
  return present({
    constructorId: row.team_ref,
    url: row.team_url,
    name: row.team_name,
    nationality: row.team_nationality,
  });
}

/**
 * Rows grouped under their race headers in row order (rows of one race are contiguous): the
 * RaceTable's `Races` list with each race's rows under `listName`.
 */
export function groupByRace<R extends { race_id: number }>(
  rows: readonly R[],
  headers: Map<number, RaceHeader>,
  listName: string,
  toItems: (rows: R[]) => unknown[],
): Json[] {
  const groups: { raceId: number; rows: R[] }[] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last && last.raceId === row.race_id) last.rows.push(row);
    else groups.push({ raceId: row.race_id, rows: [row] });
  }
  const races: Json[] = [];
  for (const group of groups) {
    const header = headers.get(group.raceId);
    if (header) races.push({ ...raceObject(header), [listName]: toItems(group.rows) });
  }
  return races;
}
