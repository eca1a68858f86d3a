/**
 * How long answers are kept. Redis TTLs follow the product brief (race calendar 24 h, standings and
 * rankings 1 h, predictions 7 days); entries are dropped earlier by tag whenever ingestion changes the
 * data. Edge (CDN) lifetimes are shorter because a CDN cannot hear our invalidations.
 */
import type { Meta } from '../trpc/init.ts';

const HOUR = 3_600;
const DAY = 24 * HOUR;

export const TTL = {
  calendar: DAY,
  standings: HOUR,
  predictions: 7 * DAY,
  /** Drivers, teams, circuits: reference data that changes only through ingestion. */
  reference: DAY,
  /** Results, qualifying, sprint, weather of one race. */
  results: DAY,
  /** `races.last`: changes when a new round's results arrive (also invalidated then). */
  last: HOUR,
} as const;

type EdgePolicy = NonNullable<Meta['cache']>;

export const EDGE = {
  reference: { sMaxAge: 300, staleWhileRevalidate: 3_600 },
  calendar: { sMaxAge: 300, staleWhileRevalidate: 3_600 },
  results: { sMaxAge: 300, staleWhileRevalidate: 3_600 },
  standings: { sMaxAge: 60, staleWhileRevalidate: 600 },
  /** `races.next` / `races.last`: move with the clock and with new results. */
  live: { sMaxAge: 60, staleWhileRevalidate: 300 },
} as const satisfies Record<string, EdgePolicy>;
