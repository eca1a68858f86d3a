/** What a domain service runs with: the database, a logger and the process's data-change pipeline. */
import type { DataChanges } from '@f1/core/changes/data-changes';
import type { Logger } from '@f1/core/logger';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';

export interface DomainContext {
  db: Kysely<DB>;
  logger: Logger;
  /** Where every writer reports what it changed (see `createDataChanges`). */
  changes: DataChanges;
}
