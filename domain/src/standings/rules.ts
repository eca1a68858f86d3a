/**
 * The championship rules of every season, 1950 onwards: data, reviewed like code. Each line names the
 * evidence it rests on; "matches the export" means the every-round comparison with the Ergast export's
 * official `driver_standings.csv` / `constructor_standings.csv` (standings.test.ts) needs it.
 *
 * Points per result are NOT recomputed: `results.points` already holds what each entry scored (shared-drive
 * splits, half points, the fastest-lap point of 1950–1959 and 2019–2024, sprint points). Only the
 * constructors of 1958–1978 need a scale, because they scored with their best-placed car only and without
 * the fastest-lap point, which no per-result column shows.
 */
import type {
  Adjustment,
  ConstructorRules,
  Counting,
  CountingBlock,
  SeasonRules,
} from './rules-types.ts';

/** Best `n` results of the season. */
const best = (n: number): Counting => [{ fromRound: 1, toRound: null, best: n }];

/** Split season: best `first` of rounds 1..`lastOfFirst`, best `second` of the rest. */
const split = (lastOfFirst: number, first: number, second: number): CountingBlock[] => [
  { fromRound: 1, toRound: lastOfFirst, best: first },
  { fromRound: lastOfFirst + 1, toRound: null, best: second },
];

const ALL: Counting = [];

/**
 * Drivers' counted results (FIA sporting regulations of each year; every line matches the export after
 * every round). Seasons not listed count every result.
 */
const DRIVER_COUNTING: Readonly<Record<number, Counting>> = {
  1950: best(4),
  1951: best(4),
  1952: best(4),
  1953: best(4),
  1954: best(5),
  1955: best(5),
  1956: best(5),
  1957: best(5),
  1958: best(6),
  1959: best(5),
  1960: best(6),
  1961: best(5),
  1962: best(5),
  1963: best(6),
  1964: best(6),
  1965: best(6),
  1966: best(5),
  1967: split(6, 5, 4),
  1968: split(6, 5, 5),
  1969: split(6, 5, 4),
  1970: split(7, 6, 5),
  1971: split(6, 5, 4),
  1972: split(6, 5, 5),
  1973: split(8, 7, 6),
  1974: split(8, 7, 6),
  1975: split(7, 6, 6),
  1976: split(8, 7, 7),
  1977: split(9, 8, 7),
  1978: split(8, 7, 7),
  1979: split(7, 4, 4),
  1980: split(7, 5, 5),
  1981: best(11),
  1982: best(11),
  1983: best(11),
  1984: best(11),
  1985: best(11),
  1986: best(11),
  1987: best(11),
  1988: best(11),
  1989: best(11),
  1990: best(11),
};

/**
 * The drivers' scale of 1958–1959 without the fastest-lap point: the constructors' best car scored at it
 * (Cooper 31, not 32, after round 10 of 1958, where Phil Hill's 5 for 3rd include the point).
 */
const SCALE_1958 = [8, 6, 4, 3, 2];

/** The Indianapolis 500's round (races.csv), which did not count for constructors 1958–1960. */
const INDY_500_ROUND: Readonly<Record<number, number>> = { 1958: 4, 1959: 2, 1960: 3 };

function constructorRules(season: number): ConstructorRules | null {
  // No constructors' championship before 1958: the export's constructor_standings.csv starts in 1958.
  if (season < 1958) return null;
  if (season >= 1979) {
    // From 1979 every car scores, every result counts (matches the export from 1979).
    return { scoring: { kind: 'all-cars' }, counting: ALL, excludedRounds: [] };
  }
  return {
    scoring: { kind: 'best-car', withoutFastestLap: season < 1960 ? SCALE_1958 : null },
    // Constructors counted as many results as the drivers (matches the export 1958–1978).
    counting: DRIVER_COUNTING[season] ?? ALL,
    excludedRounds: INDY_500_ROUND[season] === undefined ? [] : [INDY_500_ROUND[season]],
  };
}

/** What the results do not show. */
const ADJUSTMENTS: Readonly<Record<number, readonly Adjustment[]>> = {
  1997: [
    {
      kind: 'excluded',
      table: 'drivers',
      id: 'michael_schumacher',
      fromRound: 17,
      forfeitsPoints: false,
      source:
        'FIA World Council, 11 Nov 1997 (Jerez collision, the last round): the export lists him last, "D", with his 78 points after round 17, 2nd after round 16',
    },
  ],
  2007: [
    {
      kind: 'excluded',
      table: 'constructors',
      id: 'mclaren',
      fromRound: 1,
      forfeitsPoints: true,
      source:
        'FIA World Council, 13 Sep 2007: all the season\'s constructors\' points forfeited; the export lists McLaren last, "E", after every round (showing the points scored)',
    },
  ],
  2018: [
    {
      kind: 'new-entrant',
      table: 'constructors',
      id: 'force_india',
      fromRound: 13,
      source:
        'Racing Point Force India entered from the Belgian GP (round 13) with no points; the export shows 59 after round 12, 18 after round 13',
    },
  ],
  2020: [
    {
      kind: 'penalty',
      table: 'constructors',
      id: 'racing_point',
      fromRound: 5,
      points: -15,
      source:
        'FIA stewards, 7 Aug 2020 (brake ducts), applied at round 5; the export shows 42 after round 4, 41 after round 5',
    },
  ],
};

/** The rules of `season`. */
export function seasonRules(season: number): SeasonRules {
  return {
    season,
    drivers: { counting: DRIVER_COUNTING[season] ?? ALL },
    constructors: constructorRules(season),
    adjustments: ADJUSTMENTS[season] ?? [],
  };
}
