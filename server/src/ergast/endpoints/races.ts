/**
 * `races` (and the bare `/{season}[/{round}]` path): the schedule, paged by race, each race with its
 * session blocks in the source's fixed order — FirstPractice, SecondPractice, ThirdPractice, Qualifying
 * on a regular weekend; FirstPractice, Qualifying, SecondPractice, Sprint on a sprint weekend (as the
 * recorded 2021, 2023 and 2024 schedules list them) — then the sprint qualifying, `SprintShootout` in
 * 2023 (its name that season) and `SprintQualifying` otherwise, as jolpica prints it.
 */
import { raceSessions, type SessionRow, scheduleRaces } from '@f1/db/ergast/races';
import type { SessionKind } from '@f1/db/schema';
import type { EndpointHandler } from '../types.ts';
import { COMMON_FILTERS, echoOf, filterOf, requireSupported } from './filters.ts';
import { raceObject, utcTime } from './shapes.ts';

function blockName(kind: SessionKind, season: number): string {
  switch (kind) {
    case 'fp1':
      return 'FirstPractice';
    case 'fp2':
      return 'SecondPractice';
    case 'fp3':
      return 'ThirdPractice';
    case 'qualifying':
      return 'Qualifying';
    case 'sprint':
      return 'Sprint';
    case 'sprint_qualifying':
      return season === 2023 ? 'SprintShootout' : 'SprintQualifying';
  }
}

function sessionBlock(session: SessionRow): Record<string, string> {
  return session.starts_at
    ? { date: session.date, time: utcTime(session.starts_at) }
    : { date: session.date };
}

const REGULAR: SessionKind[] = ['fp1', 'fp2', 'fp3', 'qualifying', 'sprint', 'sprint_qualifying'];
const SPRINT: SessionKind[] = ['fp1', 'qualifying', 'fp2', 'fp3', 'sprint', 'sprint_qualifying'];

function inSourceOrder(sessions: SessionRow[]): SessionRow[] {
  const order = sessions.some((s) => s.kind === 'sprint') ? SPRINT : REGULAR;
  return [...sessions].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

export const races: EndpointHandler = async (db, request) => {
  requireSupported(request, COMMON_FILTERS);
  const { total, races: rows } = await scheduleRaces(db, filterOf(request), request);
  const sessions = await raceSessions(
    db,
    rows.map((r) => r.id),
  );
  const Races = rows.map((race) => {
    const entry: Record<string, unknown> = raceObject(race);
    for (const session of inSourceOrder(sessions.filter((s) => s.race_id === race.id)))
      entry[blockName(session.kind, race.season)] = sessionBlock(session);
    return entry;
  });
  return { total, tableName: 'RaceTable', table: { ...echoOf(request), Races } };
};
