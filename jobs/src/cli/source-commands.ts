/**
 * `season <year> [--laps]`, `race <year> --round <n> [--laps]`, `qualifying <year> --round <n>`:
 * ingestion from the API (`--laps`: lap timings and pit stops too).
 */
import { failureOf, ingestionChanges } from '@f1/core/changes/data-changes';
import type { JobContext } from '../context.ts';
import type { IngestionReport } from '../ingestion/report.ts';
import type { JolpicaClient } from '../sources/jolpica/client.ts';
import { createSourceClient } from '../sources/jolpica/create-client.ts';
import {
  ingestSeason,
  QualifyingIngestionService,
  RaceIngestionService,
} from '../sources/jolpica/ingest.ts';
import {
  atMostPositionals,
  type Command,
  type CommandResult,
  checkSeason,
  type Invocation,
  roundArgument,
  seasonArgument,
  type Verb,
} from './invocation.ts';
import type { Progress } from './progress.ts';
import { sourceTraffic } from './summary.ts';

/** Reports the run's changes to the data-change pipeline and builds the summary. */
export async function finishReport(
  context: JobContext,
  client: JolpicaClient,
  report: IngestionReport,
  started: number,
): Promise<Omit<CommandResult, 'target'>> {
  const after = await context.changes.changed(ingestionChanges(report));
  const invalidationError = failureOf(after, 'invalidate');
  const failures = report.failures.map(
    (f) =>
      `${f.season} round ${f.round}: ${f.message}${f.urls.length ? ` (${f.urls.join(', ')})` : ''}`,
  );
  if (report.aborted) failures.push(`${report.season}: stopped early (signal); rerun to complete`);
  if (invalidationError) failures.push(`cache invalidation: ${invalidationError}`);
  return {
    ok: failures.length === 0,
    summary: {
      ...report.totals,
      tables: report.tables,
      ...sourceTraffic(client, started),
      failures,
    },
  };
}

type Run = (
  deps: { db: JobContext['db']; client: JolpicaClient; progress: Progress; signal?: AbortSignal },
  invocation: Invocation,
) => Promise<IngestionReport>;

function sourceCommand(kind: 'season' | 'race' | 'qualifying', run: Run): Command {
  return async (context, invocation, progress, signal) => {
    const season = seasonArgument(invocation);
    const round = kind === 'season' ? undefined : roundArgument(invocation);
    const started = performance.now();
    const client = createSourceClient(context.config.ergast, context);
    const report = await run({ db: context.db, client, progress, signal }, invocation);
    return {
      ...(await finishReport(context, client, report, started)),
      target: { kind, season, round },
    };
  };
}

export const seasonCommand = sourceCommand('season', (deps, inv) =>
  ingestSeason(
    deps,
    seasonArgument(inv),
    inv.laps ? { datasets: ['results', 'sprint', 'qualifying', 'laps', 'pitstops'] } : {},
  ),
);
export const raceCommand = sourceCommand('race', (deps, inv) =>
  new RaceIngestionService(deps).run(
    { season: seasonArgument(inv), round: roundArgument(inv) },
    { timing: inv.laps },
  ),
);
export const qualifyingCommand = sourceCommand('qualifying', (deps, inv) =>
  new QualifyingIngestionService(deps).run({
    season: seasonArgument(inv),
    round: roundArgument(inv),
  }),
);

/** `<year> --round <n>`: race, qualifying. */
function checkRound(invocation: Invocation): void {
  seasonArgument(invocation);
  atMostPositionals(invocation, 1, 'one <year>');
  roundArgument(invocation);
}

const LAPS = "--laps   also every run round's lap timings and pit stops (~13 requests a round)";

export const seasonVerb: Verb = {
  name: 'season',
  synopsis: '<year> [--laps]',
  summary: 'ingest a whole season (schedule, drivers, teams, results, sprint, qualifying)',
  details: `<year>   a season from 1950 to next year\n${LAPS}`,
  options: ['laps'],
  check: checkSeason,
  run: seasonCommand,
};
export const raceVerb: Verb = {
  name: 'race',
  synopsis: '<year> --round <n> [--laps]',
  summary: "ingest one round's race and sprint results",
  details: `<year>       a season from 1950 to next year\n--round <n>  the round (-r)\n${LAPS}`,
  options: ['round', 'laps'],
  check: checkRound,
  run: raceCommand,
};
export const qualifyingVerb: Verb = {
  name: 'qualifying',
  synopsis: '<year> --round <n>',
  summary: "ingest one round's qualifying",
  details: '<year>       a season from 1950 to next year\n--round <n>  the round (-r)',
  options: ['round'],
  check: checkRound,
  run: qualifyingCommand,
};
