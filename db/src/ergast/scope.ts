/**
 * The Ergast dialect's common filters as SQL conditions, shared by every facade query (the RaceTable
 * family here, and the driver/constructor/circuit/season/status lists): season, round, circuit, driver,
 * constructor, and the race-result filters grid, finishing position, fastest-lap rank and status id.
 *
 * Conditions are `sql` fragments over table aliases the caller names (`race`, `circuit`, `driver`,
 * `team`, `result`), so one helper serves queries of different shapes. A filter whose table the query
 * does not have is answered by an `EXISTS` on `race_results` (`racePart`), the way the source reaches
 * round entries from a race.
 */
import { type RawBuilder, sql } from 'kysely';

export interface ErgastScope {
  season?: number;
  round?: number;
  circuitId?: string;
  constructorId?: string;
  driverId?: string;
  grid?: number;
  /** `results/{n}`: classified finishing position. */
  position?: number;
  /** `fastest/{n}`: fastest-lap rank (0 means no filter, as at the source). */
  fastest?: number;
  /** `status/{id}`: the source's numeric status id (the `statuses` vocabulary). */
  statusId?: number;
}

/** Aliases of the query's tables; an absent one is reached through `race_results` when needed. */
export interface ScopeAliases {
  race: string;
  circuit?: string;
  driver?: string;
  team?: string;
  /** A `race_results` row of the query (the result filters apply to it directly). */
  result?: string;
}

export type Condition = RawBuilder<unknown>;

const ref = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

/** The result filters (grid, position, fastest, status) on a `race_results` alias. */
export function resultConditions(scope: ErgastScope, result: string): Condition[] {
  const out: Condition[] = [];
  if (scope.grid !== undefined) out.push(sql`${ref(result, 'grid')} = ${scope.grid}`);
  if (scope.position !== undefined) out.push(sql`${ref(result, 'position')} = ${scope.position}`);
  if (scope.fastest !== undefined && scope.fastest !== 0)
    out.push(sql`${ref(result, 'fastest_lap_rank')} = ${scope.fastest}`);
  if (scope.statusId !== undefined)
    out.push(
      sql`${ref(result, 'status')} = (SELECT s.status FROM statuses s WHERE s.id = ${scope.statusId})`,
    );
  return out;
}

const hasResultFilter = (scope: ErgastScope) =>
  scope.grid !== undefined ||
  scope.position !== undefined ||
  (scope.fastest !== undefined && scope.fastest !== 0) ||
  scope.statusId !== undefined;

/**
 * Every condition of `scope` for a query with the tables `aliases` names. Driver and constructor
 * filters without their table, and result filters without a result row, become one `EXISTS` over the
 * race's results (so "races Alonso drove in with grid 1" means one result matching both).
 */
export function scopeConditions(scope: ErgastScope, aliases: ScopeAliases): Condition[] {
  const out: Condition[] = [];
  const { race } = aliases;
  if (scope.season !== undefined) out.push(sql`${ref(race, 'season')} = ${scope.season}`);
  if (scope.round !== undefined) out.push(sql`${ref(race, 'round')} = ${scope.round}`);
  if (scope.circuitId !== undefined) {
    out.push(
      aliases.circuit
        ? sql`${ref(aliases.circuit, 'circuit_ref')} = ${scope.circuitId}`
        : sql`${ref(race, 'circuit_id')} = (SELECT c.id FROM circuits c WHERE c.circuit_ref = ${scope.circuitId})`,
    );
  }
  const viaResults: Condition[] = [];
  if (scope.driverId !== undefined) {
    if (aliases.driver) out.push(sql`${ref(aliases.driver, 'driver_ref')} = ${scope.driverId}`);
    else
      viaResults.push(
        sql`x.driver_id = (SELECT d.id FROM drivers d WHERE d.driver_ref = ${scope.driverId})`,
      );
  }
  if (scope.constructorId !== undefined) {
    if (aliases.team) out.push(sql`${ref(aliases.team, 'team_ref')} = ${scope.constructorId}`);
    else
      viaResults.push(
        sql`x.team_id = (SELECT t.id FROM teams t WHERE t.team_ref = ${scope.constructorId})`,
      );
  }
  if (aliases.result) out.push(...resultConditions(scope, aliases.result));
  else if (hasResultFilter(scope)) viaResults.push(...resultConditions(scope, 'x'));
  if (viaResults.length > 0)
    out.push(
      sql`EXISTS (SELECT 1 FROM race_results x WHERE x.race_id = ${ref(race, 'id')} AND ${sql.join(viaResults, sql` AND `)})`,
    );
  return out;
}

/** `WHERE a AND b …`, or nothing. */
export function whereAll(conditions: Condition[]): Condition {
  return conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
}
