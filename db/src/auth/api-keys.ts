/**
 * API keys for ML services and other machine clients. Only a SHA-256 of the key is stored (keys carry
 * 256 random bits, so a fast hash is enough: there is nothing to brute-force), plus a short prefix that
 * lets a listing, or a leaked-secret scanner, identify a key without revealing it.
 */
import { type Kysely, sql } from 'kysely';
import type { ApiKey, DB, Role } from '../schema.ts';

export interface ApiKeyView {
  id: number;
  name: string;
  prefix: string;
  role: Role;
  createdBy: number | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const COLUMNS = [
  'id',
  'name',
  'prefix',
  'role',
  'created_by',
  'created_at',
  'expires_at',
  'revoked_at',
  'last_used_at',
] as const;

type ApiKeyRow = Pick<ApiKey, (typeof COLUMNS)[number]>;

const date = (value: Date | null) => (value ? new Date(value) : null);

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    expiresAt: date(row.expires_at),
    revokedAt: date(row.revoked_at),
    lastUsedAt: date(row.last_used_at),
  };
}

export async function insertApiKey(
  db: Kysely<DB>,
  params: {
    name: string;
    prefix: string;
    keyHash: string;
    role: Role;
    createdBy: number | null;
    expiresAt?: Date | null;
  },
): Promise<ApiKeyView> {
  const row = await db
    .insertInto('api_keys')
    .values({
      name: params.name,
      prefix: params.prefix,
      key_hash: params.keyHash,
      role: params.role,
      created_by: params.createdBy,
      expires_at: params.expiresAt ?? null,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toView(row);
}

/** Every key, newest first; revoked and expired keys included (they are history worth seeing). */
export async function listApiKeys(db: Kysely<DB>): Promise<ApiKeyView[]> {
  const rows = await db.selectFrom('api_keys').select(COLUMNS).orderBy('id', 'desc').execute();
  return rows.map(toView);
}

/** Revokes a key; returns it, or null when there is no such key. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Kysely<DB>, id: number): Promise<ApiKeyView | null> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ? toView(row) : null;
}

/**
 * The live (not revoked, not expired) key with this hash, or null, with its expiry (null: never) so a
 * caller caching the verification can stop trusting it then. Stamps `last_used_at` at most once a
 * minute per key, so a busy ML client does not turn every request into a write.
 */
export async function useApiKey(
  db: Kysely<DB>,
  keyHash: string,
): Promise<{ id: number; role: Role; expiresAt: Date | null } | null> {
  const key = await db
    .selectFrom('api_keys')
    .select(['id', 'role', 'last_used_at', 'expires_at'])
    .where('key_hash', '=', keyHash)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
    .executeTakeFirst();
  if (!key) return null;
  const last = key.last_used_at ? new Date(key.last_used_at).getTime() : 0;
  if (Date.now() - last > 60_000) {
    await db
      .updateTable('api_keys')
      .set({ last_used_at: sql<Date>`now()` })
      .where('id', '=', key.id)
      .execute();
  }
  return { id: key.id, role: key.role, expiresAt: date(key.expires_at) };
}

export async function findApiKey(db: Kysely<DB>, id: number): Promise<ApiKeyView | null> {
  const row = await db
    .selectFrom('api_keys')
    .select(COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toView(row) : null;
}
