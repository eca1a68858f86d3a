/**
 * Drivers, constructors and circuits as the dialect prints them: every scalar a string, a missing
 * value an absent key (never null), keys in the source's order.
 */
import type { ErgastCircuitRow, ErgastDriverRow, ErgastTeamRow } from '@f1/db/ergast/tables';

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

/** `{ key: value }` when the value is present, else nothing (to spread into a shape). */
function opt<K extends string>(key: K, value: string | number | null): { [P in K]?: string } {
  return (value === null ? {} : { [key]: String(value) }) as { [P in K]?: string };
}

export function driverShape(row: ErgastDriverRow): ErgastDriver {
  return {
    driverId: row.driver_ref,
    ...opt('permanentNumber', row.permanent_number),
    ...opt('code', row.code),
    ...opt('url', row.url),
    givenName: row.given_name,
    familyName: row.family_name,
    ...opt('dateOfBirth', row.date_of_birth),
    ...opt('nationality', row.nationality),
  };
}

export function constructorShape(row: ErgastTeamRow): ErgastConstructor {
  return {
    constructorId: row.team_ref,
    ...opt('url', row.url),
    name: row.name,
    ...opt('nationality', row.nationality),
  };
}

/**
 * A coordinate as the source prints it: seven significant digits without trailing zeros (Python's
 * `%.7g`); a zero coordinate is absent there (a falsy value), and so it is here.
 */
export function coordinate(value: number | null): string | null {
  if (value === null || value === 0) return null;
  return String(Number(value.toPrecision(7)));
}

export function circuitShape(row: ErgastCircuitRow): ErgastCircuit {
  return {
    circuitId: row.circuit_ref,
    ...opt('url', row.url),
    circuitName: row.name,
    Location: {
      ...opt('lat', coordinate(row.latitude)),
      ...opt('long', coordinate(row.longitude)),
      ...opt('locality', row.locality),
      ...opt('country', row.country),
    },
  };
}

/** The source's order of drivers: by family name in its (locale) collation, ties by ref. */
const collator = new Intl.Collator('en', { sensitivity: 'base' });
export function byFamilyName(a: ErgastDriverRow, b: ErgastDriverRow): number {
  return (
    collator.compare(a.family_name, b.family_name) ||
    (a.driver_ref < b.driver_ref ? -1 : a.driver_ref > b.driver_ref ? 1 : 0)
  );
}
