/**
 * Building blocks shared by the domain schemas: ids, seasons, rounds, paging, lap times.
 * Public ids are the source's stable string ids (`max_verstappen`, `red_bull`, `monaco`).
 */
import { z } from 'zod';
import { PG_TEXT, text } from './text.ts';

export const Season = z.number().int().min(1950).max(2100).describe('championship year');
export const Round = z.number().int().min(1).max(99).describe('round within the season');

export const PublicId = text()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a public id such as max_verstappen');

/** A calendar day, `YYYY-MM-DD` (a Date would invent a time of day and a time zone). */
export const IsoDate = z.iso.date().check(PG_TEXT);

export const Cursor = text().min(1).max(512).describe('opaque; from a previous nextCursor');

/** `limit` for a list: 1..max, `fallback` when omitted. */
export function pageLimit(fallback: number, max: number) {
  return z
    .number()
    .int()
    .min(1)
    .max(max)
    .optional()
    .describe(`page size (default ${fallback}, at most ${max})`);
}

/** A page of `item`s; `nextCursor` is null on the last page. */
export function page<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

export const LapTime = z
  .object({
    millis: z.number().int().positive(),
    text: z.string().describe('as timed, e.g. 1:29.708'),
  })
  .meta({ id: 'LapTime' });
export type LapTime = z.infer<typeof LapTime>;

/** Race-header fields every by-race answer carries. */
export const RaceHeader = {
  season: Season,
  round: Round,
  raceName: z.string(),
  date: IsoDate,
};
