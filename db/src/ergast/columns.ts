/**
 * The driver, constructor and circuit columns the dialect prints, selected under one set of names by
 * every facade query (results, qualifying, standings, the reference tables, race headers), so one
 * shape function serves each (server/src/ergast/endpoints/shapes.ts).
 */

export interface DriverColumns {
  driver_ref: string;
  permanent_number: number | null;
  code: string | null;
  driver_url: string | null;
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
  driver_nationality: string | null;
}

export interface TeamColumns {
  team_ref: string;
  team_url: string | null;
  team_name: string;
  team_nationality: string | null;
}

export interface CircuitColumns {
  circuit_ref: string;
  circuit_url: string | null;
  circuit_name: string;
  latitude: number | null;
  longitude: number | null;
  locality: string | null;
  country: string | null;
}

/** A driver (`d`) as `DriverColumns`. */
export const DRIVER_COLUMNS = [
  'd.driver_ref',
  'd.permanent_number',
  'd.code',
  'd.url as driver_url',
  'd.given_name',
  'd.family_name',
  'd.date_of_birth',
  'd.nationality as driver_nationality',
] as const;

/** A constructor (`t`) as `TeamColumns`. */
export const TEAM_COLUMNS = [
  't.team_ref',
  't.url as team_url',
  't.name as team_name',
  't.nationality as team_nationality',
] as const;

/** A circuit (`c`) as `CircuitColumns`. */
export const CIRCUIT_COLUMNS = [
  'c.circuit_ref',
  'c.url as circuit_url',
  'c.name as circuit_name',
  'c.latitude',
  'c.longitude',
  'c.locality',
  'c.country',
] as const;
