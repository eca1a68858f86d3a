/** Row → DTO mappers for drivers, teams and circuits (explicit: a new column never leaks by accident). */
import type { CircuitRow } from '@f1/db/entities/circuits';
import type { DriverRow } from '@f1/db/entities/drivers';
import type { TeamRow } from '@f1/db/entities/teams';
import type { Circuit } from '../schemas/circuits.ts';
import type { Driver, DriverRef } from '../schemas/drivers.ts';
import type { Team, TeamRef } from '../schemas/teams.ts';

export function toDriver(row: DriverRow): Driver {
  return {
    driverId: row.driver_ref,
    permanentNumber: row.permanent_number,
    code: row.code,
    givenName: row.given_name,
    familyName: row.family_name,
    dateOfBirth: row.date_of_birth,
    nationality: row.nationality,
    url: row.url,
  };
}

export function toDriverRef(row: {
  driver_ref: string;
  code: string | null;
  given_name: string;
  family_name: string;
}): DriverRef {
  return {
    driverId: row.driver_ref,
    code: row.code,
    givenName: row.given_name,
    familyName: row.family_name,
  };
}

export function toTeam(row: TeamRow): Team {
  return { teamId: row.team_ref, name: row.name, nationality: row.nationality, url: row.url };
}

/** The team of a result row (null for the rare historical entries without one). */
export function toTeamRef(row: {
  team_ref: string | null;
  team_name: string | null;
}): TeamRef | null {
  return row.team_ref === null || row.team_name === null
    ? null
    : { teamId: row.team_ref, name: row.team_name };
}

export function toCircuit(row: CircuitRow): Circuit {
  return {
    circuitId: row.circuit_ref,
    name: row.name,
    locality: row.locality,
    country: row.country,
    latitude: row.latitude,
    longitude: row.longitude,
    altitude: row.altitude_m,
    url: row.url,
  };
}
