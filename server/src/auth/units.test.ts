import { describe, expect, test } from 'bun:test';
import { testConfig } from '@f1/testkit/config';
import { AccessTokens } from './access-tokens.ts';
import { resolveClientIp } from './client-ip.ts';
import { AuthError } from './errors.ts';
import { bcryptCost, checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import {
  isWellFormedApiKey,
  newApiKey,
  newRefreshToken,
  newSessionId,
  refreshTokenSession,
  sha256,
} from './secrets.ts';
import { toTRPCError } from './trpc-errors.ts';

const policyError = (password: string, email = 'ada@example.test') => {
  try {
    checkPasswordPolicy(password, email);
    return null;
  } catch (error) {
    return error instanceof AuthError ? error.message : String(error);
  }
};

describe('password policy', () => {
  test.each([
    ['correct horse battery', null],
    ['short', 'password must be at least 12 characters'],
    ['ADA@example.test', 'password must not be the email address'],
    ['adaadaadaada', 'password must use at least 4 different characters'],
    ['Ada', 'password must be at least 12 characters'],
    ['x'.repeat(72), 'password must use at least 4 different characters'],
    ['abcd'.repeat(18), null], // exactly 72 bytes
    [
      `${'abcd'.repeat(18)}e`,
      'password must be at most 72 bytes in UTF-8 (bcrypt ignores the rest)',
    ],
    ['€'.repeat(25), 'password must be at most 72 bytes in UTF-8 (bcrypt ignores the rest)'], // 75 bytes
  ])('%j → %j', (password, expected) => {
    expect(policyError(password)).toBe(expected);
  });

  test('the local part alone is refused too', () => {
    expect(policyError('ada.lovelace.1815', 'ada.lovelace.1815@example.test')).toBe(
      'password must not be the email address',
    );
  });
});

describe('bcrypt', () => {
  test('hashes at the configured cost and verifies; a malformed stored hash is a plain failure', async () => {
    const hash = await hashPassword('correct horse battery', 10);
    expect(hash).toStartWith('$2b$10$');
    expect(bcryptCost(hash)).toBe(10);
    expect(bcryptCost('$argon2id$v=19$…')).toBeNull();
    expect(await verifyPassword('correct horse battery', hash, 10)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash, 10)).toBe(false);
    expect(await verifyPassword('anything', null, 10)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash', 10)).toBe(false);
  });
});

describe('access tokens', () => {
  const tokens = new AccessTokens(testConfig({ F1_JWT_ACCESS_TOKEN_EXPIRE_MINUTES: '5' }).jwt);

  test('carry sub, role, sid, iat, exp and iss with an HS256 at+jwt header', async () => {
    const now = new Date();
    const token = await tokens.sign({ userId: 42, role: 'ml_service', sessionId: 'sid-1', now });
    const [header = '', payload = ''] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      alg: 'HS256',
      typ: 'at+jwt',
    });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'iss', 'role', 'sid', 'sub']);
    expect(claims.exp - claims.iat).toBe(300);
    expect(await tokens.verify(token)).toMatchObject({
      userId: 42,
      role: 'ml_service',
      sessionId: 'sid-1',
    });
  });

  test('a validly signed token with malformed claims is refused', async () => {
    const { SignJWT } = await import('jose');
    const secret = new TextEncoder().encode(testConfig().jwt.secret);
    const token = await new SignJWT({ role: 'superuser', sid: 's' })
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
      .setSubject('42')
      .setIssuer(testConfig().jwt.issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);
    expect(tokens.verify(token)).rejects.toMatchObject({ code: 'invalid_token' });
  });
});

describe('secrets', () => {
  test('refresh tokens embed their session id', () => {
    const sid = newSessionId();
    expect(sid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const token = newRefreshToken(sid);
    expect(refreshTokenSession(token)).toBe(sid);
    expect(refreshTokenSession(`${token}x`)).toBeNull();
    expect(refreshTokenSession('f1r_short.x')).toBeNull();
  });

  test('API keys: prefix, checksum, hash', () => {
    const { key, prefix, hash } = newApiKey();
    expect(key).toMatch(/^f1k_[0-9a-f]{72}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(hash).toBe(sha256(key));
    expect(isWellFormedApiKey(key)).toBe(true);
    expect(
      isWellFormedApiKey(`${key.slice(0, 20)}${key[20] === 'a' ? 'b' : 'a'}${key.slice(21)}`),
    ).toBe(false);
    expect(newApiKey().key).not.toBe(key);
  });
});

describe('client IP', () => {
  const headers = (xff?: string) => new Headers(xff ? { 'x-forwarded-for': xff } : {});
  test('without trusted proxies X-Forwarded-For is ignored (clients can write it)', () => {
    expect(resolveClientIp(headers('6.6.6.6'), '10.0.0.1', 0)).toBe('10.0.0.1');
    expect(resolveClientIp(headers(), '::ffff:192.0.2.1', 0)).toBe('192.0.2.1');
    expect(resolveClientIp(headers(), null, 0)).toBeNull();
  });
  test('behind N proxies the client is N hops from the right; spoofed entries further left lose', () => {
    expect(resolveClientIp(headers('203.0.113.5'), '10.0.0.1', 1)).toBe('203.0.113.5');
    expect(resolveClientIp(headers('6.6.6.6, 203.0.113.5'), '10.0.0.1', 1)).toBe('203.0.113.5');
    expect(resolveClientIp(headers('6.6.6.6, 203.0.113.5, 10.0.0.2'), '10.0.0.1', 2)).toBe(
      '203.0.113.5',
    );
    // Fewer entries than proxies: the leftmost known address.
    expect(resolveClientIp(headers(), '10.0.0.1', 2)).toBe('10.0.0.1');
    expect(resolveClientIp(headers('203.0.113.5'), null, 1)).toBe('203.0.113.5');
  });
});

test('every auth error code maps to a tRPC code; other errors pass through', () => {
  const codes = [
    ['invalid_credentials', 'UNAUTHORIZED'],
    ['account_disabled', 'FORBIDDEN'],
    ['email_taken', 'CONFLICT'],
    ['weak_password', 'BAD_REQUEST'],
    ['not_found', 'NOT_FOUND'],
    ['session_store_unavailable', 'SERVICE_UNAVAILABLE'],
    ['refresh_token_reused', 'UNAUTHORIZED'],
  ] as const;
  for (const [code, trpc] of codes) {
    expect(toTRPCError(new AuthError(code, 'm'))).toMatchObject({ code: trpc, message: 'm' });
  }
  const other = new Error('x');
  expect(toTRPCError(other)).toBe(other);
});
