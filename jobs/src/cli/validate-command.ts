/**
 * `validate <season> | --all [--csv <dir>]`: compares our standings after EVERY round with the official
 * tables — the source's standings endpoints (2 requests a round), or an export's standings CSV — prints
 * every difference, and fails when one is not a documented source inconsistency (those are printed,
 * marked, and tolerated). `--all` validates every season of our database; with `--all`, a season the
 * official side has no standings for is reported as skipped.
 */
import { racedSeasons } from '@f1/db/standings/store';
import { createSourceClient } from '../sources/jolpica/create-client.ts';
import { type OfficialRound, readCsvOfficialTables } from '../validate/csv-tables.ts';
import {
  formatRoundDifference,
  type RoundsValidation,
  sourceOfficialTables,
  validateRounds,
} from '../validate/validate-rounds.ts';
import {
  atMostPositionals,
  type Command,
  type Invocation,
  seasonArgument,
  UsageError,
  type Verb,
} from './invocation.ts';
import { sourceTraffic } from './summary.ts';

function summaryLine(v: RoundsValidation): string {
  const documented = v.differences.length - v.unexplained.length;
  if (v.unexplained.length) {
    return `${v.season}: ${v.unexplained.length} difference(s) from the official standings in ${v.rounds} round(s)`;
  }
  const but = documented ? ` but for ${documented} documented source inconsistenc(ies)` : '';
  return `${v.season}: standings after all ${v.rounds} round(s) equal the official ones${but} (${v.checked} rows)`;
}

function checkValidate(invocation: Invocation): void {
  if (invocation.all && invocation.positionals.length > 0) {
    throw new UsageError('validate takes a season or --all, not both');
  }
  if (invocation.all) return;
  seasonArgument(invocation);
  atMostPositionals(invocation, 1, 'one <year>');
}

export const validateCommand: Command = async (context, invocation, progress) => {
  checkValidate(invocation);
  const seasons = invocation.all ? await racedSeasons(context.db) : [seasonArgument(invocation)];
  const started = performance.now();
  const client = createSourceClient(context.config.ergast, context);
  const csv = invocation.csv ? readCsvOfficialTables(invocation.csv, seasons) : null;
  const official = async (season: number): Promise<OfficialRound[]> =>
    csv ? (csv.get(season) ?? []) : await sourceOfficialTables(client, season);
  const where = invocation.csv ?? 'the source';
  let checked = 0;
  const failures: string[] = [];
  for (const season of seasons) {
    const rounds = await official(season);
    if (rounds.length === 0) {
      if (!invocation.all) throw new UsageError(`${where} has no standings for ${season}`);
      progress.log(`${season}: skipped, ${where} has no standings for it`);
      continue;
    }
    const validation = await validateRounds(context.db, season, rounds);
    for (const d of validation.differences) progress.log(formatRoundDifference(d));
    progress.log(summaryLine(validation));
    checked += validation.checked;
    if (validation.unexplained.length) {
      failures.push(
        `validate ${season}: ${validation.unexplained.length} difference(s) (listed above)`,
      );
    }
  }
  return {
    ok: failures.length === 0,
    target: invocation.all ? { kind: 'validate' } : { kind: 'validate', season: seasons[0] },
    summary: {
      created: 0,
      updated: 0,
      deleted: 0,
      unchanged: checked,
      ...sourceTraffic(client, started),
      failures,
    },
  };
};

export const validateVerb: Verb = {
  name: 'validate',
  synopsis: '<year> | --all [--csv <dir>]',
  summary: 'compare our standings after every round with the official ones',
  details:
    '<year>       a season from 1950 to next year\n' +
    '--all        every season in the database\n' +
    "--csv <dir>  the official tables from an Ergast CSV export (default: the source's API)",
  options: ['all', 'csv'],
  check: checkValidate,
  run: validateCommand,
};
