import { beforeAll, expect, test } from 'bun:test';
import type { PredictionUpdate } from '@f1/core/changes/prediction-updates';
import { describeEachBackend } from '@f1/testkit/backends';
import { apiKeyPrincipal, callerFor } from '@f1/testkit/callers';
import { MINI_SEASON } from '@f1/testkit/fixtures/mini-season';
import { entriesFor, seedPredictionRaces } from '@f1/testkit/fixtures/predictions';
import { testServices } from '@f1/testkit/server';
import { TRPCError } from '@trpc/server';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';

const ml = apiKeyPrincipal(3);

describeEachBackend('accuracy router', (database) => {
  // One server process for the suite: its pipeline publishes on the bus the tests listen to.
  let services: Services | undefined;
  const shared = () => {
    services ??= testServices({ database: database() });
    return services;
  };
  const caller = (principal: Principal | null = null) => callerFor(shared(), principal);
  beforeAll(async () => {
    await seedPredictionRaces(database().db);
  });

  test('a backtest submission for a finished race is scored before the call returns', async () => {
    const seen: PredictionUpdate[] = [];
    const off = shared().predictionUpdateBus.onLocal((u) => seen.push(u));
    await caller(ml).predictions.submit({
      season: MINI_SEASON,
      round: 1,
      model: 'scored',
      version: '2',
      backtest: true,
      stage: 'post_qualifying',
      entries: entriesFor(),
    });
    off();
    expect(seen.map((u) => u.kind)).toEqual(['predictions', 'accuracy']);
    // Round 1 finished A, B, C, D: exactly the predicted order.
    const report = await caller().accuracy.byRace({
      season: MINI_SEASON,
      round: 1,
      backtest: true,
    });
    expect(report.models).toHaveLength(1);
    expect(report.models[0]).toMatchObject({
      model: 'scored',
      winnerHit: true,
      spearmanRho: 1,
      meanAbsPositionError: 0,
    });
    expect(report.models[0]?.brierWin).toBeCloseTo(0.36 + 0.09 + 0.04 + 0.01, 9);
    expect(report.baseline?.model).toBe('grid-baseline');
  });

  test('leaderboard: backtests only on request, rolling windows, rank metric', async () => {
    expect(await caller().accuracy.leaderboard({ season: MINI_SEASON })).toEqual([]);
    const board = await caller().accuracy.leaderboard({
      backtest: true,
      lastRaces: 5,
      rankBy: 'spearmanRho',
    });
    expect(board.map((e) => [e.rank, e.model, e.races, e.baseline.races])).toEqual([
      [1, 'scored', 1, 1],
    ]);
    expect(await caller().accuracy.leaderboard()).toEqual([]);
  });

  test('timeline: per-race scores of each model beside the grid baseline, NOT_FOUND for no season', async () => {
    const timeline = await caller().accuracy.timeline({ season: MINI_SEASON, backtest: true });
    expect(timeline.rounds.map((r) => r.round)).toEqual([1]);
    const scored = timeline.series.find((s) => s.model === 'scored');
    expect(scored?.brierWin[0]).toBeCloseTo(0.36 + 0.09 + 0.04 + 0.01, 9);
    expect(timeline.series.map((s) => s.model).sort()).toEqual(['grid-baseline', 'scored']);
    const live = await caller().accuracy.timeline({ season: MINI_SEASON });
    expect(live.series.map((s) => s.model)).toEqual(['grid-baseline']);
    const missing = await caller()
      .accuracy.timeline({ season: 1990 })
      .catch((e: unknown) => e);
    expect((missing as TRPCError).code).toBe('NOT_FOUND');
  });

  test('timeline: an unknown input key is BAD_REQUEST (a misspelt `backTest` does not silently read live sets)', async () => {
    const typo = await caller()
      .accuracy.timeline({ season: MINI_SEASON, backTest: true } as never)
      .catch((e: unknown) => e);
    expect(typo).toBeInstanceOf(TRPCError);
    expect((typo as TRPCError).code).toBe('BAD_REQUEST');
    expect((typo as TRPCError).message).toContain('backTest');
  });

  test('leaderboard: an unknown input key is BAD_REQUEST naming it (a misspelt `lastRace` does not silently rank the season)', async () => {
    const typo = await caller()
      .accuracy.leaderboard({ season: MINI_SEASON, lastRace: 5 } as never)
      .catch((e: unknown) => e);
    expect(typo).toBeInstanceOf(TRPCError);
    expect((typo as TRPCError).code).toBe('BAD_REQUEST');
    expect((typo as TRPCError).message).toContain('lastRace');
  });

  test('byRace: NOT_FOUND for an unknown race', async () => {
    try {
      await caller().accuracy.byRace({ season: 1990, round: 1 });
      throw new Error('expected NOT_FOUND');
    } catch (error) {
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('NOT_FOUND');
    }
  });
});
