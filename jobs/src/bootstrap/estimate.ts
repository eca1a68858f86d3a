/**
 * How many source requests a season costs and how long a bootstrap takes within the source's limits.
 *
 * A season read is schedule 1 + season page 1 + results, sprint and qualifying at 100 rows a page (an
 * empty list still costs its one request). Rows ≈ races × cars per race, by era: these are coarse
 * figures (checked against the Ergast export: 1950–2024 costs 697 requests, this model says 722), and
 * a running bootstrap rescales what is left by what the seasons done so far really cost.
 */
import { HOUR_MS, slotIntervalMs } from '../sources/http/pacer.ts';

interface Era {
  from: number;
  races: number;
  /** Result rows per race (entrants classified or not; the late 1980s had 30+ cars a race). */
  cars: number;
}

const ERAS: readonly Era[] = [
  { from: 1950, races: 8, cars: 24 },
  { from: 1960, races: 10, cars: 21 },
  { from: 1970, races: 13, cars: 24 },
  { from: 1974, races: 15, cars: 28 },
  { from: 1989, races: 16, cars: 34 },
  { from: 1992, races: 16, cars: 28 },
  { from: 1995, races: 17, cars: 22 },
  { from: 2010, races: 19, cars: 23 },
  { from: 2016, races: 21, cars: 21 },
  { from: 2021, races: 23, cars: 20 },
];

/** Qualifying sessions are in the data from 1994 (2003–2005 one-lap sessions included); sprints from 2021. */
const QUALIFYING_FROM = 1994;
const SPRINT_FROM = 2021;
const SPRINTS_PER_SEASON = 6;

const pages = (rows: number) => Math.max(1, Math.ceil(rows / 100));

export function estimateSeasonRequests(season: number): number {
  const era = [...ERAS].reverse().find((e) => season >= e.from) ?? ERAS[0];
  const rows = (era?.races ?? 0) * (era?.cars ?? 0);
  const qualifying = season >= QUALIFYING_FROM ? rows : 0;
  const sprint = season >= SPRINT_FROM ? SPRINTS_PER_SEASON * 20 : 0;
  return 2 + pages(rows) + pages(sprint) + pages(qualifying);
}

export interface Budget {
  perSecond: number;
  perHour: number;
  /** Requests already sent in the rolling hour (they leave it one by one). */
  usedThisHour: number;
}

/**
 * Time to send `requests` more: at the paced rate while the hourly budget has room, then `perHour`
 * an hour (a steady-state figure: the rolling hour frees its slots as they age out).
 */
export function etaMs(requests: number, budget: Budget): number {
  const free = Math.max(0, budget.perHour - budget.usedThisHour);
  const paced = (n: number) => n * slotIntervalMs(budget.perSecond);
  if (requests <= free) return paced(requests);
  return paced(free) + ((requests - free) / budget.perHour) * HOUR_MS;
}

/** `45 s`, `12 min`, `1 h 25 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
