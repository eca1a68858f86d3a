/**
 * The contract between the facade's answer (answer.ts: envelope, paging, `current`/`last`/`next`) and
 * its endpoint handlers (endpoints/*.ts: one per endpoint, SQL + the dialect's shapes).
 *
 * A handler gets a request whose season and round are resolved to numbers (or absent), and returns the
 * table object (`RaceTable`, `DriverTable`, …) with its list paged, plus `total`: the number of
 * innermost rows before paging (result rows, qualifying rows, lap timings, standings rows, drivers…),
 * which is what `limit`/`offset` count. Every scalar in the table is a string; optional fields are
 * absent, never null. Key order is the dialect's (JSON keeps insertion order).
 */
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import type { Endpoint, ErgastFilters, ErgastPaging } from './query.ts';

export interface ErgastRequest extends ErgastPaging {
  season: number | null;
  round: number | null;
  filters: ErgastFilters;
  endpoint: Endpoint;
}

/** The name of the table object inside `MRData`. */
export type TableName =
  | 'SeasonTable'
  | 'RaceTable'
  | 'DriverTable'
  | 'ConstructorTable'
  | 'CircuitTable'
  | 'StatusTable'
  | 'StandingsTable';

export interface TableAnswer {
  total: number;
  tableName: TableName;
  /** The table object, echoed filters first, then its list (`Races`, `Drivers`, …). */
  table: Record<string, unknown>;
}

export type EndpointHandler = (db: Kysely<DB>, request: ErgastRequest) => Promise<TableAnswer>;
