/**
 * Which rounds the "latest round" job ingests, and whether a race weekend is on (when the job runs on
 * the tighter schedule). Dates are UTC days.
 */
import type { CalendarRound } from '@f1/db/ingestion/calendar';

const DAY_MS = 86_400_000;
const day = (date: Date) => date.toISOString().slice(0, 10);
const plusDays = (iso: string, days: number) =>
  day(new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS));

/** A weekend runs from its first session's day through the day after the race (late penalties). */
export function raceWeekendOn(calendar: CalendarRound[], now: Date): CalendarRound | null {
  const today = day(now);
  return calendar.find((r) => r.weekendStart <= today && today <= plusDays(r.date, 1)) ?? null;
}

/**
 * The rounds worth (re-)ingesting now: a weekend in progress (its qualifying may be in), and every
 * round raced in the last `recentDays` days (results are rewritten by penalties days later); when
 * nothing is that recent, the last round raced.
 */
export function roundsToIngest(calendar: CalendarRound[], now: Date, recentDays = 7): number[] {
  const today = day(now);
  const since = plusDays(today, -recentDays);
  const rounds = new Set<number>();
  const weekend = raceWeekendOn(calendar, now);
  if (weekend) rounds.add(weekend.round);
  for (const r of calendar) if (r.date >= since && r.date <= today) rounds.add(r.round);
  if (rounds.size === 0) {
    const last = calendar.filter((r) => r.date <= today).at(-1);
    if (last) rounds.add(last.round);
  }
  return [...rounds].sort((a, b) => a - b);
}
