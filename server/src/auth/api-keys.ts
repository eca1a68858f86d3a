/** Issuing API keys: generate, store only the hash, hand the key back once. */
import { type ApiKeyView, insertApiKey } from '@f1/db/auth/api-keys';
import type { DB, Role } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import { newApiKey } from './secrets.ts';

export interface IssuedApiKey {
  /** The full key. It is not stored anywhere: show it once. */
  key: string;
  apiKey: ApiKeyView;
}

export async function issueApiKey(
  db: Kysely<DB>,
  params: { name: string; role: Role; createdBy: number | null; expiresAt?: Date | null },
): Promise<IssuedApiKey> {
  const { key, prefix, hash } = newApiKey();
  const apiKey = await insertApiKey(db, { ...params, prefix, keyHash: hash });
  return { key, apiKey };
}
