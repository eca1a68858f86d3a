/**
 * A small walk-forward backtest of `elo-baseline` v2 on real seasons (2010–2014 of the shared export):
 * every v2 metric is finite and better than a coin flip / a uniform forecast, on identical races.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { qualifyingTimes } from '@f1/db/ratings/qualifying-times';
import { resultsForRating } from '@f1/db/ratings/ratings';
import { V2Forecaster } from '@f1/domain/baseline/v2/forecaster';
import { groupRaces } from '@f1/domain/ratings/replay';
import { freshDatabase, preferredBackend, type TestDatabase } from '@f1/testkit/postgres';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';
import { replay, type ScoredRace } from './backtest.ts';
import { buildReport, formatPairwise } from './report.ts';

if (!findSharedDataDir()) {
  skipSuite('v2 backtest on real seasons', SHARED_DATA_MISSING);
} else {
  let database: TestDatabase;
  let scored: ScoredRace[];
  let forecaster: V2Forecaster;

  beforeAll(async () => {
    database = await freshDatabase(preferredBackend());
    await loadCsvSeasons(database.db, { seasons: [2010, 2011, 2012, 2013, 2014] });
    const races = groupRaces(await resultsForRating(database.db));
    const qualifying = await qualifyingTimes(database.db);
    forecaster = new V2Forecaster({ windows: { ratingSeasons: 3, stageSeasons: 2 } });
    scored = replay(races, { from: 2013, to: 2014, v2: { forecaster, qualifying } });
  }, 120_000);
  afterAll(() => database?.close());

  describe('v2 backtest on real seasons', () => {
    test('scores both seasons, refitting at each season start on earlier seasons', () => {
      expect(scored.map((r) => r.view.season)).toEqual([
        ...Array<number>(19).fill(2013),
        ...Array<number>(19).fill(2014),
      ]);
      expect(forecaster.refits.map((r) => r.season)).toEqual([2013, 2014]);
      expect(scored.every((r) => r.metrics['v2-pre'] && r.metrics['v2-post'])).toBe(true);
    });

    test('v2 metrics are finite and beat a uniform forecast and a coin flip', () => {
      const report = buildReport(scored);
      const all = report.pooled;
      for (const model of ['v2-pre', 'v2-post'] as const) {
        const m = all.models[model];
        expect(m?.races).toBe(38);
        // Uniform over ~22 cars: win Brier 1 − 1/22 ≈ 0.955, win log loss ln 22 ≈ 3.09.
        expect(m?.brierWin).toBeLessThan(0.9);
        expect(m?.logLossWin).toBeLessThan(2.5);
        expect(m?.spearmanRho).toBeGreaterThan(0.3);
        expect(Number.isFinite(m?.brierPodium)).toBe(true);
      }
      // Post-qualifying knows the grid: it must beat pre-qualifying on win log loss.
      expect(all.models['v2-post']?.logLossWin).toBeLessThan(all.models['v2-pre']?.logLossWin ?? 0);
      // v2's own pair probabilities (pace with reliability; pace alone on both-finished pairs).
      for (const basis of ['project', 'bothFinished'] as const) {
        expect(all.pairwise[basis].pairs).toBeGreaterThan(3000);
        expect(all.pairwise[basis].logLoss['v2-pre']).toBeLessThan(Math.LN2 - 0.1);
        expect(all.pairwise[basis].logLoss['v2-post']).toBe(all.pairwise[basis].logLoss['v2-pre']);
      }
      const text = formatPairwise(report).split('\n');
      expect(text).toHaveLength(4);
      expect(text[3]?.trim()).toStartWith('all');
    });
  });
}
