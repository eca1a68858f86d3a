/**
 * Multi-competitor ELO, the textbook generalisation of chess ELO to a race: every pair of competitors
 * in a race is one game. For competitor i among n:
 *
 *   E_ij = 1 / (1 + 10^((R_j − R_i) / 400))        expected score of i against j
 *   S_ij = 1 if i finished ahead of j, 0 if behind, ½ if they share a rank
 *   R_i' = R_i + K / (n − 1) · Σ_j (S_ij − E_ij)
 *
 * All updates of a race use the ratings from before it (the order competitors are listed in does not
 * matter), and the deltas of a race sum to zero. Dividing K by n − 1 keeps one race worth about one
 * game whatever the field size (fields ran from 6 to 39 cars).
 */

export interface EloConfig {
  /** Rating points at stake per race. */
  k: number;
  /** Rating of a competitor's first race. */
  initial: number;
}

/** One competitor in one race; lower rank is better, equal ranks draw. */
export interface Competitor {
  id: number;
  rank: number;
}

export interface RatingChange {
  id: number;
  before: number;
  after: number;
}

/** Expected score of a competitor rated `a` against one rated `b`. */
export function expectedScore(a: number, b: number): number {
  return 1 / (1 + 10 ** ((b - a) / 400));
}

const score = (a: Competitor, b: Competitor) => (a.rank < b.rank ? 1 : a.rank > b.rank ? 0 : 0.5);

/** The rating changes one race makes, from the ratings before it (`rating(id)`). */
export function eloRace(
  rating: (id: number) => number,
  competitors: readonly Competitor[],
  config: EloConfig,
): RatingChange[] {
  const n = competitors.length;
  const before = competitors.map((c) => rating(c.id));
  return competitors.map((c, i) => {
    const own = before[i] ?? config.initial;
    let sum = 0;
    competitors.forEach((other, j) => {
      if (j === i) return;
      sum += score(c, other) - expectedScore(own, before[j] ?? config.initial);
    });
    return { id: c.id, before: own, after: n > 1 ? own + (config.k / (n - 1)) * sum : own };
  });
}

/**
 * Pairwise log loss of the ratings before a race: for every pair with different ranks, −ln of the
 * probability the ratings gave to the one that finished ahead. A coin flip scores ln 2 ≈ 0.693.
 */
export function pairwiseLogLoss(
  rating: (id: number) => number,
  competitors: readonly Competitor[],
): { sum: number; pairs: number } {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < competitors.length; i++) {
    for (let j = i + 1; j < competitors.length; j++) {
      const a = competitors[i];
      const b = competitors[j];
      if (!a || !b || a.rank === b.rank) continue;
      const [ahead, behind] = a.rank < b.rank ? [a, b] : [b, a];
      sum -= Math.log(expectedScore(rating(ahead.id), rating(behind.id)));
      pairs++;
    }
  }
  return { sum, pairs };
}
