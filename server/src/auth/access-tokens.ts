/**
 * Access tokens: short-lived JWTs signed with HS256 and nothing else.
 *
 * Verification pins the algorithm (`alg: none`, RS/ES/PS "algorithm confusion" and any other `alg` are
 * refused before the signature is even considered), requires the type `at+jwt` (RFC 9068) so no other
 * JWT signed with the same secret passes as an access token, and requires `iss`, `sub`, `role`, `sid`,
 * `iat` and `exp`. The session id (`sid`) is then checked against the session store by the caller.
 */
import type { Config } from '@f1/core/config';
import type { Role } from '@f1/db/schema';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { AuthError } from './errors.ts';

const ALGORITHM = 'HS256';
const TOKEN_TYPE = 'at+jwt';
/** Seconds of clock skew tolerated between servers for `iat`/`nbf`/`exp`. */
const CLOCK_TOLERANCE = 5;

const Claims = z.object({
  sub: z.string().regex(/^\d+$/),
  role: z.enum(['user', 'ml_service', 'admin']),
  sid: z.string().min(1).max(100),
  iat: z.number(),
  exp: z.number(),
  iss: z.string(),
});

export interface AccessClaims {
  userId: number;
  role: Role;
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
}

export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly issuer: string;
  /** Lifetime in seconds (`expiresIn` in token responses). */
  readonly lifetimeSeconds: number;

  constructor(jwt: Config['jwt']) {
    this.key = new TextEncoder().encode(jwt.secret);
    this.issuer = jwt.issuer;
    this.lifetimeSeconds = jwt.accessTokenMinutes * 60;
  }

  /** Signs an access token for a user's session. */
  sign(params: { userId: number; role: Role; sessionId: string; now?: Date }): Promise<string> {
    const iat = Math.floor((params.now ?? new Date()).getTime() / 1000);
    return new SignJWT({ role: params.role, sid: params.sessionId })
      .setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE })
      .setSubject(String(params.userId))
      .setIssuer(this.issuer)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.lifetimeSeconds)
      .sign(this.key);
  }

  /** Verifies a token; throws `AuthError('invalid_token')` with a reason safe to show the client. */
  async verify(token: string): Promise<AccessClaims> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        typ: TOKEN_TYPE,
        clockTolerance: CLOCK_TOLERANCE,
        requiredClaims: ['sub', 'iat', 'exp', 'iss'],
      }));
    } catch (error) {
      const reason =
        error instanceof joseErrors.JWTExpired ? 'access token expired' : 'invalid access token';
      throw new AuthError('invalid_token', reason, { cause: error });
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) throw new AuthError('invalid_token', 'invalid access token');
    return {
      userId: Number(claims.data.sub),
      role: claims.data.role,
      sessionId: claims.data.sid,
      issuedAt: claims.data.iat,
      expiresAt: claims.data.exp,
    };
  }
}
