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
 * Drivers' counted results (FIA sporting regulations of each year). Every line matches the export after
 * every round and most are pinned by it: N − 1 and N + 1 (and moving the split by one round) each break
 * the comparison, except where a comment says which neighbour the data also allows (no one scored in
 * more results than that) — there the value rests on the regulations. The example is a final table's
 * counted of scored points. Constructors 1958–1978 use the same counting (constructorRules), so those
 * seasons are pinned by both tables together. Seasons not listed count every result.
 */
const DRIVER_COUNTING: Readonly<Record<number, Counting>> = {
  1950: best(4), // Fagioli 24 of 28
  1951: best(4), // Fangio 31 of 37
  1952: best(4), // Ascari 36 of 53.5
  1953: best(4), // Ascari 34.5 of 46.5
  1954: best(5), // Fangio 42 of 57.14
  1955: best(5), // Fangio 40 of 41
  1956: best(5), // Fangio 30 of 34.5
  1957: best(5), // Fangio 40 of 46
  1958: best(6), // Hawthorn 42 of 49; Vanwall 48 of 57
  1959: best(5), // Brabham 31 of 34; Cooper-Climax 40 of 53
  1960: best(6), // McLaren 34 of 37; Cooper-Climax 48 of 58
  1961: best(5), // Phil Hill 34 of 38; Ferrari 45 of 57
  1962: best(5), // Graham Hill 42 of 52; BRM 42 of 56
  1963: best(6), // Clark 54 of 73; Lotus-Climax 54 of 74
  1964: best(6), // Graham Hill 39 of 41; Ferrari 45 of 49
  1965: best(6), // Graham Hill 40 of 47; Lotus-Climax 54 of 58
  1966: best(5), // Brabham 42 of 45; Brabham-Repco 42 of 49
  1967: split(6, 5, 4), // Brabham 46 of 48; the data also allows best 6 of rounds 1–6
  1968: split(6, 5, 5), // no result dropped at all: the data also allows best 6 in either block
  1969: split(6, 5, 4), // Brabham-Ford 49 of 51
  1970: split(7, 6, 5), // Ferrari 52 of 55; the data also allows best 7 of rounds 1–7
  1971: split(6, 5, 4), // March-Ford 33 of 34; the data also allows best 6 of rounds 1–6
  1972: split(6, 5, 5), // McLaren 47 of 49; the data also allows best 6 of 1–6, or a split after round 5
  1973: split(8, 7, 6), // Lotus 92 of 96
  1974: split(8, 7, 6), // McLaren 73 of 75; the data also allows best 7 of the rest
  1975: split(7, 6, 6), // Brabham 54 of 56; the data also allows best 7 of the rest
  1976: split(8, 7, 7), // McLaren 74 of 75; the data also allows best 8 of the rest
  1977: split(9, 8, 7), // Ferrari 95 of 97; the data also allows best 8 of the rest
  1978: split(8, 7, 7), // none dropped at the end; the data also allows best 8 of 1–8, best 6 or 8 of the rest, a split after 7
  1979: split(7, 4, 4), // Scheckter 51 of 60
  1980: split(7, 5, 5), // Jones 67 of 71; the data also allows best 6 of rounds 1–7
  1981: best(11), // nothing dropped: the data also allows best 10 or 12
  1982: best(11), // nothing dropped: the data also allows best 10 or 12
  1983: best(11), // nothing dropped: the data also allows best 10 or 12
  1984: best(11), // nothing dropped at the end: the data also allows best 12
  1985: best(11), // Prost 73 of 76
  1986: best(11), // Prost 72 of 74
  1987: best(11), // Piquet 73 of 76
  1988: best(11), // Senna 90 of 94; Prost 87 of 105
  1989: best(11), // Prost 76 of 81
  1990: best(11), // Prost 71 of 73
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
    // Best car only: with every car summed instead (best-N and Indianapolis kept), the points or wins of
    // 248 of the 249 rounds 1958–1978 differ from the export's; with the best car, none.
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
        'FIA World Council, 11 Nov 1997 (Jerez collision, the last round): the export lists him last, "D", with his 78 points after round 17 (1st after round 16)',
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
        'FIA stewards, 7 Aug 2020 (brake ducts), applied at round 5; the export shows 42 after round 4 and 41 after round 5 (+14 scored, −15)',
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
