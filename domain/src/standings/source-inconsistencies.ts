/**
 * Rounds where the Ergast export's official standings contradict the export's own results, so no rule
 * reproduces them. The every-round comparison (history.test.ts) fails when a difference appears that is
 * not listed here, or when a listed one disappears; a validator can use the same list.
 */
import type { StandingsTable } from './rules-types.ts';

export interface SourceInconsistency {
  season: number;
  table: StandingsTable;
  rounds: readonly number[];
  /** The competitors whose line differs in those rounds. */
  ids: readonly string[];
  evidence: string;
}

export const SOURCE_INCONSISTENCIES: readonly SourceInconsistency[] = [
  {
    season: 1951,
    table: 'drivers',
    rounds: [4, 5, 6, 7, 8],
    ids: ['cabantous', 'graffenried', 'ball'],
    evidence:
      'McGrath and Ayulo shared the 3rd-placed car #9 at Indianapolis (round 2): identical records, 2 points each. ' +
      'The export lists McGrath 14th but Ayulo 18th after round 4 (15th and 19th after round 8), below drivers ' +
      'whose best is a 5th (Cabantous, de Graffenried, Ball), so those are one place higher than countback puts them',
  },
  {
    season: 1973,
    table: 'constructors',
    rounds: [6, 7],
    ids: ['team_lotus', 'tyrrell'],
    evidence:
      'Best 7 of rounds 1–8: after round 6 all six results count (Lotus 9+9+4+9+4+6 = 41, Tyrrell 6+6+9+6+9+9 = 45) ' +
      'but the export shows 37 and 39; after round 7 it shows Tyrrell 43, which no best-N of 9,9,9,6,6,6,4 gives. ' +
      'From round 8 it agrees with the rule again (Lotus 52, Tyrrell 51)',
  },
  {
    season: 2007,
    table: 'constructors',
    rounds: [9],
    ids: ['mclaren'],
    evidence:
      'McLaren had won 4 of the first 9 races (Malaysia, Monaco, Canada, United States); the export shows 5 wins ' +
      'after round 9 (4 after round 8, 5 after round 10 when Alonso won the European GP)',
  },
  {
    season: 2007,
    table: 'constructors',
    rounds: [11, 12, 13],
    ids: ['mclaren'],
    evidence:
      "McLaren's 15 Hungarian GP points (round 11: Hamilton 1st, Alonso 4th) are missing after rounds 11–13 " +
      '(138, 148, 166) but counted again from round 14 (192 = 138 + 15 + 10 + 18 + 11) to the final 218 ' +
      '(Hamilton 109 + Alonso 109); the championship points were forfeited anyway (E)',
  },
  {
    season: 2022,
    table: 'drivers',
    rounds: [6],
    ids: ['tsunoda', 'ricciardo'],
    evidence:
      'Level on 11 points after round 6, Ricciardo (best 6th) is ahead of Tsunoda (best 7th) by countback; the ' +
      'export swaps them in round 6 only (after round 7, where neither scored, Ricciardo is ahead again)',
  },
];
