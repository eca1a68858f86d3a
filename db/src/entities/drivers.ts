/**
 * Read queries for drivers: the paged list, one driver, and a driver's race results.
 *
 * Lists page by keyset (never OFFSET): the caller passes the last row's key and gets the rows after it in
 * a stable total order, so concurrent inserts never make a page skip or repeat a row.
 */
import type { Kysely } from 'kysely';
import type { DB, Driver, Unqualified } from '../schema.ts';
import { enteredIn } from './entered-in.ts';
import { likePattern } from './search.ts';

/** Position in the drivers order: family name, given name, then the unique ref. */
export interface DriverKey {
  familyName: string;
  givenName: string;
  driverRef: string;
}

export interface ListDriversParams {
  /** Only drivers entered in this season (a race or qualifying result). */
  season?: number;
  /** Case-insensitive substring of the full name or the ref, or the exact three-letter code. */
  search?: string;
  /** Rows to return at most (callers ask for one more than a page to learn whether another follows). */
  limit: number;
  after?: DriverKey;
}

const DRIVER_COLUMNS = [
  'd.driver_ref',
  'd.permanent_number',
  'd.code',
  'd.given_name',
  'd.family_name',
  'd.date_of_birth',
  'd.nationality',
  'd.url',
] as const;

export type DriverRow = Pick<Driver, Unqualified<(typeof DRIVER_COLUMNS)[number]>>;

export function listDrivers(db: Kysely<DB>, params: ListDriversParams): Promise<DriverRow[]> {
  let query = db.selectFrom('drivers as d').select(DRIVER_COLUMNS);
  if (params.season !== undefined) {
    const { season } = params;
    query = query.where((eb) => enteredIn(season, 'driver_id', eb.ref('d.id')));
  }
  if (params.search) {
    const pattern = likePattern(params.search);
    const code = params.search.trim().toUpperCase();
    query = query.where((eb) =>
      eb.or([
        eb(
          eb.fn<string>('lower', [
            eb.fn<string>('concat_ws', [eb.val(' '), 'd.given_name', 'd.family_name']),
          ]),
          'like',
          pattern,
        ),
        eb('d.driver_ref', 'like', pattern),
        eb('d.code', '=', code),
      ]),
    );
  }
  if (params.after) {
    const { familyName, givenName, driverRef } = params.after;
    query = query.where((eb) =>
      eb(
        eb.refTuple('d.family_name', 'd.given_name', 'd.driver_ref'),
        '>',
        eb.tuple(familyName, givenName, driverRef),
      ),
    );
  }
  return query
    .orderBy('d.family_name')
    .orderBy('d.given_name')
    .orderBy('d.driver_ref')
    .limit(params.limit)
    .execute();
}

export function getDriver(db: Kysely<DB>, driverRef: string): Promise<DriverRow | undefined> {
  return db
    .selectFrom('drivers as d')
    .select(DRIVER_COLUMNS)
    .where('d.driver_ref', '=', driverRef)
    .executeTakeFirst();
}
