/**
 * Who competes in a race for rating purposes, and at what rank. The retirement rule:
 *
 * - Classified finishers (a classified position, including "+n Laps" and cars classified after a late
 *   retirement) rank by their finishing order.
 * - Retirements the driver caused (accident, collision, spin, stall, disqualification) rank behind every
 *   classified finisher, level with each other: they count against the driver.
 * - Mechanical and other retirements (engine, gearbox, puncture, illness …) do NOT count against the
 *   driver: he is left out of that race's comparisons and his rating does not move.
 * - Non-starters (did not qualify / prequalify, withdrew, did not start) are left out.
 *
 * Teams are rated on their best car: mechanical retirements DO count against the team (reliability is
 * the team's job), so any car that started and was not classified ranks behind the classified ones.
 */

export type Outcome = 'classified' | 'driver_fault' | 'retired_other' | 'did_not_start';

export interface ResultForRating {
  driverId: number;
  teamId: number | null;
  /** Classified position; null when not classified. */
  position: number | null;
  positionOrder: number;
  status: string | null;
}

const DRIVER_FAULT =
  /^(accident|fatal accident|collision|collision damage|damage|spun off|stalled|disqualified)$/i;
const DID_NOT_START =
  /^(did not qualify|did not prequalify|did not start|withdrew|107% rule|not qualified|excluded from qualifying)$/i;

export function outcomeOf(result: Pick<ResultForRating, 'position' | 'status'>): Outcome {
  const status = result.status?.trim() ?? '';
  if (DID_NOT_START.test(status)) return 'did_not_start';
  if (result.position !== null) return 'classified';
  return DRIVER_FAULT.test(status) ? 'driver_fault' : 'retired_other';
}

/** Every non-classified competitor ranks here: behind any field (positions are ≤ 99). */
export const BEHIND_CLASSIFIED = 1_000;

function driverRank(result: ResultForRating): number | null {
  switch (outcomeOf(result)) {
    case 'classified':
      return result.positionOrder;
    case 'driver_fault':
      return BEHIND_CLASSIFIED;
    case 'retired_other':
    case 'did_not_start':
      return null;
  }
}

function teamRank(result: ResultForRating): number | null {
  switch (outcomeOf(result)) {
    case 'classified':
      return result.positionOrder;
    case 'driver_fault':
    case 'retired_other':
      return BEHIND_CLASSIFIED;
    case 'did_not_start':
      return null;
  }
}

function best(pairs: [number, number | null][]): { id: number; rank: number }[] {
  const ranks = new Map<number, number>();
  for (const [id, rank] of pairs) {
    if (rank === null) continue;
    ranks.set(id, Math.min(rank, ranks.get(id) ?? rank));
  }
  return [...ranks].map(([id, rank]) => ({ id, rank })).sort((a, b) => a.id - b.id);
}

/** Drivers who compete in this race, best entry each (1950s shared drives list a driver twice). */
export function driverCompetitors(results: readonly ResultForRating[]) {
  return best(results.map((r) => [r.driverId, driverRank(r)]));
}

/** Teams that compete in this race, ranked by their best car. */
export function teamCompetitors(results: readonly ResultForRating[]) {
  return best(results.flatMap((r) => (r.teamId === null ? [] : [[r.teamId, teamRank(r)]])));
}
