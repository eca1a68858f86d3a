/**
 * Compile a hot query's SQL once, then run it with new parameters.
 *
 * Kysely builds and compiles a query on every call (operation tree, visitor, string assembly): for the
 * 26-column by-race results that is ~100 µs of CPU, about what postgres.js then spends running the
 * prepared statement. `compiledOnce(build)` compiles `build` once per Kysely instance with sentinel
 * arguments, records which parameter slot carries which argument, and afterwards only swaps the values.
 *
 * Only for fixed-shape queries whose arguments are scalars bound as parameters (a `where x = arg`): the
 * set-up throws if an argument does not reach exactly the parameters, so a misuse fails its tests.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { DB } from '../schema.ts';

type Scalar = string | number;
type Slot = { arg: number } | { value: unknown };

/** Distinct values no real argument takes (negative ids/years, control-character strings). */
const sentinel = (value: Scalar, i: number): Scalar =>
  typeof value === 'number' ? -1_000_000_007 - i : `\u0000compiled-arg-${i}`;

export function compiledOnce<Args extends Scalar[], Row>(
  build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>,
): (db: Kysely<DB>, ...args: Args) => Promise<Row[]> {
  const cache = new WeakMap<Kysely<DB>, { query: CompiledQuery<Row>; slots: Slot[] }>();
  return async (db, ...args) => {
    let entry = cache.get(db);
    if (!entry) {
      const sentinels = args.map(sentinel) as Args;
      const query = build(db, ...sentinels).compile();
      const slots: Slot[] = query.parameters.map((value) => {
        const arg = sentinels.indexOf(value as Scalar);
        return arg >= 0 ? { arg } : { value };
      });
      sentinels.forEach((_, i) => {
        if (!slots.some((slot) => 'arg' in slot && slot.arg === i))
          throw new Error(`compiledOnce: argument ${i} is not bound as a parameter`);
      });
      entry = { query, slots };
      cache.set(db, entry);
    }
    const parameters = entry.slots.map((slot) => ('arg' in slot ? args[slot.arg] : slot.value));
    const result = await db.executeQuery<Row>({ ...entry.query, parameters });
    return result.rows;
  };
}
