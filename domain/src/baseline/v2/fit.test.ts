import { describe, expect, test } from 'bun:test';
import type { EntryFeatures } from './features.ts';
import { ratedEntries } from './features.ts';
import {
  fitRatings,
  fitReliability,
  fitStage,
  fitV2,
  ratingLoss,
  stageLoss,
  type TrainingRace,
  trainingFeatures,
} from './fit.ts';
import { stageStrengths } from './probabilities.ts';
import { rng, syntheticSeasons, WORLD } from './testing.ts';
import { DEFAULT_V2_PARAMS, type StageParams } from './types.ts';

const seasons = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Training races whose winners are drawn from Plackett–Luce with known stage weights. */
function drawn(truth: StageParams, stage: 'pre_qualifying' | 'post_qualifying', n: number) {
  const next = rng(11);
  const normal = () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  const races: TrainingRace[] = [];
  for (let r = 0; r < n; r++) {
    const slots = Array.from({ length: 10 }, (_, i) => i + 1).sort(() => next() - 0.5);
    const entries: EntryFeatures[] = slots.map((slot, i) => ({
      driverId: i + 1,
      teamId: i + 1,
      rating: normal(),
      team: normal() * 0.5,
      finish: 1,
      fault: 0,
      gap: next() * 2,
      slot,
    }));
    const s = stageStrengths(entries, stage, truth);
    const keys = s.map((x) => x - Math.log(-Math.log(next() || 1e-12)));
    const winner = keys.indexOf(Math.max(...keys));
    races.push({ features: { raceId: r, season: 2000, entries }, winner });
  }
  return races;
}

describe('v2 fitting recovers known parameters', () => {
  test('pre-qualifying temperature and team mix', () => {
    const truth = { ...DEFAULT_V2_PARAMS.stage, pre: 1.6, preTeam: 0.8 };
    const fitted = fitStage(drawn(truth, 'pre_qualifying', 6000), DEFAULT_V2_PARAMS.stage);
    expect(fitted.pre).toBeGreaterThan(1.4);
    expect(fitted.pre).toBeLessThan(1.8);
    expect(fitted.preTeam).toBeGreaterThan(0.4);
    expect(fitted.preTeam).toBeLessThan(1.2);
  }, 60_000); // CPU-bound fits: a few seconds alone, more on a loaded machine

  test('post-qualifying rating, gap and grid weights', () => {
    const truth = { ...DEFAULT_V2_PARAMS.stage, rating: 0.8, postTeam: 0, gap: 0.9, grid: 1.1 };
    const training = drawn(truth, 'post_qualifying', 6000);
    const fitted = fitStage(training, DEFAULT_V2_PARAMS.stage);
    expect(Math.abs(fitted.rating - 0.8)).toBeLessThan(0.15);
    expect(Math.abs(fitted.gap - 0.9)).toBeLessThan(0.25);
    expect(Math.abs(fitted.grid - 1.1)).toBeLessThan(0.25);
    // The fit is a likelihood maximum: the truth scores no better on its own training data.
    expect(stageLoss(training, 'post_qualifying', fitted)).toBeLessThanOrEqual(
      stageLoss(training, 'post_qualifying', truth) + 1e-9,
    );
  }, 60_000); // CPU-bound fits: a few seconds alone, more on a loaded machine

  test('pace ratings: the fit beats the defaults and orders the teams as the truth does', () => {
    const races = syntheticSeasons(seasons(1990, 2009), { rounds: 12 });
    const fitted = fitRatings(races, 2000, DEFAULT_V2_PARAMS.ratings);
    const cached = races.map((r) => ({
      season: r.season,
      entries: ratedEntries(r.results, { faults: false }),
    }));
    expect(fitted.loss).toBeLessThan(ratingLoss(cached, DEFAULT_V2_PARAMS.ratings, 2000));
    expect(fitted.loss).toBeLessThan(Math.LN2 - 0.1);
    const { builder } = trainingFeatures(
      races,
      { ...DEFAULT_V2_PARAMS, ratings: fitted.params },
      2009,
    );
    // Driver + team strength of each car against the truth: Pearson correlation near 1.
    const truth = WORLD.driver.map((d, i) => d + (WORLD.team[Math.floor(i / 2)] ?? 0));
    const rated = truth.map((_, i) => builder.ratings.strength(i + 1, Math.floor(i / 2) + 1));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [mt, mr] = [mean(truth), mean(rated)];
    const cov = mean(truth.map((t, i) => (t - mt) * ((rated[i] ?? 0) - mr)));
    const sd = (xs: number[], m: number) => Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    expect(cov / (sd(truth, mt) * sd(rated, mr))).toBeGreaterThan(0.9);
    const teams = [1, 2, 3, 4, 5].sort((a, b) => builder.ratings.team(b) - builder.ratings.team(a));
    expect(teams.at(-1)).toBe(5);
  });

  test('reliability: fitted rates approach the true failure rates', () => {
    const races = syntheticSeasons(seasons(1990, 2009), { rounds: 12, seed: 3 });
    const fitted = fitReliability(races, 1995, DEFAULT_V2_PARAMS.reliability);
    expect(fitted.params.decay).toBeGreaterThan(0.95);
    const { builder } = trainingFeatures(
      races,
      { ...DEFAULT_V2_PARAMS, reliability: fitted.params },
      2009,
    );
    WORLD.mechanical.forEach((rate, t) => {
      expect(Math.abs(builder.reliability.rates(2 * t + 1, t + 1).mechanical - rate)).toBeLessThan(
        0.08,
      );
    });
  });

  test('fitV2 fits only on seasons before the one predicted', () => {
    const races = syntheticSeasons(seasons(2000, 2005), { rounds: 6 });
    const a = fitV2(races, 2004, DEFAULT_V2_PARAMS).params;
    const changed = races.map((r) =>
      r.season >= 2004
        ? {
            ...r,
            results: [...r.results].reverse().map((x, i) => ({ ...x, positionOrder: i + 1 })),
          }
        : r,
    );
    expect(fitV2(changed, 2004, DEFAULT_V2_PARAMS).params).toEqual(a);
  });
});
