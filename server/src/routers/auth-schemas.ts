/** Input and output schemas shared by the auth, apiKeys and admin routers. */
import { z } from 'zod';
import { PG_TEXT } from '../schemas/text.ts';

export const RoleSchema = z.enum(['user', 'ml_service', 'admin']);

export const Email = z.email().check(PG_TEXT).max(254).trim().toLowerCase();

export const UserOutput = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string().nullable(),
  role: RoleSchema,
  createdAt: z.date(),
  lastLoginAt: z.date().nullable(),
  disabledAt: z.date().nullable(),
});

export const TokenOutput = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
  tokenType: z.literal('Bearer'),
  user: UserOutput,
});

export const SessionOutput = z.object({
  id: z.string(),
  createdAt: z.date(),
  lastSeenAt: z.date(),
  expiresAt: z.date(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  /** True for the session the request was made with. */
  current: z.boolean(),
});

export const ApiKeyOutput = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The first characters of the key, enough to recognise it in logs or a leak report. */
  prefix: z.string(),
  role: RoleSchema,
  createdBy: z.number().int().nullable(),
  createdAt: z.date(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
});
