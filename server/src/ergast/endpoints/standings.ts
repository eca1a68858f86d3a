/**
 * `driverstandings` and `constructorstandings`, from the rules engine's standings tables: one
 * `StandingsLists` entry (the round asked for, or the season's last with standings) whose rows are
 * paged. The season is required; the only filters are the competitor (`drivers/{id}` or
 * `constructors/{id}`) and the standings position (`driverstandings/{n}`). Each driver's
 * `Constructors` are the teams he drove for in the season up to that round, in the order he first did.
 * Constructors' standings before 1958 do not exist (the championship began then): an empty list.
 */
import {
  driverTeamsUpTo,
  type ErgastStandingsParams,
  ergastConstructorStandings,
  ergastDriverStandings,
} from '@f1/db/ergast/standings';
import type { EndpointHandler, ErgastRequest, TableAnswer } from '../types.ts';
import { decimal, echoOf, page, requireSeason, requireSupported } from './filters.ts';
import { constructorObject, driverObject, type ErgastConstructor } from './shapes.ts';

const standingColumns = (row: {
  position: number;
  position_text: string;
  points: number;
  wins: number;
}) => ({
  position: String(row.position),
  positionText: row.position_text,
  points: decimal(row.points),
  wins: String(row.wins),
});

/** The standings query of a request: its season (required), round, competitor and position filters. */
function paramsOf(
  request: ErgastRequest,
  fields: {
    ref: 'driverId' | 'constructorId';
    position: 'driverStandingsPosition' | 'constructorStandingsPosition';
  },
): ErgastStandingsParams {
  requireSupported(request, [fields.ref, fields.position]);
  return {
    season: requireSeason(request),
    round: request.round ?? undefined,
    position: request.filters[fields.position],
    ref: request.filters[fields.ref],
  };
}

/** The answer: one `StandingsLists` entry of the round (none without rows), its list under `listName`. */
function standingsAnswer(
  request: ErgastRequest,
  parts: { season: number; round: number | undefined; total: number },
  listName: 'DriverStandings' | 'ConstructorStandings',
  list: unknown[],
): TableAnswer {
  const { season, round, total } = parts;
  return {
    total,
    tableName: 'StandingsTable',
    table: {
      ...echoOf(request),
      StandingsLists:
        round === undefined || list.length === 0
          ? []
          : [{ season: String(season), round: String(round), [listName]: list }],
    },
  };
}

export const driverStandings: EndpointHandler = async (db, request) => {
  const params = paramsOf(request, { ref: 'driverId', position: 'driverStandingsPosition' });
  const { season } = params;
  const rows = await ergastDriverStandings(db, params);
  const shown = page(rows, request);
  const round = rows[0]?.round;
  const teams = new Map<number, ErgastConstructor[]>();
  if (round !== undefined) {
    const driverIds = shown.map((r) => r.driver_id);
    for (const team of await driverTeamsUpTo(db, { season, round, driverIds })) {
      const list = teams.get(team.driver_id) ?? [];
      list.push(constructorObject(team));
      teams.set(team.driver_id, list);
    }
  }
  const list = shown.map((r) => ({
    ...standingColumns(r),
    Driver: driverObject(r),
    Constructors: teams.get(r.driver_id) ?? [],
  }));
  return standingsAnswer(request, { season, round, total: rows.length }, 'DriverStandings', list);
};

export const constructorStandings: EndpointHandler = async (db, request) => {
  const params = paramsOf(request, {
    ref: 'constructorId',
    position: 'constructorStandingsPosition',
  });
  const { season } = params;
  const rows = await ergastConstructorStandings(db, params);
  const round = rows[0]?.round;
  const list = page(rows, request).map((r) => ({
    ...standingColumns(r),
    Constructor: constructorObject(r),
  }));
  const parts = { season, round, total: rows.length };
  return standingsAnswer(request, parts, 'ConstructorStandings', list);
};
