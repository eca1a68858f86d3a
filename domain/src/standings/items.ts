/**
 * Turns a season's results into scoring items per competitor: what the best-N rule chooses among and
 * what countback compares. A driver's item is one result row (a shared drive is its own result); a
 * constructor's is one per car (from 1979) or one per race for its best-placed car (1958–1978).
 */
import type { ConstructorRules } from './rules-types.ts';
import type { ResultEntry, RoundResults } from './types.ts';

export interface ScoringItem {
  round: number;
  points: number;
  /** Classified race position (the best car's, for a best-car constructor item); null if unclassified. */
  position: number | null;
  /** Classified race positions this item brings to countback (a best-car item: all the constructor's cars). */
  countback: number[];
  /** Sprint points: always counted, never in countback or wins. */
  sprint: boolean;
}

function push(map: Map<string, ScoringItem[]>, id: string, item: ScoringItem): void {
  const items = map.get(id);
  if (items) items.push(item);
  else map.set(id, [item]);
}

const item = (round: number, entry: ResultEntry, sprint: boolean): ScoringItem => ({
  round,
  points: entry.points,
  position: entry.position,
  countback: sprint || entry.position === null ? [] : [entry.position],
  sprint,
});

/** Every driver's items, in first-appearance order. */
export function driverItems(rounds: readonly RoundResults[]): Map<string, ScoringItem[]> {
  const items = new Map<string, ScoringItem[]>();
  for (const { round, race, sprint } of rounds) {
    for (const entry of race) push(items, entry.driver, item(round, entry, false));
    for (const entry of sprint) push(items, entry.driver, item(round, entry, true));
  }
  return items;
}

interface Car {
  constructor: string;
  points: number;
  position: number | null;
  positionOrder: number;
}

/** A race's cars (rows of one constructor and car number merged; no constructor, no car), in order. */
function cars(race: readonly ResultEntry[]): Car[] {
  const byCar = new Map<string, Car>();
  for (const entry of race) {
    if (entry.constructor === null) continue;
    const key = `${entry.constructor}\u0000${entry.car ?? entry.driver}`;
    const car = byCar.get(key);
    if (!car) {
      byCar.set(key, {
        constructor: entry.constructor,
        points: entry.points,
        position: entry.position,
        positionOrder: entry.positionOrder,
      });
      continue;
    }
    car.points += entry.points;
    if (entry.positionOrder < car.positionOrder) {
      car.positionOrder = entry.positionOrder;
      car.position = entry.position;
    }
  }
  return [...byCar.values()].sort((a, b) => a.positionOrder - b.positionOrder);
}

function carPoints(car: Car, withoutFastestLap: readonly number[] | null): number {
  if (withoutFastestLap === null) return car.points;
  if (car.points <= 0 || car.position === null) return 0;
  return withoutFastestLap[car.position - 1] ?? 0;
}

/**
 * One item per constructor and race: its best car's points, and every car's finish for countback (the
 * export ranks Maserati, 4th and 5th in 1958 round 1, ahead of Lotus, 4th in round 5, both on 3 points). A car scores what its rows scored (shared
 * drives summed), so half points and Formula 2 entries ahead (0 points) need no rule; where the drivers'
 * points include a fastest-lap point (1958–1959), a scoring car's points are re-read from its classified
 * position on `withoutFastestLap`, which leaves a car scoring only that point with none.
 */
function bestCarItems(round: number, race: readonly ResultEntry[], rules: ConstructorRules) {
  if (rules.scoring.kind !== 'best-car') return [];
  const scale = rules.scoring.withoutFastestLap;
  const best = new Map<string, ScoringItem>();
  for (const car of cars(race)) {
    const points = carPoints(car, scale);
    const previous = best.get(car.constructor);
    const countback = car.position === null ? [] : [car.position];
    if (!previous) {
      best.set(car.constructor, {
        round,
        points,
        position: car.position,
        countback,
        sprint: false,
      });
      continue;
    }
    previous.countback.push(...countback);
    if (points > previous.points) previous.points = points;
  }
  return [...best.entries()];
}

/** Every constructor's items under `rules`, in first-appearance order. */
export function constructorItems(
  rounds: readonly RoundResults[],
  rules: ConstructorRules,
): Map<string, ScoringItem[]> {
  const items = new Map<string, ScoringItem[]>();
  for (const { round, race, sprint } of rounds) {
    if (rules.excludedRounds.includes(round)) continue;
    if (rules.scoring.kind === 'best-car') {
      for (const [id, best] of bestCarItems(round, race, rules)) push(items, id, best);
      continue;
    }
    const add = (entry: ResultEntry, isSprint: boolean) => {
      if (entry.constructor !== null) push(items, entry.constructor, item(round, entry, isSprint));
    };
    for (const entry of race) add(entry, false);
    for (const entry of sprint) add(entry, true);
  }
  return items;
}
