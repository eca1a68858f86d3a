/**
 * Ratings, accuracy and the backtest on real data: seasons 2008–2016 of the Ergast export imported into
 * a fresh database. Oracles are the CSV itself (how many races a driver entered) and the replay with the
 * future cut off. Needs ../shared/data (or F1_TEST_DATA_DIR); skipped with a printed reason when absent.
 */
import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { computeRaceAccuracy } from '@f1/db/accuracy/compute';
import { ratingHistory, resultsForRating } from '@f1/db/ratings/ratings';
import { groupRaces, replayRatings as recomputeRatings } from '@f1/domain/ratings/replay';
import { replay } from '@f1/jobs/baseline/backtest';
import { describeEachBackend } from '@f1/testkit/backends';
import { findSharedDataDir, loadCsvSeasons, SHARED_DATA_MISSING } from '@f1/testkit/shared-data';
import { skipSuite } from '@f1/testkit/skip';

const dataDir = findSharedDataDir();
const SEASONS = [2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016];

/** Rows of results.csv for a driver in the loaded seasons: the independent count of races entered. */
function csvRaceCount(dir: string, driverNumericId: string): number {
  const csv = (name: string) =>
    readFileSync(path.join(dir, 'ergast-csv', name), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
  const seasons = new Map(csv('races.csv').map((l) => [l.split(',')[0], Number(l.split(',')[1])]));
  const races = new Set(
    csv('results.csv')
      .map((l) => l.split(','))
      .filter((c) => c[2] === driverNumericId && SEASONS.includes(seasons.get(c[1]) ?? 0))
      .map((c) => c[1]),
  );
  return races.size;
}

if (!dataDir) {
  skipSuite('analytics on real history', SHARED_DATA_MISSING);
} else {
  describeEachBackend('analytics on real history (2008–2016)', (database) => {
    test('ratings: deterministic, one history row per race entered (Hamilton, by the CSV)', async () => {
      const db = database().db;
      await loadCsvSeasons(db, { seasons: SEASONS });
      const first = await recomputeRatings(db);
      const snapshot = () =>
        db
          .selectFrom('driver_ratings')
          .select(['driver_id', 'race_id', 'rating_after'])
          .orderBy('race_id')
          .orderBy('driver_id')
          .execute();
      const before = await snapshot();
      await recomputeRatings(db);
      expect(await snapshot()).toEqual(before);
      expect(first.races).toBe(SEASONS.length === 9 ? 171 : 0);
      const hamilton = await ratingHistory(db, { kind: 'driver', id: 'hamilton' });
      expect(hamilton?.history.length).toBe(csvRaceCount(dataDir, '1'));
    }, 120_000);

    test('backtest: the 2015 predictions are the same whether or not 2016 is known', async () => {
      const races = groupRaces(await resultsForRating(database().db));
      const withFuture = replay(races, { from: 2015, to: 2015 });
      const withoutFuture = replay(
        races.filter((r) => r.season <= 2015),
        { from: 2015, to: 2015 },
      );
      expect(withFuture.length).toBe(19);
      expect(withFuture.map((r) => r.predictions)).toEqual(withoutFuture.map((r) => r.predictions));
    });

    test('the stored grid baseline of 2015 equals the backtest replay of it (same priors, same metrics)', async () => {
      const db = database().db;
      const races = groupRaces(await resultsForRating(db));
      const season = replay(races, { from: 2015, to: 2015 });
      await computeRaceAccuracy(
        db,
        season.map((r) => r.view.raceId),
      );
      const stored = await db
        .selectFrom('prediction_accuracy')
        .select(['race_id', 'brier_win', 'log_loss_win', 'spearman_rho'])
        .where('model', '=', 'grid-baseline')
        .orderBy('race_id')
        .execute();
      const replayed = season
        .map((r) => ({ race_id: r.view.raceId, m: r.metrics.grid }))
        .sort((a, b) => a.race_id - b.race_id);
      expect(stored).toHaveLength(19);
      stored.forEach((row, i) => {
        expect(row.race_id).toBe(replayed[i]?.race_id ?? -1);
        expect(row.brier_win).toBeCloseTo(replayed[i]?.m?.brierWin ?? -1, 12);
        expect(row.log_loss_win).toBeCloseTo(replayed[i]?.m?.logLossWin ?? -1, 12);
      });
    });
  });
}
