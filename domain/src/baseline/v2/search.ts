/** A small derivative-free minimiser: coordinate (pattern) search with shrinking steps and bounds. */

export interface SearchOptions {
  /** Initial step per coordinate. */
  steps: readonly number[];
  lower: readonly number[];
  upper: readonly number[];
  /** Stop once every step is below this share of its initial value. */
  tolerance?: number;
  maxEvaluations?: number;
}

export interface SearchResult {
  x: number[];
  value: number;
  evaluations: number;
}

/** Minimises `f` from `start`: along each coordinate, step while it improves; halve steps when stuck. */
export function coordinateSearch(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  options: SearchOptions,
): SearchResult {
  const tolerance = options.tolerance ?? 1 / 16;
  const maxEvaluations = options.maxEvaluations ?? 200;
  const clamp = (v: number, i: number) =>
    Math.min(options.upper[i] ?? Infinity, Math.max(options.lower[i] ?? -Infinity, v));
  let x = start.map(clamp);
  let value = f(x);
  let evaluations = 1;
  const steps = [...options.steps];
  while (evaluations < maxEvaluations) {
    let improved = false;
    for (let i = 0; i < x.length && evaluations < maxEvaluations; i++) {
      for (const direction of [1, -1]) {
        for (;;) {
          const candidate = [...x];
          candidate[i] = clamp((x[i] ?? 0) + direction * (steps[i] ?? 0), i);
          if (candidate[i] === x[i] || evaluations >= maxEvaluations) break;
          const v = f(candidate);
          evaluations++;
          if (!(v < value)) break;
          x = candidate;
          value = v;
          improved = true;
        }
      }
    }
    if (!improved) {
      if (steps.every((s, i) => s <= (options.steps[i] ?? 0) * tolerance)) break;
      for (let i = 0; i < steps.length; i++) steps[i] = (steps[i] ?? 0) / 2;
    }
  }
  return { x, value, evaluations };
}
