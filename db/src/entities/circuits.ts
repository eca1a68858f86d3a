/** Read queries for circuits. Keyset-paged by name, then the unique ref. */
import type { Kysely } from 'kysely';
import type { Circuit, DB, Unqualified } from '../schema.ts';

export interface CircuitKey {
  name: string;
  circuitRef: string;
}

const CIRCUIT_COLUMNS = [
  'c.circuit_ref',
  'c.name',
  'c.locality',
  'c.country',
  'c.latitude',
  'c.longitude',
  'c.altitude_m',
  'c.url',
] as const;

export type CircuitRow = Pick<Circuit, Unqualified<(typeof CIRCUIT_COLUMNS)[number]>>;

export function listCircuits(
  db: Kysely<DB>,
  params: { limit: number; after?: CircuitKey },
): Promise<CircuitRow[]> {
  let query = db.selectFrom('circuits as c').select(CIRCUIT_COLUMNS);
  const { after } = params;
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('c.name', 'c.circuit_ref'), '>', eb.tuple(after.name, after.circuitRef)),
    );
  }
  return query.orderBy('c.name').orderBy('c.circuit_ref').limit(params.limit).execute();
}

export function getCircuit(db: Kysely<DB>, circuitRef: string): Promise<CircuitRow | undefined> {
  return db
    .selectFrom('circuits as c')
    .select(CIRCUIT_COLUMNS)
    .where('c.circuit_ref', '=', circuitRef)
    .executeTakeFirst();
}
