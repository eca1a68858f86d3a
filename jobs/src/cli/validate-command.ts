/**
 * `validate <season> [--csv <dir>]`: prints every difference between our final standings and the
 * official ones, and fails when there is any.
 */
import { seasonStandings } from '@f1/db/queries/ingestion-standings';
import { compareStandings, formatDifference } from '../validate/compare-standings.ts';
import { readCsvFinalStandings } from '../validate/csv-standings.ts';
import { type Command, seasonArgument, UsageError } from './invocation.ts';

export const validateCommand: Command = async (context, invocation, progress) => {
  const season = seasonArgument(invocation);
  const started = performance.now();
  if (!invocation.csv)
    throw new UsageError('validate from the API is not available yet; pass --csv <dir>');
  const official = readCsvFinalStandings(invocation.csv, [season]).get(season);
  if (!official) throw new UsageError(`${invocation.csv} has no standings for ${season}`);
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
      requests: 0,
      throttled: 0,
      retries: 0,
      elapsedMs: performance.now() - started,
      failures: differences.length
        ? [`validate ${season}: ${differences.length} difference(s) (listed above)`]
        : [],
    },
  };
};
