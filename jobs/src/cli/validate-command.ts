/**
 * `validate <season> [--csv <dir>]`: prints every difference between our standings and the official
 * ones — the source's standings endpoints (2 requests), or an export's standings CSV — and fails when
 * there is any. The comparison is made after the official table's round.
 */
import { type StandingRow, seasonStandings } from '@f1/db/queries/ingestion-standings';
import { createSourceClient } from '../source/create-client.ts';
import { compareStandings, formatDifference } from '../validate/compare-standings.ts';
import { readCsvFinalStandings } from '../validate/csv-standings.ts';
import { type Command, seasonArgument, UsageError } from './invocation.ts';

interface Official {
  round: number;
  drivers: StandingRow[];
  constructors: StandingRow[];
  requests: number;
}

async function fromApi(
  config: Parameters<typeof createSourceClient>[0],
  season: number,
): Promise<Official | null> {
  const client = createSourceClient(config);
  const drivers = await client.driverStandings(season);
  const constructors = await client.constructorStandings(season);
  if (drivers.round === null) return null;
  // An excluded competitor has no position (positionText "-"): 0 never equals ours, so it is reported.
  const rows = <T extends { position?: number; points: number; wins: number }>(
    list: T[],
    ref: (row: T) => string,
  ) =>
    list.map((row) => ({
      ref: ref(row),
      position: row.position ?? 0,
      points: row.points,
      wins: row.wins,
    }));
  return {
    round: drivers.round,
    drivers: rows(drivers.rows, (r) => r.Driver.driverId),
    constructors: rows(constructors.rows, (r) => r.Constructor.constructorId),
    requests: client.stats.requests,
  };
}

export const validateCommand: Command = async (context, invocation, progress) => {
  const season = seasonArgument(invocation);
  const started = performance.now();
  const official: Official | null = invocation.csv
    ? (() => {
        const csv = readCsvFinalStandings(invocation.csv, [season]).get(season);
        return csv ? { ...csv, requests: 0 } : null;
      })()
    : await fromApi(context.config.ergast, season);
  if (!official)
    throw new UsageError(`${invocation.csv ?? 'the source'} has no standings for ${season}`);
  const ours = await seasonStandings(context.db, { season, round: official.round });
  const differences = [
    ...compareStandings('drivers', ours.drivers, official.drivers),
    ...(official.constructors.length
      ? compareStandings('constructors', ours.constructors, official.constructors)
      : []),
  ];
  for (const d of differences) progress.log(formatDifference(season, d));
  const checked = official.drivers.length + official.constructors.length;
  progress.log(
    differences.length
      ? `${season}: ${differences.length} difference(s) from the official standings after round ${official.round}`
      : `${season}: standings after round ${official.round} equal the official ones (${checked} rows)`,
  );
  return {
    ok: differences.length === 0,
    target: { kind: 'validate', season },
    summary: {
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: checked,
      requests: official.requests,
      throttled: 0,
      retries: 0,
      elapsedMs: performance.now() - started,
      failures: differences.length
        ? [`validate ${season}: ${differences.length} difference(s) (listed above)`]
        : [],
    },
  };
};
