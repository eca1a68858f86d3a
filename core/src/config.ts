/**
 * The one configuration module: every `F1_*` variable, validated once with zod at start-up.
 *
 * It lives in `@f1/db` because every other package (server, jobs) depends on this one.
 * `loadConfig(env)` is pure (tests pass their own env); `getConfig()` reads `process.env` once.
 * A bad value throws a `ConfigError` whose message is one line naming the variable.
 */
import { z } from 'zod';

const PLACEHOLDER_SECRETS = new Set([
  'your_secret_key_here',
  'change-me',
  'changeme',
  'change_me',
  'secret',
  'dev-secret',
  'replace-me',
]);

/** Secrets shorter than this are refused in production (HS256 wants ≥ 256 bits). */
const MIN_PRODUCTION_SECRET_LENGTH = 32;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * The development floor of every request budget, per window: a local dashboard loads ~120 requests at
 * once (the 100/min default refused 25 of them), so 1,000 leaves room for several full reloads a
 * minute while a runaway loop (thousands a minute) still meets 429s before it reaches production.
 */
const DEVELOPMENT_RATE_LIMIT = 1000;
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/** A 5-field cron expression Bun.cron accepts, or "off". */
const cron = z.string().refine(
  (value) => {
    if (value === 'off') return true;
    try {
      Bun.cron.parse(value, Date.now(), { tz: 'UTC' });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a 5-field cron expression (minute resolution) or "off"' },
);

const EnvSchema = z.object({
  F1_ENVIRONMENT: z.enum(['development', 'test', 'staging', 'production']).default('development'),
  F1_DEBUG: bool.optional(),
  F1_HOST: z.string().default('0.0.0.0'),
  F1_PORT: int(0, 65535).default(8000),
  F1_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),

  F1_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  F1_DB_HOST: z.string().optional(),
  F1_DB_PORT: int(1, 65535).default(5432),
  F1_DB_NAME: z.string().default('f1_analytics'),
  F1_DB_USER: z.string().default('postgres'),
  F1_DB_PASSWORD: z.string().optional(),
  F1_DB_POOL_SIZE: int(1, 1000).default(10),
  F1_DATA_DIR: z.string().default('./.data'),

  F1_REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  F1_REDIS_HOST: z.string().optional(),
  F1_REDIS_PORT: int(1, 65535).default(6379),
  F1_REDIS_PASSWORD: z.string().optional(),
  F1_REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1-64 letters, digits or : _ . -')
    .optional(),

  F1_JWT_SECRET_KEY: z.string().optional(),
  F1_JWT_ACCESS_TOKEN_EXPIRE_MINUTES: int(1, 24 * 60).default(15),
  F1_JWT_REFRESH_TOKEN_EXPIRE_DAYS: int(1, 365).default(7),
  F1_JWT_ISSUER: z.string().default('f1-analytics'),
  F1_BCRYPT_COST: int(10, 15).default(12),
  F1_ADMIN_PASSWORD: z.string().optional(),
  // Seconds a verified API key is trusted without the database (0: every request asks it).
  F1_API_KEY_CACHE_SECONDS: int(0, 300).default(5),

  F1_RATE_LIMIT_REQUESTS: int(1, 1_000_000).default(100),
  F1_RATE_LIMIT_WINDOW: int(1, 86_400).default(60),
  // Anonymous callers (per client IP); unset: the same budget as principals (see rateLimitConfig).
  F1_RATE_LIMIT_ANONYMOUS_REQUESTS: int(1, 1_000_000).optional(),
  // F1_ENVIRONMENT=development: no budget below this per window ("off": the budgets as configured).
  F1_RATE_LIMIT_DEVELOPMENT_REQUESTS: z
    .union([z.literal('off'), int(1, 1_000_000)], {
      error: 'expected a whole number from 1 to 1000000, or "off"',
    })
    .default(DEVELOPMENT_RATE_LIMIT),
  // The Ergast-compatible facade (/ergast/f1, /api/f1): requests per second per principal.
  F1_ERGAST_FACADE_RATE_LIMIT: int(1, 100_000).default(20),
  F1_TRUSTED_PROXIES: int(0, 10).default(0),
  // Browser callers (server/src/http/cors.ts): "*", "none" or a comma list of origins; HSTS max-age.
  F1_CORS_ORIGINS: z.string().optional(),
  F1_HSTS_MAX_AGE: z
    .union([z.literal('off'), int(0, 63_072_000)], {
      error: 'expected seconds from 0 to 63072000, or "off"',
    })
    .optional(),
  // GET /metrics (Prometheus) answers a Bearer of this token; unset: no /metrics (404), nothing counted.
  F1_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  // Request bodies (server/src/http/body-limit.ts): read deadlines and the in-flight budget.
  F1_BODY_READ_TIMEOUT: int(1, 3600).default(30),
  F1_BODY_BULK_READ_TIMEOUT: int(1, 3600).default(300),
  F1_BODY_BUDGET_MIB: int(1, 4096).default(128),

  F1_ERGAST_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.jolpi.ca/ergast/f1'),
  F1_ERGAST_TIMEOUT: int(1, 600).default(30),
  F1_ERGAST_RETRY_ATTEMPTS: int(0, 20).default(3),
  F1_ERGAST_REQUESTS_PER_SECOND: z.coerce.number().positive().max(100).default(4),
  F1_ERGAST_HOURLY_BUDGET: int(1, 100_000).default(500),

  F1_WEATHER_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  F1_WEATHER_API_KEY: z.string().optional(),

  // `bun run jobs` schedules (5-field cron, UTC; "off" disables one) and its lock lease.
  F1_JOBS_LATEST_ROUND_CRON: cron.default('0 */6 * * *'),
  F1_JOBS_RACE_WEEKEND_CRON: cron.default('*/15 * * * *'),
  F1_JOBS_SCHEDULE_CRON: cron.default('0 4 * * *'),
  F1_JOBS_VALIDATE_CRON: cron.default('30 4 * * *'),
  F1_JOBS_QUEUE_CRON: cron.default('* * * * *'),
  F1_JOBS_LOCK_TTL: int(5, 3600).default(120),
  F1_JOBS_LOCK_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+$/)
    .default('ingest'),
});

type Env = z.infer<typeof EnvSchema>;

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize: number }
  | { kind: 'pglite'; dataDir: string };

export interface Config {
  environment: Env['F1_ENVIRONMENT'];
  debug: boolean;
  host: string;
  port: number;
  logLevel: Env['F1_LOG_LEVEL'];
  database: DatabaseConfig;
  /** `null` when no Redis is configured: the server then uses in-process stand-ins. */
  redis: { url: string; keyPrefix?: string } | null;
  /** Seconds a whole request body may take to arrive (default, bulk), and bytes buffered at once. */
  bodyIntake: { readTimeoutSeconds: number; bulkReadTimeoutSeconds: number; budgetBytes: number };
  jwt: {
    secret: string;
    /** True when no secret was configured and a random one was generated for this process. */
    ephemeral: boolean;
    accessTokenMinutes: number;
    refreshTokenDays: number;
    issuer: string;
  };
  /** bcrypt work factor for new password hashes; older hashes are upgraded at login. */
  bcryptCost: number;
  /** Password for `bun run admin create-user` (otherwise read from stdin). */
  adminPassword: string | null;
  /**
   * Seconds a verified API key is trusted in-process without asking the database again (0: never);
   * a revocation elsewhere takes effect within that many seconds.
   */
  apiKeyCacheSeconds: number;
  /**
   * Requests per window: `requests` per principal (user or API key), `anonymousRequests` per client
   * IP — both already raised to the development floor when F1_ENVIRONMENT=development — and the
   * Ergast facade's own limit (requests per second per principal or IP).
   */
  rateLimit: {
    requests: number;
    anonymousRequests: number;
    windowSeconds: number;
    ergastPerSecond: number;
  };
  /**
   * Reverse proxies in front of the server whose `X-Forwarded-For` entries are trusted; the client IP
   * (for per-IP rate limits and the audit log) is the entry that many hops from the right.
   */
  trustedProxies: number;
  /**
   * Origins whose browser pages may call the API: `'*'` (any, never with credentials) or the listed
   * origins (`scheme://host[:port]`, answered with credentials); empty: no CORS headers at all.
   */
  corsOrigins: '*' | readonly string[];
  /** `Strict-Transport-Security` max-age in seconds (sent over HTTPS only), or null: not sent. */
  hstsMaxAgeSeconds: number | null;
  /** The Bearer token GET /metrics requires; null: metrics are off (no route, no counting). */
  metricsToken: string | null;
  ergast: {
    baseUrl: string;
    timeoutSeconds: number;
    retryAttempts: number;
    requestsPerSecond: number;
    hourlyBudget: number;
  };
  weather: { baseUrl: string | null; apiKey: string | null };
  /** Cron expressions of the scheduler's jobs (null: disabled) and the lock lease in seconds. */
  jobs: {
    latestRoundCron: string | null;
    raceWeekendCron: string | null;
    scheduleCron: string | null;
    validateCron: string | null;
    queueCron: string | null;
    lockTtlSeconds: number;
    /** Redis lock (and fence) name: deployments sharing one Redis pick different names. */
    lockName: string;
  };
}

/** Empty strings count as unset, so `F1_DB_HOST=` in a `.env` file means "not configured". */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('F1_') && value !== undefined && value.trim() !== '')
      out[key] = value.trim();
  }
  return out;
}

function databaseConfig(env: Env): DatabaseConfig {
  if (env.F1_DATABASE_URL)
    return { kind: 'postgres', url: env.F1_DATABASE_URL, poolSize: env.F1_DB_POOL_SIZE };
  if (env.F1_DB_HOST) {
    const url = new URL('postgres://localhost');
    url.hostname = env.F1_DB_HOST;
    url.port = String(env.F1_DB_PORT);
    url.username = env.F1_DB_USER;
    if (env.F1_DB_PASSWORD) url.password = env.F1_DB_PASSWORD;
    url.pathname = `/${env.F1_DB_NAME}`;
    return { kind: 'postgres', url: url.toString(), poolSize: env.F1_DB_POOL_SIZE };
  }
  return { kind: 'pglite', dataDir: env.F1_DATA_DIR };
}

function redisConfig(env: Env): Config['redis'] {
  const keyPrefix = env.F1_REDIS_KEY_PREFIX ? { keyPrefix: env.F1_REDIS_KEY_PREFIX } : {};
  if (env.F1_REDIS_URL) return { url: env.F1_REDIS_URL, ...keyPrefix };
  if (!env.F1_REDIS_HOST) return null;
  const url = new URL('redis://localhost');
  url.hostname = env.F1_REDIS_HOST;
  url.port = String(env.F1_REDIS_PORT);
  if (env.F1_REDIS_PASSWORD) url.password = env.F1_REDIS_PASSWORD;
  return { url: url.toString(), ...keyPrefix };
}

function jwtConfig(env: Env): Config['jwt'] {
  const secret = env.F1_JWT_SECRET_KEY;
  if (env.F1_ENVIRONMENT === 'production') {
    if (!secret)
      throw new ConfigError('F1_JWT_SECRET_KEY', 'is required when F1_ENVIRONMENT=production');
    if (PLACEHOLDER_SECRETS.has(secret.toLowerCase())) {
      throw new ConfigError('F1_JWT_SECRET_KEY', 'is a placeholder value; set a random secret');
    }
    if (secret.length < MIN_PRODUCTION_SECRET_LENGTH) {
      throw new ConfigError(
        'F1_JWT_SECRET_KEY',
        `must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production`,
      );
    }
  }
  return {
    secret: secret ?? crypto.randomUUID() + crypto.randomUUID(),
    ephemeral: !secret,
    accessTokenMinutes: env.F1_JWT_ACCESS_TOKEN_EXPIRE_MINUTES,
    refreshTokenDays: env.F1_JWT_REFRESH_TOKEN_EXPIRE_DAYS,
    issuer: env.F1_JWT_ISSUER,
  };
}

/** Parses and validates an environment; throws `ConfigError` naming the first bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(withoutEmpty(source));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, `is invalid: ${issue?.message ?? 'unknown problem'}`);
  }
  const env = parsed.data;
  return {
    environment: env.F1_ENVIRONMENT,
    debug: env.F1_DEBUG ?? env.F1_ENVIRONMENT === 'development',
    host: env.F1_HOST,
    port: env.F1_PORT,
    logLevel: env.F1_LOG_LEVEL,
    database: databaseConfig(env),
    redis: redisConfig(env),
    jwt: jwtConfig(env),
    bcryptCost: env.F1_BCRYPT_COST,
    adminPassword: env.F1_ADMIN_PASSWORD ?? null,
    apiKeyCacheSeconds: env.F1_API_KEY_CACHE_SECONDS,
    rateLimit: rateLimitConfig(env),
    trustedProxies: env.F1_TRUSTED_PROXIES,
    corsOrigins: corsOrigins(env),
    hstsMaxAgeSeconds: hstsMaxAge(env),
    metricsToken: env.F1_METRICS_TOKEN ?? null,
    bodyIntake: {
      readTimeoutSeconds: env.F1_BODY_READ_TIMEOUT,
      bulkReadTimeoutSeconds: env.F1_BODY_BULK_READ_TIMEOUT,
      budgetBytes: env.F1_BODY_BUDGET_MIB * 1024 * 1024,
    },
    ergast: {
      baseUrl: env.F1_ERGAST_BASE_URL.replace(/\/+$/, ''),
      timeoutSeconds: env.F1_ERGAST_TIMEOUT,
      retryAttempts: env.F1_ERGAST_RETRY_ATTEMPTS,
      requestsPerSecond: env.F1_ERGAST_REQUESTS_PER_SECOND,
      hourlyBudget: env.F1_ERGAST_HOURLY_BUDGET,
    },
    weather: {
      baseUrl: env.F1_WEATHER_BASE_URL?.replace(/\/+$/, '') ?? null,
      apiKey: env.F1_WEATHER_API_KEY ?? null,
    },
    jobs: {
      latestRoundCron: offOr(env.F1_JOBS_LATEST_ROUND_CRON),
      raceWeekendCron: offOr(env.F1_JOBS_RACE_WEEKEND_CRON),
      scheduleCron: offOr(env.F1_JOBS_SCHEDULE_CRON),
      validateCron: offOr(env.F1_JOBS_VALIDATE_CRON),
      queueCron: offOr(env.F1_JOBS_QUEUE_CRON),
      lockTtlSeconds: env.F1_JOBS_LOCK_TTL,
      lockName: env.F1_JOBS_LOCK_NAME,
    },
  };
}

/**
 * The request budgets: principals get F1_RATE_LIMIT_REQUESTS (the brief's 100 a minute), anonymous
 * callers F1_RATE_LIMIT_ANONYMOUS_REQUESTS or else the same; in development neither is below the
 * development floor (configured budgets above it stay).
 */
function rateLimitConfig(env: Env): Config['rateLimit'] {
  const floor =
    env.F1_ENVIRONMENT === 'development' && env.F1_RATE_LIMIT_DEVELOPMENT_REQUESTS !== 'off'
      ? env.F1_RATE_LIMIT_DEVELOPMENT_REQUESTS
      : 0;
  const anonymous = env.F1_RATE_LIMIT_ANONYMOUS_REQUESTS ?? env.F1_RATE_LIMIT_REQUESTS;
  return {
    requests: Math.max(floor, env.F1_RATE_LIMIT_REQUESTS),
    anonymousRequests: Math.max(floor, anonymous),
    windowSeconds: env.F1_RATE_LIMIT_WINDOW,
    ergastPerSecond: env.F1_ERGAST_FACADE_RATE_LIMIT,
  };
}

/** F1_CORS_ORIGINS; unset: any origin in development, none elsewhere. */
function corsOrigins(env: Env): Config['corsOrigins'] {
  const value = env.F1_CORS_ORIGINS ?? (env.F1_ENVIRONMENT === 'development' ? '*' : 'none');
  if (value === '*') return '*';
  if (value.toLowerCase() === 'none') return [];
  const origins = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // "," or ", ," is a list that names nobody: a mistake, not a quiet "none".
  if (origins.length === 0)
    throw new ConfigError(
      'F1_CORS_ORIGINS',
      `is invalid: "${value}" names no origin; expected "*", "none" or a comma list of origins`,
    );
  return origins.map((entry) => {
    let url: URL | null = null;
    try {
      url = new URL(entry);
    } catch {}
    const bare = url && /^https?:$/.test(url.protocol) && url.pathname === '/' && !url.username;
    if (!url || !bare || url.search || url.hash || /[?#]$/.test(entry))
      throw new ConfigError(
        'F1_CORS_ORIGINS',
        `is invalid: "${entry}" is not an origin (scheme://host[:port], no path); expected "*", "none" or a comma list of origins`,
      );
    return url.origin;
  });
}

/** F1_HSTS_MAX_AGE; unset: a year in production, off elsewhere. 0 or "off": not sent. */
function hstsMaxAge(env: Env): number | null {
  const value = env.F1_HSTS_MAX_AGE ?? (env.F1_ENVIRONMENT === 'production' ? 31_536_000 : 'off');
  return value === 'off' || value === 0 ? null : value;
}

const offOr = (value: string) => (value === 'off' ? null : value);

let cached: Config | undefined;

/** The process's configuration, read from `process.env` on first use. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
