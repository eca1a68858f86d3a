/**
 * Championship standings from a season's rules and results, after every round: pure and synchronous.
 *
 * Each competitor collects scoring items (a driver: one per result row, so a shared drive is its own
 * result; a constructor: one per car, or one per race for its best car before 1979). After each round the
 * best-N rule picks the counted items block by block; ties on counted points are broken by countback on
 * the counted race results (most wins, then most second places, …); competitors level on everything share
 * the position. Adjustments then exclude, penalise or restart competitors.
 *
 * @example
 * const tables = computeSeasonStandings(seasonRules(1988), rounds);
 * tables.at(-1)?.drivers[0]; // { id: 'senna', points: 90, grossPoints: 94, … }
 */
import { adjustmentsFor } from './adjustments.ts';
import { constructorItems, driverItems, type ScoringItem } from './items.ts';
import { rankRows, type UnrankedRow } from './ranking.ts';
import type { Adjustment, Counting, SeasonRules, StandingsTable } from './rules-types.ts';
import type { RoundResults, RoundStandings, StandingRow } from './types.ts';

interface Counted {
  counted: ScoringItem[];
  dropped: ScoringItem[];
}

/** Which of `items` (rounds up to now) count under `counting`; sprint items always count. */
export function countedItems(items: readonly ScoringItem[], counting: Counting): Counted {
  if (counting.length === 0) return { counted: [...items], dropped: [] };
  const counted: ScoringItem[] = [];
  const dropped: ScoringItem[] = [];
  const race = items.filter((item) => !item.sprint);
  counted.push(...items.filter((item) => item.sprint));
  for (const block of counting) {
    const inBlock = race
      .filter(
        (i) => i.round >= block.fromRound && (block.toRound === null || i.round <= block.toRound),
      )
      .sort(byValue);
    counted.push(...inBlock.slice(0, block.best));
    dropped.push(...inBlock.slice(block.best).filter((i) => i.points !== 0));
  }
  return { counted, dropped };
}

/** Best first: more points, then the better finishing position (unclassified last). */
function byValue(a: ScoringItem, b: ScoringItem): number {
  return (
    b.points - a.points || (a.position ?? Infinity) - (b.position ?? Infinity) || a.round - b.round
  );
}

/** Sums points, rounded to 1/1000: shared drives score sevenths (0.14) and half points 0.5. */
const sum = (items: readonly ScoringItem[]) =>
  Math.round(items.reduce((total, i) => total + i.points, 0) * 1000) / 1000;

interface TableOptions {
  table: StandingsTable;
  counting: Counting;
  adjustments: readonly Adjustment[];
}

/** One competitor's unranked line after `round`; `items` are its items up to that round. */
function competitorRow(
  id: string,
  itemsSoFar: readonly ScoringItem[],
  where: TableOptions & { round: number },
): UnrankedRow {
  const adjustment = adjustmentsFor(where.adjustments, {
    table: where.table,
    id,
    round: where.round,
  });
  const items = itemsSoFar.filter((i) => i.round >= adjustment.countsFromRound);
  const { counted, dropped } = countedItems(items, where.counting);
  const forfeited = adjustment.exclusion?.forfeitsPoints === true;
  return {
    id,
    points: forfeited ? 0 : Math.round((sum(counted) + adjustment.points) * 1000) / 1000,
    grossPoints: sum(items),
    droppedPoints: sum(dropped),
    droppedRounds: dropped.map((i) => i.round).sort((a, b) => a - b),
    adjustmentPoints: adjustment.points,
    wins: items.filter((i) => !i.sprint && i.position === 1).length,
    countback: counted.flatMap((i) => i.countback),
    excluded: adjustment.exclusion !== null,
  };
}

/** The table after each of `rounds` (ascending), for competitors with a result by then. */
function tables(
  itemsById: ReadonlyMap<string, readonly ScoringItem[]>,
  rounds: readonly number[],
  options: TableOptions,
): StandingRow[][] {
  const competitors = [...itemsById];
  return rounds.map((round) => {
    const rows: UnrankedRow[] = [];
    for (const [id, all] of competitors) {
      // Items are in round order: the ones up to this round are a prefix.
      let end = 0;
      while (end < all.length && (all[end]?.round ?? Infinity) <= round) end++;
      if (end > 0) rows.push(competitorRow(id, all.slice(0, end), { ...options, round }));
    }
    return rankRows(rows, options.table === 'drivers' ? 'D' : 'E');
  });
}

/** The drivers' and constructors' tables after every round of one season (rounds in any order). */
export function computeSeasonStandings(
  rules: SeasonRules,
  rounds: readonly RoundResults[],
): RoundStandings[] {
  const ordered = [...rounds].sort((a, b) => a.round - b.round);
  const roundNumbers = ordered.map((r) => r.round);
  const driverTables = tables(driverItems(ordered), roundNumbers, {
    table: 'drivers',
    counting: rules.drivers.counting,
    adjustments: rules.adjustments,
  });
  const constructorRules = rules.constructors;
  const constructorTables = constructorRules
    ? tables(constructorItems(ordered, constructorRules), roundNumbers, {
        table: 'constructors',
        counting: constructorRules.counting,
        adjustments: rules.adjustments,
      })
    : null;
  return roundNumbers.map((round, index) => ({
    round,
    drivers: driverTables[index] ?? [],
    constructors: constructorTables ? (constructorTables[index] ?? []) : null,
  }));
}
