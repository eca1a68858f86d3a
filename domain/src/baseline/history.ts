/**
 * What the baseline models learn from: every race's results from the database, chronological, and
 * every race's qualifying times. The live path (./live.ts), the backtest CLI, the leakage test and the
 * benchmark all read history through here, so a model that needs more of it adds it in one place and
 * is covered by the leakage test at once.
 */
import { qualifyingTimes } from '@f1/db/ratings/qualifying-times';
import { resultsForRating } from '@f1/db/ratings/ratings';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { groupRaces, type HistoryRace } from '../ratings/replay.ts';

export async function loadHistory(db: Kysely<DB>): Promise<HistoryRace[]> {
  return groupRaces(await resultsForRating(db));
}

/** Every race's Q1–Q3 times (v2's post-qualifying pace), by race id. */
export const loadQualifying = (db: Kysely<DB>) => qualifyingTimes(db);
