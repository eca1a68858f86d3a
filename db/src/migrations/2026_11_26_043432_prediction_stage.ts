import type { Kysely } from 'kysely';
import { runStatements } from '../migration-sql.ts';

/**
 * Prediction stage: a model may predict a race before qualifying and again once the grid is known
 * (the built-in `elo-baseline` does both). The two are different forecasts with different information,
 * so each stage keeps its own live set and its own accuracy row, and the "one live set" and "one
 * accuracy row" keys gain the stage. Existing rows are pre-qualifying (the default).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE prediction_sets ADD COLUMN stage text NOT NULL DEFAULT 'pre_qualifying'
      CHECK (stage IN ('pre_qualifying', 'post_qualifying'))`,
    'DROP INDEX prediction_sets_current_uq',
    `CREATE UNIQUE INDEX prediction_sets_current_uq
      ON prediction_sets (race_id, model, version, backtest, stage) WHERE superseded_at IS NULL`,
    `ALTER TABLE prediction_accuracy ADD COLUMN stage text NOT NULL DEFAULT 'pre_qualifying'
      CHECK (stage IN ('pre_qualifying', 'post_qualifying'))`,
    'ALTER TABLE prediction_accuracy DROP CONSTRAINT prediction_accuracy_race_id_model_version_backtest_key',
    `ALTER TABLE prediction_accuracy ADD CONSTRAINT prediction_accuracy_race_model_stage_key
      UNIQUE (race_id, model, version, backtest, stage)`,
    `-- The leaderboard aggregates one model's rows across a season's races.
    CREATE INDEX prediction_accuracy_model_stage_idx ON prediction_accuracy (model, version, stage, backtest)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    'DROP INDEX prediction_accuracy_model_stage_idx',
    'ALTER TABLE prediction_accuracy DROP CONSTRAINT prediction_accuracy_race_model_stage_key',
    `DELETE FROM prediction_accuracy WHERE stage <> 'pre_qualifying'`,
    `ALTER TABLE prediction_accuracy ADD CONSTRAINT prediction_accuracy_race_id_model_version_backtest_key
      UNIQUE (race_id, model, version, backtest)`,
    'ALTER TABLE prediction_accuracy DROP COLUMN stage',
    'DROP INDEX prediction_sets_current_uq',
    `DELETE FROM prediction_sets WHERE stage <> 'pre_qualifying'`,
    `CREATE UNIQUE INDEX prediction_sets_current_uq ON prediction_sets (race_id, model, version, backtest)
      WHERE superseded_at IS NULL`,
    'ALTER TABLE prediction_sets DROP COLUMN stage',
  ]);
}
