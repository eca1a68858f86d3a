/**
 * Turns a request's credentials into a `Principal`:
 *   Authorization: Bearer <access JWT>   → the user of a live session (checked against the store)
 *   Authorization: Bearer f1k_…  or  X-API-Key: f1k_…   → an API key (checked against the database,
 *                                        then trusted for F1_API_KEY_CACHE_SECONDS: api-key-cache.ts)
 *   nothing                              → null (anonymous)
 * Credentials that are present but bad are an `AuthError`, never a silent downgrade to anonymous: a
 * client with an expired token learns it must refresh. If the session store is down, token
 * authentication fails closed (`session_store_unavailable`).
 */
import { useApiKey } from '@f1/db/auth/api-keys';
import type { Services } from '../services.ts';
import type { Principal } from '../trpc/context.ts';
import { AuthError } from './errors.ts';
import { isWellFormedApiKey, looksLikeApiKey, sha256 } from './secrets.ts';
import { SessionStoreUnavailableError } from './session-store.ts';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export async function authenticate(
  services: Services,
  headers: Headers,
): Promise<Principal | null> {
  const apiKey = headers.get('x-api-key')?.trim();
  const authorization = headers.get('authorization')?.trim();
  if (apiKey && authorization) {
    throw new AuthError(
      'unsupported_credentials',
      'send one credential: either Authorization or X-API-Key, not both',
    );
  }
  if (apiKey) return apiKeyPrincipal(services, apiKey);
  if (!authorization) return null;
  const token = BEARER.exec(authorization)?.[1];
  if (!token) {
    throw new AuthError(
      'unsupported_credentials',
      'use "Authorization: Bearer <token>" or an "X-API-Key" header',
    );
  }
  return looksLikeApiKey(token) ? apiKeyPrincipal(services, token) : userPrincipal(services, token);
}

/**
 * The principal of a request whose only credential is an API key verified within the window
 * (api-key-cache.ts), without a promise: the response cache's hot path. Null means "ask
 * `authenticate`" (no such key known, another kind of credential, or both headers).
 */
export function knownApiKeyPrincipal(services: Services, headers: Headers): Principal | null {
  const apiKey = headers.get('x-api-key')?.trim();
  const authorization = headers.get('authorization')?.trim();
  if (apiKey && authorization) return null;
  const key = apiKey || (authorization ? BEARER.exec(authorization)?.[1] : undefined);
  if (!key || !looksLikeApiKey(key) || !services.apiKeyCache.enabled) return null;
  if (!isWellFormedApiKey(key)) return null;
  const known = services.apiKeyCache.get(sha256(key));
  return known ? { kind: 'api_key', id: known.id, role: known.role } : null;
}

/** A verified key is trusted for F1_API_KEY_CACHE_SECONDS (api-key-cache.ts); refusals never are. */
async function apiKeyPrincipal(services: Services, key: string): Promise<Principal> {
  if (!isWellFormedApiKey(key)) throw invalidApiKey();
  const hash = sha256(key);
  const known = services.apiKeyCache.get(hash);
  if (known) return { kind: 'api_key', id: known.id, role: known.role };
  const found = await useApiKey(services.db, hash);
  if (!found) throw invalidApiKey();
  services.apiKeyCache.set(hash, found);
  return { kind: 'api_key', id: found.id, role: found.role };
}

const invalidApiKey = () => new AuthError('invalid_api_key', 'invalid, expired or revoked API key');

async function userPrincipal(services: Services, token: string): Promise<Principal> {
  const claims = await services.accessTokens.verify(token);
  let live: boolean;
  try {
    live = await services.sessions.touch(claims.sessionId, claims.userId);
  } catch (error) {
    if (!(error instanceof SessionStoreUnavailableError)) throw error;
    throw new AuthError('session_store_unavailable', 'session store unavailable; try again', {
      cause: error,
    });
  }
  if (!live) {
    throw new AuthError('session_revoked', 'the session has ended; log in again', {
      subject: { userId: claims.userId, sessionId: claims.sessionId },
    });
  }
  return { kind: 'user', id: claims.userId, role: claims.role, sessionId: claims.sessionId };
}
