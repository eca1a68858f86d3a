#!/usr/bin/env bun
/**
 * `bun run backtest <from> <to> [--no-store] [--report table|json] [--json <file>]` (`--help`: the
 * usage; a wrong argument — a season outside 1950…next year, <from> after <to> — exits 2 naming it,
 * before anything connects) — replays history
 * from 1950 without look-ahead and reports every model of the run (elo-baseline v1 and v2, pre- and
 * post-qualifying, the grid baseline) per season and pooled, on identical races (report.ts), with v2's
 * refit times (v2 refits every parameter at each season start on the seasons before it).
 * `--report json` writes the machine-readable report to stdout instead of the tables; `--json <file>`
 * writes it to a file as well. Unless `--no-store`, the elo-baseline predictions are stored as backtest
 * prediction sets and scored, like any model's. Reads the configured database (load history first
 * with `bun run ingest import-csv <ergast-csv dir>`).
 */
import { writeFileSync } from 'node:fs';
import {
  choiceArgument,
  expectPositionals,
  parseCommandLine,
  seasonRangeArguments,
} from '@f1/core/cli/arguments';
import { type CliUsage, helpText, isOperatorError, reportOperatorError } from '@f1/core/cli/usage';
import { loadConfig } from '@f1/core/config';
import { loadHistory, loadQualifying } from '@f1/domain/baseline/history';
import { V2Forecaster } from '@f1/domain/baseline/v2/forecaster';
import type { DomainContext } from '@f1/domain/context';
import { openJobContext } from '../context.ts';
import { replay } from './backtest.ts';
import { buildReport, formatReport, jsonReport } from './report.ts';
import { storeBacktest } from './store.ts';

export const BACKTEST_USAGE: CliUsage = {
  program: 'bun run backtest',
  synopsis: '<from-season> <to-season> [--no-store] [--report table|json] [--json <file>]',
  summary:
    'Replay history without look-ahead and score every model on the seasons <from>…<to>\n' +
    '(seasons from 1950 to next year, <from> not after <to>).',
  details: `--no-store         only report; do not store the elo-baseline predictions as backtest sets
--report table     the per-season tables (default)
--report json      the report as JSON on stdout (keys: from, to, models, pairwiseSources, excluded,
                   seasons[], pooled, timing { loadMs, replayMs, v2RefitMs[] }, replayed, stored)
--json <file>      also write the JSON report to <file>`,
};

type Open = () => Promise<DomainContext & { close(): Promise<void> }>;
const openConfigured: Open = () => openJobContext(loadConfig(process.env));

/** Where the CLI writes: the report on `out`, a usage error on `err` (default: `out`). */
export interface BacktestIo {
  out: (text: string) => void;
  err?: (text: string) => void;
}

/** The command line, checked before anything connects. */
function parse(argv: string[]) {
  const { values, positionals } = parseCommandLine(argv, {
    'no-store': { type: 'boolean' },
    json: { type: 'string' },
    report: { type: 'string', default: 'table' },
  });
  expectPositionals('backtest', positionals, ['<from-season>', '<to-season>']);
  const { from, to } = seasonRangeArguments(
    ['<from-season>', '<to-season>'],
    [positionals[0], positionals[1]],
  );
  const format = choiceArgument('--report', values.report, ['table', 'json']);
  return { from, to, format, store: values['no-store'] !== true, json: values.json };
}

export async function runBacktest(
  argv: string[],
  io: BacktestIo | ((text: string) => void),
  open: Open = openConfigured,
): Promise<number> {
  const { out, err = out } = typeof io === 'function' ? { out: io } : io;
  const help = helpText(BACKTEST_USAGE, argv);
  if (help !== null) {
    out(help);
    return 0;
  }
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    if (!isOperatorError(error)) throw error;
    return reportOperatorError(error, { write: err }, { cli: BACKTEST_USAGE });
  }
  const { from, to, format } = args;
  const context = await open();
  try {
    const loadStarted = performance.now();
    const races = await loadHistory(context.db);
    const loadMs = Math.round(performance.now() - loadStarted);
    const inRange = races.filter((r) => r.season >= from && r.season <= to);
    if (inRange.length === 0) {
      err(
        `no results for ${from}–${to} in the database: load history first (bun run ingest import-csv <dir>)\n`,
      );
      return 1;
    }
    const qualifying = await loadQualifying(context.db);
    const forecaster = new V2Forecaster();
    const started = performance.now();
    const scored = replay(races, { from, to, v2: { forecaster, qualifying } });
    const replayMs = Math.round(performance.now() - started);
    const report = buildReport(scored);
    const replayed = {
      races: races.length,
      from: races[0]?.season ?? null,
      to: races.at(-1)?.season ?? null,
      scored: scored.length,
    };
    const refits = forecaster.refits.map((r) => Math.round(r.millis));
    if (format === 'table') {
      out(`${formatReport(report)}\n`);
      out(
        `replayed ${replayed.races} races (${replayed.from}–${replayed.to}), scored ${replayed.scored}, in ${replayMs} ms; ` +
          `v2 refits: ${refits.length}${refits.length ? `, ${Math.min(...refits)}–${Math.max(...refits)} ms each` : ''}\n`,
      );
      const last = forecaster.refits.at(-1);
      if (last) out(`v2 parameters fitted for ${last.season}: ${JSON.stringify(last.params)}\n`);
    }
    const stored = args.store ? await storeBacktest(context, scored) : null;
    if (stored && format === 'table') {
      out(
        `stored ${stored.sets} elo-baseline backtest sets (${stored.created} new or changed), ${stored.accuracyRows} accuracy rows\n`,
      );
    }
    const json = jsonReport({
      from,
      to,
      ...report,
      timing: { loadMs, replayMs, v2RefitMs: refits },
      replayed,
      stored,
    });
    if (format === 'json') out(json);
    if (args.json) writeFileSync(args.json, json);
    return 0;
  } finally {
    await context.close();
  }
}

if (import.meta.main) {
  process.exitCode = await runBacktest(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}
