#!/usr/bin/env bun
/**
 * `bun run ratings [--runs N]` — recomputes every ELO rating from scratch over all results in the
 * configured database and prints how long it took (N runs to see the spread; the result is identical).
 * Each replay is reported to the data-change pipeline (rating caches, the next race's baseline).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '@f1/core/config';
import type { DomainContext } from '@f1/domain/context';
import { replayRatings } from '@f1/domain/ratings/replay';
import { openJobContext } from '../context.ts';

type Open = () => Promise<DomainContext & { close(): Promise<void> }>;
const openConfigured: Open = () => openJobContext(loadConfig(process.env));

export async function runRatings(
  argv: string[],
  out: (text: string) => void,
  open: Open = openConfigured,
): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string', default: '1' } } });
  const runs = Math.max(1, Number(values.runs) || 1);
  const context = await open();
  try {
    for (let i = 0; i < runs; i++) {
      const s = await replayRatings(context.db);
      await context.changes.changed([{ kind: 'ratings' }]);
      out(
        `recomputed ${s.races} races: ${s.driverRows} driver and ${s.teamRows} team rating rows in ${s.millis} ms\n`,
      );
    }
    return 0;
  } finally {
    await context.close();
  }
}

if (import.meta.main) {
  process.exitCode = await runRatings(process.argv.slice(2), (t) => process.stdout.write(t));
}
