/**
 * Account flows: register, log in, refresh. Each returns a token pair bound to a session; failures are
 * `AuthError`s (mapped to tRPC errors by the router). Logging in with an unknown email and with a
 * wrong password take the same bcrypt time and fail with the same error.
 */

import type { Config } from '@f1/core/config';
import {
  createUser,
  findCredentialsByEmail,
  findUserById,
  recordLogin,
  UserError,
  type UserView,
} from '@f1/db/auth/users';
import type { DB, Role } from '@f1/db/schema';
import type { Kysely } from 'kysely';
import type { Services } from '../services.ts';
import { AuthError } from './errors.ts';
import { bcryptCost, checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import type { SessionClient } from './session-store.ts';
import { SessionStoreUnavailableError } from './session-store.ts';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: UserView;
  /** The session (token family) the pair belongs to; for the audit log, not sent to clients. */
  sessionId: string;
}

const INVALID_CREDENTIALS = 'invalid email or password';

/** Runs a session-store call, turning a store outage into a fail-closed `AuthError`. */
async function sessionCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof SessionStoreUnavailableError) {
      throw new AuthError('session_store_unavailable', 'session store unavailable; try again', {
        cause: error,
      });
    }
    throw error;
  }
}

/** Signs an access token for the session and packs it with the refresh token. */
async function tokenPair(
  services: Services,
  user: UserView,
  session: { id: string; refreshToken: string },
): Promise<TokenPair> {
  const accessToken = await services.accessTokens.sign({
    userId: user.id,
    role: user.role,
    sessionId: session.id,
  });
  return {
    accessToken,
    refreshToken: session.refreshToken,
    expiresIn: services.accessTokens.lifetimeSeconds,
    user,
    sessionId: session.id,
  };
}

async function issueTokens(
  services: Services,
  user: UserView,
  client: SessionClient,
): Promise<TokenPair> {
  const { session, refreshToken } = await sessionCall(() =>
    services.sessions.create(user.id, client),
  );
  return tokenPair(services, user, { id: session.id, refreshToken });
}

/** What account creation needs: `Services` has it, and so does the admin CLI without a server. */
export interface AccountDeps {
  db: Kysely<DB>;
  config: Pick<Config, 'bcryptCost'>;
}

/** Creates an account after checking the password policy; does not log in. */
export async function createAccount(
  deps: AccountDeps,
  params: { email: string; password: string; name?: string | null; role?: Role },
): Promise<UserView> {
  checkPasswordPolicy(params.password, params.email);
  const passwordHash = await hashPassword(params.password, deps.config.bcryptCost);
  try {
    return await createUser(deps.db, {
      email: params.email,
      passwordHash,
      name: params.name ?? null,
      role: params.role ?? 'user',
    });
  } catch (error) {
    if (error instanceof UserError && error.code === 'email_taken') {
      throw new AuthError('email_taken', error.message);
    }
    throw error;
  }
}

export async function register(
  services: Services,
  params: { email: string; password: string; name?: string | null },
  client: SessionClient,
): Promise<TokenPair> {
  const user = await createAccount(services, { ...params, role: 'user' });
  return issueTokens(services, user, client);
}

export async function login(
  services: Services,
  params: { email: string; password: string },
  client: SessionClient,
): Promise<TokenPair> {
  const cost = services.config.bcryptCost;
  const found = await findCredentialsByEmail(services.db, params.email);
  const ok = await verifyPassword(params.password, found?.passwordHash ?? null, cost);
  if (!found || !ok) {
    throw new AuthError('invalid_credentials', INVALID_CREDENTIALS, {
      subject: found ? { userId: found.id } : {},
    });
  }
  if (found.disabledAt) {
    throw new AuthError('account_disabled', 'this account is disabled', {
      subject: { userId: found.id },
    });
  }
  // Hashes made with a lower cost than configured are upgraded while we have the password.
  const stored = bcryptCost(found.passwordHash);
  const upgraded =
    stored === null || stored < cost ? await hashPassword(params.password, cost) : undefined;
  await recordLogin(services.db, { userId: found.id, passwordHash: upgraded });
  const user: UserView = {
    id: found.id,
    email: found.email,
    name: found.name,
    role: found.role,
    createdAt: found.createdAt,
    lastLoginAt: new Date(),
    disabledAt: null,
  };
  return issueTokens(services, user, client);
}

/** Exchanges a refresh token for a new pair; a replayed token revokes its session. */
export async function refresh(
  services: Services,
  refreshToken: string,
  client: SessionClient,
): Promise<TokenPair> {
  const result = await sessionCall(() => services.sessions.rotate(refreshToken, client));
  if (result.status === 'reused') {
    services.logger.warn('refresh token reuse: session revoked', {
      userId: result.userId,
      sessionId: result.sessionId,
    });
    throw new AuthError(
      'refresh_token_reused',
      'refresh token already used; the session has been revoked, log in again',
      { subject: { userId: result.userId, sessionId: result.sessionId } },
    );
  }
  if (result.status === 'invalid') {
    throw new AuthError('invalid_refresh_token', 'invalid or expired refresh token');
  }
  const { session } = result;
  const user = await findUserById(services.db, session.userId);
  if (!user || user.disabledAt) {
    await sessionCall(() => services.sessions.revoke(session.userId, session.id));
    throw new AuthError('account_disabled', 'this account is disabled', {
      subject: { userId: session.userId, sessionId: session.id },
    });
  }
  // The role comes from the database, so a changed role takes effect at the next refresh.
  return tokenPair(services, user, { id: session.id, refreshToken: result.refreshToken });
}
