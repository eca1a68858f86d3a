#!/usr/bin/env bun
/**
 * `bun run backtest <from> <to> [--no-store] [--json <file>]` — replays history from 1950 without
 * look-ahead and prints per-season metrics of `elo-baseline` v1 and v2 (pre- and post-qualifying)
 * against the grid baseline, then pairwise log loss on both pair sets and v2's refit times (v2 refits
 * every parameter at each season start on the seasons before it). Unless `--no-store`, the elo-baseline predictions are stored as backtest prediction
 * sets and scored, like any model's. Reads the configured database (load history first with
 * `bun run ingest import-csv <ergast-csv dir>`).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '@f1/core/config';
import { qualifyingTimes } from '@f1/db/ratings/qualifying-times';
import { resultsForRating } from '@f1/db/ratings/ratings';
import { V2Forecaster } from '@f1/domain/baseline/v2/forecaster';
import type { DomainContext } from '@f1/domain/context';
import { groupRaces } from '@f1/domain/ratings/replay';
import { openJobContext } from '../context.ts';
import { replay } from './backtest.ts';
import { formatPairSets, formatTable, seasonTable } from './report.ts';
import { storeBacktest } from './store.ts';

const USAGE = 'usage: bun run backtest <from-season> <to-season> [--no-store] [--json <file>]';

type Open = () => Promise<DomainContext & { close(): Promise<void> }>;
const openConfigured: Open = () => openJobContext(loadConfig(process.env));

export async function runBacktest(
  argv: string[],
  out: (text: string) => void,
  open: Open = openConfigured,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'no-store': { type: 'boolean' }, json: { type: 'string' } },
  });
  const [from, to] = positionals.map(Number);
  if (!from || !to || from > to || positionals.length !== 2) {
    out(`${USAGE}\n`);
    return 2;
  }
  const context = await open();
  try {
    const races = groupRaces(await resultsForRating(context.db));
    const inRange = races.filter((r) => r.season >= from && r.season <= to);
    if (inRange.length === 0) {
      out(
        `no results for ${from}–${to} in the database: load history first (bun run ingest import-csv <dir>)\n`,
      );
      return 1;
    }
    const qualifying = await qualifyingTimes(context.db);
    const forecaster = new V2Forecaster();
    const started = performance.now();
    const scored = replay(races, { from, to, v2: { forecaster, qualifying } });
    const millis = Math.round(performance.now() - started);
    const table = seasonTable(scored);
    out(`${formatTable(table)}\n\npairwise log loss (project pairs, both-finished pairs)\n`);
    out(`${formatPairSets(scored)}\n`);
    const refits = forecaster.refits.map((r) => r.millis);
    out(
      `replayed ${races.length} races (${races[0]?.season}–${races.at(-1)?.season}), scored ${scored.length}, in ${millis} ms; ` +
        `v2 refits: ${refits.length}, ${Math.round(Math.min(...refits))}–${Math.round(Math.max(...refits))} ms each\n`,
    );
    const last = forecaster.refits.at(-1);
    if (last) out(`v2 parameters fitted for ${last.season}: ${JSON.stringify(last.params)}\n`);
    if (values.json) writeFileSync(values.json, `${JSON.stringify(table, null, 2)}\n`);
    if (!values['no-store']) {
      const stored = await storeBacktest(context, scored);
      out(
        `stored ${stored.sets} elo-baseline backtest sets (${stored.created} new or changed), ${stored.accuracyRows} accuracy rows\n`,
      );
    }
    return 0;
  } finally {
    await context.close();
  }
}

if (import.meta.main) {
  process.exitCode = await runBacktest(process.argv.slice(2), (t) => process.stdout.write(t));
}
