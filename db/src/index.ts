export {
  type Config,
  ConfigError,
  type DatabaseConfig,
  getConfig,
  loadConfig,
} from '@f1/core/config';
export { connect, connectPostgres, type Database, openPglite } from './connection/connect.ts';
export { migrateDown, migrateToEmpty, migrateToLatest, migrationStatus } from './migrator.ts';
export type * from './schema.ts';
