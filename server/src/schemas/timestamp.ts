/**
 * The one rule for dates a client sends. PostgreSQL `timestamptz` has no year 0 and the driver
 * writes a `Date` as ISO 8601, which past year 9999 becomes `+010000-…`; either reached the query
 * and came back as a 500 ("date/time field value out of range", "time zone displacement out of
 * range"). Nothing in our data predates the first championship or lives past 9999, so inputs are
 * bounded to years 1–9999 (UTC) and anything else is a 400 naming the field.
 *
 * Every date input is built with `timestamp()`; `timestamp.test.ts` walks every procedure's input
 * to prove none escapes.
 */
import { z } from 'zod';

export const TIMESTAMP_MIN = new Date('0001-01-01T00:00:00.000Z');
export const TIMESTAMP_MAX = new Date('9999-12-31T23:59:59.999Z');

export const TIMESTAMP_MESSAGE = 'must be a date between 0001-01-01 and 9999-12-31 (UTC)';

/** True when PostgreSQL `timestamptz` can store `value` exactly as the driver sends it. */
export const isPgTimestamp = (value: Date): boolean => {
  const time = value.getTime();
  return time >= TIMESTAMP_MIN.getTime() && time <= TIMESTAMP_MAX.getTime();
};

/** The check itself: one shared instance, so the schema walk can recognise it. */
export const PG_TIMESTAMP = z.refine<Date>(isPgTimestamp, { message: TIMESTAMP_MESSAGE });

/** A date input (ISO 8601 string, epoch number or superjson `Date`) that PostgreSQL can store. */
export const timestamp = () => z.coerce.date().check(PG_TIMESTAMP);
