/** What a domain service runs with: the database, Redis when configured, and a logger. */
import type { Logger } from '@f1/core/logger';
import type { Redis } from '@f1/core/redis';
import type { DB } from '@f1/db/schema';
import type { Kysely } from 'kysely';

export interface DomainContext {
  db: Kysely<DB>;
  /** null without Redis: one process, in-process notification only. */
  redis: Redis | null;
  logger: Logger;
}
