import { type Kysely, sql } from 'kysely';
import { runStatements } from '../migration-sql.ts';
import { up as createViews } from './2026_11_26_0006_standings_views.ts';

/**
 * Championship standings after every round as TABLES filled by the standings rules engine
 * (domain/src/standings: best-N results, best-car constructors, exclusions, penalties), replacing the
 * plain-sum materialized views and their `refresh_standings()`. One row per competitor with a result
 * in the season so far; a season's rows are replaced in one transaction (domain `refreshStandings`).
 *
 * `position` is shared by competitors level on everything (`tied`); excluded competitors come last with
 * `position_text` `D` (drivers) or `E` (constructors). `points` are the championship points (counted
 * results plus adjustments), `gross_points` every point scored, `dropped_points` / `dropped_rounds` what
 * the best-N rule did not count, `adjustment_points` penalties.
 */
function standingsTable(name: 'driver_standings' | 'constructor_standings') {
  const [competitor, references] =
    name === 'driver_standings' ? ['driver_id', 'drivers'] : ['team_id', 'teams'];
  return [
    `CREATE TABLE ${name} (
      season smallint NOT NULL,
      round smallint NOT NULL CHECK (round >= 1),
      race_id integer NOT NULL REFERENCES races (id) ON DELETE CASCADE,
      ${competitor} integer NOT NULL REFERENCES ${references} (id) ON DELETE CASCADE,
      position smallint NOT NULL CHECK (position >= 1),
      position_text text NOT NULL CHECK (position_text ~ '^([1-9][0-9]*|D|E)$'),
      points numeric(8, 3) NOT NULL,
      gross_points numeric(8, 3) NOT NULL,
      dropped_points numeric(8, 3) NOT NULL DEFAULT 0,
      dropped_rounds smallint[] NOT NULL DEFAULT '{}',
      adjustment_points numeric(8, 3) NOT NULL DEFAULT 0,
      wins smallint NOT NULL CHECK (wins >= 0),
      tied boolean NOT NULL DEFAULT false,
      PRIMARY KEY (season, round, ${competitor})
    )`,
    `CREATE INDEX ${name}_race_idx ON ${name} (race_id)`,
  ];
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'DROP FUNCTION refresh_standings()',
    'DROP MATERIALIZED VIEW constructor_standings, driver_standings',
    ...standingsTable('driver_standings'),
    ...standingsTable('constructor_standings'),
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE constructor_standings, driver_standings`.execute(db);
  await createViews(db);
}
