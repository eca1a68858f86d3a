/**
 * The dialect's shared objects (Race header, Circuit, Driver, Constructor) and formats, built from
 * `@f1/db/ergast` rows (their columns: `@f1/db/ergast/columns`). Every scalar is a string; an unknown
 * optional field is left out, never null; keys in the source's order.
 */
import type { CircuitColumns, DriverColumns, TeamColumns } from '@f1/db/ergast/columns';
import type { RaceHeader } from '@f1/db/ergast/races';
import type { EntrantColumns } from '@f1/db/ergast/results';

type Json = Record<string, unknown>;

export interface ErgastDriver {
  driverId: string;
  permanentNumber?: string;
  code?: string;
  url?: string;
  givenName: string;
  familyName: string;
  dateOfBirth?: string;
  nationality?: string;
}

export interface ErgastConstructor {
  constructorId: string;
  url?: string;
  name: string;
  nationality?: string;
}

export interface ErgastCircuit {
  circuitId: string;
  url?: string;
  circuitName: string;
  Location: { lat?: string; long?: string; locality?: string; country?: string };
}

/** Copies `fields` leaving out the null/undefined ones (the source's serializers drop None). */
export function present(fields: Record<string, unknown>): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(fields))
    if (value !== null && value !== undefined) out[key] = value;
  return out;
}

/** `{ key: value }` when the value is present, else nothing (to spread into a shape). */
function opt<K extends string>(key: K, value: string | number | null): { [P in K]?: string } {
  return (value === null ? {} : { [key]: String(value) }) as { [P in K]?: string };
}

/**
 * A coordinate as the source prints it: seven significant digits without trailing zeros (Python's
 * `%.7g`); a zero coordinate is absent there (a falsy value), and so it is here.
 */
export function coordinate(value: number | null): string | null {
  if (value === null || value === 0) return null;
  return String(Number(value.toPrecision(7)));
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

export function circuitObject(row: CircuitColumns): ErgastCircuit {
  return {
    circuitId: row.circuit_ref,
    ...opt('url', row.circuit_url),
    circuitName: row.circuit_name,
    Location: {
      ...opt('lat', coordinate(row.latitude)),
      ...opt('long', coordinate(row.longitude)),
      ...opt('locality', row.locality),
      ...opt('country', row.country),
    },
  };
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

export function driverObject(row: DriverColumns): ErgastDriver {
  return {
    driverId: row.driver_ref,
    ...opt('permanentNumber', row.permanent_number),
    ...opt('code', row.code),
    ...opt('url', row.driver_url),
    givenName: row.given_name,
    familyName: row.family_name,
    ...opt('dateOfBirth', row.date_of_birth),
    ...opt('nationality', row.driver_nationality),
  };
}

export function constructorObject(row: TeamColumns): ErgastConstructor {
  return {
    constructorId: row.team_ref,
    ...opt('url', row.team_url),
    name: row.team_name,
    ...opt('nationality', row.team_nationality),
  };
}

/** An entry's constructor, or undefined for an entry without a known team. */
export function entrantConstructor(row: EntrantColumns): ErgastConstructor | undefined {
  const { team_ref, team_name } = row;
  if (team_ref === null || team_name === null) return undefined;
  return constructorObject({ ...row, team_ref, team_name });
}

/** The source's order of drivers: by family name in its (locale) collation, ties by ref. */
const collator = new Intl.Collator('en', { sensitivity: 'base' });
export function byFamilyName(a: DriverColumns, b: DriverColumns): number {
  return (
    collator.compare(a.family_name, b.family_name) ||
    (a.driver_ref < b.driver_ref ? -1 : a.driver_ref > b.driver_ref ? 1 : 0)
  );
}
