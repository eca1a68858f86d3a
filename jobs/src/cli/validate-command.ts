/**
 * `validate <season> [--csv <dir>]`: prints every difference between our standings and the official
 * ones — the source's standings endpoints (2 requests), or an export's standings CSV — and fails when
 * there is any. The comparison is made after the official table's round.
 */
import { createSourceClient } from '../sources/jolpica/create-client.ts';
import { formatDifference } from '../validate/compare-standings.ts';
import { readCsvFinalStandings } from '../validate/csv-standings.ts';
import {
  compareWithOfficial,
  type OfficialStandings,
  officialStandings,
} from '../validate/validate-season.ts';
import { type Command, seasonArgument, UsageError } from './invocation.ts';

export const validateCommand: Command = async (context, invocation, progress) => {
  const season = seasonArgument(invocation);
  const started = performance.now();
  const client = createSourceClient(context.config.ergast, context);
  const official: OfficialStandings | null = invocation.csv
    ? (readCsvFinalStandings(invocation.csv, [season]).get(season) ?? null)
    : await officialStandings(client, season);
  if (!official)
    throw new UsageError(`${invocation.csv ?? 'the source'} has no standings for ${season}`);
  const { differences, checked, round } = await compareWithOfficial(context.db, season, official);
  for (const d of differences) progress.log(formatDifference(season, d));
  progress.log(
    differences.length
      ? `${season}: ${differences.length} difference(s) from the official standings after round ${round}`
      : `${season}: standings after round ${round} equal the official ones (${checked} rows)`,
  );
  return {
    ok: differences.length === 0,
    target: { kind: 'validate', season },
    summary: {
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: checked,
      requests: client.stats.requests,
      throttled: client.stats.throttled,
      retries: client.stats.retries,
      elapsedMs: performance.now() - started,
      failures: differences.length
        ? [`validate ${season}: ${differences.length} difference(s) (listed above)`]
        : [],
    },
  };
};
