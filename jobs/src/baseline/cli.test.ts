import { beforeAll, expect, test } from 'bun:test';
import { silentLogger } from '@f1/core/logger';
import { listPredictions } from '@f1/db/predictions/predictions';
import { createProcessChanges } from '@f1/domain/changes/data-changes';
import { describeEachBackend } from '@f1/testkit/backends';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { runRatings } from '../ratings/cli.ts';
import { runBacktest } from './cli.ts';

describeEachBackend('backtest and ratings CLIs', (database) => {
  const open = async () => ({
    db: database().db,
    logger: silentLogger,
    changes: createProcessChanges({ db: database().db, logger: silentLogger, redis: null }).changes,
    close: async () => {},
  });
  const run = async (fn: typeof runBacktest, argv: string[]) => {
    let text = '';
    const code = await fn(
      argv,
      (t) => {
        text += t;
      },
      open,
    );
    return { code, text };
  };
  beforeAll(async () => {
    await seedPredictionRaces(database().db);
  });

  test('usage errors exit 2; an empty range exits 1 with advice', async () => {
    expect((await run(runBacktest, ['2021'])).code).toBe(2);
    expect((await run(runBacktest, ['2024', '2015'])).code).toBe(2);
    const empty = await run(runBacktest, ['1990', '1991']);
    expect(empty).toMatchObject({ code: 1 });
    expect(empty.text).toContain('no results for 1990–1991');
    expect((await run(runBacktest, ['2021', '2021', '--report', 'xml'])).code).toBe(2);
    const bogus = await run(runBacktest, ['2021', '2021', '--bogus']);
    expect(bogus).toMatchObject({ code: 2 });
    expect(bogus.text).toContain('unknown option --bogus');
    const early = await run(runBacktest, ['1800', '2024']);
    expect(early).toMatchObject({ code: 2 });
    expect(early.text).toContain('<from-season> must be a season from 1950');
    const help = await run(runBacktest, ['--help']);
    expect(help.code).toBe(0);
    expect(help.text).toContain('--report json');
  });

  test('--report json writes only the machine-readable report to stdout', async () => {
    const { code, text } = await run(runBacktest, [
      String(MINI_SEASON),
      String(MINI_SEASON),
      '--no-store',
      '--report',
      'json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(text);
    expect(Object.keys(report)).toEqual([
      'from',
      'to',
      'models',
      'pairwiseSources',
      'excluded',
      'seasons',
      'pooled',
      'timing',
      'replayed',
      'stored',
    ]);
    expect(report.models).toEqual(['elo-pre', 'elo-post', 'v2-pre', 'v2-post', 'grid']);
    expect(report.pooled).toMatchObject({ season: null, races: 2 });
    expect(report.pooled.models.grid.races).toBe(2);
    expect(report.pooled.pairwise.bothFinished.logLoss).toHaveProperty('elo-ratings');
    expect(report.timing.replayMs).toBeGreaterThanOrEqual(0);
    expect(report.stored).toBeNull();
  });

  test('prints the season table and stores elo-baseline backtest sets, scored', async () => {
    const { code, text } = await run(runBacktest, [String(MINI_SEASON), String(MINI_SEASON)]);
    expect(code).toBe(0);
    const lines = text.split('\n');
    expect(lines[0]).toContain('elo-post:brierW');
    expect(lines[1]?.trim()).toStartWith(`${MINI_SEASON}      2`);
    expect(text).toContain(
      'stored 8 elo-baseline backtest sets (8 new or changed), 10 accuracy rows',
    );
    const stored = await listPredictions(database().db, {
      season: MINI_SEASON,
      round: 2,
      model: 'elo-baseline',
      backtest: true,
    });
    // v1 and v2, each before and after qualifying.
    expect(stored?.sets.map((s) => `${s.version}:${s.stage}`).sort()).toEqual([
      '1:post_qualifying',
      '1:pre_qualifying',
      '2:post_qualifying',
      '2:pre_qualifying',
    ]);
    // A rerun stores nothing new.
    expect((await run(runBacktest, [String(MINI_SEASON), String(MINI_SEASON)])).text).toContain(
      '(0 new or changed)',
    );
  });

  test('--no-store only prints', async () => {
    const { text } = await run(runBacktest, [
      String(MINI_SEASON),
      String(MINI_SEASON),
      '--no-store',
    ]);
    expect(text).not.toContain('stored');
  });

  test('ratings CLI recomputes and reports', async () => {
    const { code, text } = await run(runRatings, ['--runs', '2']);
    expect(code).toBe(0);
    expect(text.match(/recomputed 2 races: 8 driver and 4 team rating rows/g)).toHaveLength(2);
    const bad = await run(runRatings, ['--runs', 'lots']);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.text).toContain('--runs must be a whole number from 1 to 1000, got "lots"');
    expect((await run(runRatings, ['--help'])).text).toContain('usage: bun run ratings');
  });
});
