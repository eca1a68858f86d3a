/**
 * The season filter drivers and teams share: entered in a season means a race or a qualifying result
 * for the driver (or team) that year. One place, so `drivers.list` and `teams.list` cannot disagree.
 */
import { type Expression, expressionBuilder, type SqlBool } from 'kysely';
import type { DB } from '../schema.ts';

/**
 * `id` is the outer query's driver or team id (`eb.ref('d.id')`), `column` the results' column holding
 * it.
 */
export function enteredIn(
  season: number,
  column: 'driver_id' | 'team_id',
  id: Expression<number>,
): Expression<SqlBool> {
  const eb = expressionBuilder<DB>();
  return eb.or([
    eb.exists(
      eb
        .selectFrom('race_results as rr')
        .innerJoin('races as r', 'r.id', 'rr.race_id')
        .select(eb.lit(1).as('one'))
        .where(`rr.${column}`, '=', id)
        .where('r.season', '=', season),
    ),
    eb.exists(
      eb
        .selectFrom('qualifying_results as q')
        .innerJoin('races as r', 'r.id', 'q.race_id')
        .select(eb.lit(1).as('one'))
        .where(`q.${column}`, '=', id)
        .where('r.season', '=', season),
    ),
  ]);
}
