export { type Config, ConfigError, type DatabaseConfig, getConfig, loadConfig } from './config.ts';
export { connect, connectPostgres, type Database, openPglite } from './connect.ts';
export { migrateDown, migrateToEmpty, migrateToLatest, migrationStatus } from './migrator.ts';
export type * from './schema.ts';
