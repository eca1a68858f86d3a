import { describe, expect, test } from 'bun:test';
import { ConfigError, loadConfig } from './config.ts';

const expectConfigError = (env: Record<string, string>, variable: string, pattern?: RegExp) => {
  let caught: unknown;
  try {
    loadConfig(env);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  expect(error.variable).toBe(variable);
  expect(error.message).toContain(variable);
  expect(error.message.split('\n')).toHaveLength(1);
  if (pattern) expect(error.message).toMatch(pattern);
};

describe('loadConfig', () => {
  test("applies the brief's defaults", () => {
    const config = loadConfig({});
    expect(config.environment).toBe('development');
    expect(config.debug).toBe(true);
    expect(config.port).toBe(8000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './.data' });
    expect(config.redis).toBeNull();
    expect(config.jwt.accessTokenMinutes).toBe(15);
    expect(config.jwt.refreshTokenDays).toBe(7);
    expect(config.jwt.ephemeral).toBe(true);
    expect(config.jwt.secret.length).toBeGreaterThanOrEqual(32);
    // F1_ENVIRONMENT defaults to development, where no budget is below the development floor.
    expect(config.rateLimit).toEqual({
      requests: 1000,
      anonymousRequests: 1000,
      windowSeconds: 60,
      ergastPerSecond: 20,
    });
    expect(config.ergast).toEqual({
      baseUrl: 'https://api.jolpi.ca/ergast/f1',
      timeoutSeconds: 30,
      retryAttempts: 3,
      requestsPerSecond: 4,
      hourlyBudget: 500,
    });
    expect(config.weather).toEqual({ baseUrl: null, apiKey: null });
    expect(config.bodyIntake).toEqual({
      readTimeoutSeconds: 30,
      bulkReadTimeoutSeconds: 300,
      budgetBytes: 128 * 1024 * 1024,
    });
  });

  test("rate limits: the brief's 100 a minute outside development, anonymous alike unless set", () => {
    const secret = { F1_JWT_SECRET_KEY: 'x'.repeat(40) };
    for (const environment of ['production', 'staging', 'test']) {
      expect(loadConfig({ ...secret, F1_ENVIRONMENT: environment }).rateLimit).toEqual({
        requests: 100,
        anonymousRequests: 100,
        windowSeconds: 60,
        ergastPerSecond: 20,
      });
    }
    const production = { ...secret, F1_ENVIRONMENT: 'production' };
    expect(
      loadConfig({ ...production, F1_RATE_LIMIT_ANONYMOUS_REQUESTS: '30' }).rateLimit,
    ).toMatchObject({ requests: 100, anonymousRequests: 30 });
    expect(loadConfig({ ...production, F1_RATE_LIMIT_REQUESTS: '500' }).rateLimit).toMatchObject({
      requests: 500,
      anonymousRequests: 500,
    });
    // Development: a floor, not a cap (a larger configured budget stays); "off" turns it off.
    expect(loadConfig({ F1_RATE_LIMIT_DEVELOPMENT_REQUESTS: '300' }).rateLimit).toMatchObject({
      requests: 300,
      anonymousRequests: 300,
    });
    expect(
      loadConfig({ F1_RATE_LIMIT_REQUESTS: '5000', F1_RATE_LIMIT_ANONYMOUS_REQUESTS: '10' })
        .rateLimit,
    ).toMatchObject({ requests: 5000, anonymousRequests: 1000 });
    expect(
      loadConfig({
        F1_RATE_LIMIT_DEVELOPMENT_REQUESTS: 'off',
        F1_RATE_LIMIT_ANONYMOUS_REQUESTS: '10',
      }).rateLimit,
    ).toMatchObject({ requests: 100, anonymousRequests: 10 });
    expectConfigError(
      { F1_RATE_LIMIT_ANONYMOUS_REQUESTS: '0' },
      'F1_RATE_LIMIT_ANONYMOUS_REQUESTS',
    );
    expectConfigError(
      { F1_RATE_LIMIT_DEVELOPMENT_REQUESTS: 'lots' },
      'F1_RATE_LIMIT_DEVELOPMENT_REQUESTS',
      /expected a whole number from 1 to 1000000, or "off"/,
    );
  });

  test('body read deadlines and budget: set, and refused when out of range', () => {
    const env = {
      F1_BODY_READ_TIMEOUT: '5',
      F1_BODY_BULK_READ_TIMEOUT: '60',
      F1_BODY_BUDGET_MIB: '64',
    };
    expect(loadConfig(env).bodyIntake).toEqual({
      readTimeoutSeconds: 5,
      bulkReadTimeoutSeconds: 60,
      budgetBytes: 64 * 1024 * 1024,
    });
    expectConfigError({ F1_BODY_READ_TIMEOUT: '0' }, 'F1_BODY_READ_TIMEOUT');
    expectConfigError({ F1_BODY_BUDGET_MIB: 'lots' }, 'F1_BODY_BUDGET_MIB');
  });

  test('builds the PostgreSQL URL from F1_DB_* parts, escaping the password', () => {
    const config = loadConfig({
      F1_DB_HOST: 'db.internal',
      F1_DB_PORT: '6543',
      F1_DB_NAME: 'f1',
      F1_DB_USER: 'app',
      F1_DB_PASSWORD: 'p@ss/word',
      F1_DB_POOL_SIZE: '25',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://app:p%40ss%2Fword@db.internal:6543/f1',
      poolSize: 25,
    });
  });

  test('F1_DATABASE_URL wins over the parts', () => {
    const config = loadConfig({ F1_DATABASE_URL: 'postgres://u@h:5432/x', F1_DB_HOST: 'other' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/x',
      poolSize: 10,
    });
  });

  test('Redis is configured by URL or by host', () => {
    expect(loadConfig({ F1_REDIS_URL: 'redis://r:6380/2' }).redis).toEqual({
      url: 'redis://r:6380/2',
    });
    expect(loadConfig({ F1_REDIS_HOST: 'cache', F1_REDIS_PASSWORD: 's3cret' }).redis).toEqual({
      url: 'redis://:s3cret@cache:6379',
    });
    expect(
      loadConfig({ F1_REDIS_URL: 'redis://r:6380', F1_REDIS_KEY_PREFIX: 'f1-blue:' }).redis,
    ).toStrictEqual({ url: 'redis://r:6380', keyPrefix: 'f1-blue:' });
  });

  test('F1_METRICS_TOKEN: unset is off, a short one is refused, empty counts as unset', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ F1_METRICS_TOKEN: '' }).metricsToken).toBeNull();
    expect(loadConfig({ F1_METRICS_TOKEN: ' a-long-enough-token-1 ' }).metricsToken).toBe(
      'a-long-enough-token-1',
    );
    expectConfigError({ F1_METRICS_TOKEN: 'short' }, 'F1_METRICS_TOKEN', /at least 16 characters/);
  });

  test('empty strings count as unset', () => {
    const config = loadConfig({ F1_DB_HOST: '', F1_PORT: ' ', F1_REDIS_URL: '' });
    expect(config.database.kind).toBe('pglite');
    expect(config.port).toBe(8000);
    expect(config.redis).toBeNull();
  });

  test('strips trailing slashes from base URLs', () => {
    const config = loadConfig({
      F1_ERGAST_BASE_URL: 'http://localhost:9999/ergast/f1/',
      F1_WEATHER_BASE_URL: 'https://archive-api.open-meteo.com/v1/archive/',
    });
    expect(config.ergast.baseUrl).toBe('http://localhost:9999/ergast/f1');
    expect(config.weather.baseUrl).toBe('https://archive-api.open-meteo.com/v1/archive');
  });

  test.each([
    [{ F1_PORT: 'eighty' }, 'F1_PORT'],
    [{ F1_PORT: '70000' }, 'F1_PORT'],
    [{ F1_DB_POOL_SIZE: '0' }, 'F1_DB_POOL_SIZE'],
    [{ F1_ENVIRONMENT: 'prod' }, 'F1_ENVIRONMENT'],
    [{ F1_DEBUG: 'maybe' }, 'F1_DEBUG'],
    [{ F1_DATABASE_URL: 'mysql://x@y/z' }, 'F1_DATABASE_URL'],
    [{ F1_REDIS_URL: 'not a url' }, 'F1_REDIS_URL'],
    [{ F1_REDIS_KEY_PREFIX: 'has space' }, 'F1_REDIS_KEY_PREFIX'],
    [{ F1_RATE_LIMIT_REQUESTS: '-5' }, 'F1_RATE_LIMIT_REQUESTS'],
    [{ F1_RATE_LIMIT_WINDOW: '1.5' }, 'F1_RATE_LIMIT_WINDOW'],
    [{ F1_ERGAST_TIMEOUT: '0' }, 'F1_ERGAST_TIMEOUT'],
    [{ F1_ERGAST_BASE_URL: 'ftp://x' }, 'F1_ERGAST_BASE_URL'],
    [{ F1_JWT_ACCESS_TOKEN_EXPIRE_MINUTES: 'soon' }, 'F1_JWT_ACCESS_TOKEN_EXPIRE_MINUTES'],
  ])('rejects %j naming %s', (env, variable) => {
    expectConfigError(env, variable);
  });

  describe('production', () => {
    test('refuses a missing JWT secret', () => {
      expectConfigError({ F1_ENVIRONMENT: 'production' }, 'F1_JWT_SECRET_KEY', /required/);
    });
    test.each(['your_secret_key_here', 'CHANGEME', 'secret'])(
      'refuses the placeholder %s',
      (secret) => {
        expectConfigError(
          { F1_ENVIRONMENT: 'production', F1_JWT_SECRET_KEY: secret },
          'F1_JWT_SECRET_KEY',
          /placeholder/,
        );
      },
    );
    test('refuses a short secret', () => {
      expectConfigError(
        { F1_ENVIRONMENT: 'production', F1_JWT_SECRET_KEY: 'short-but-not-placeholder' },
        'F1_JWT_SECRET_KEY',
        /at least 32/,
      );
    });
    test('accepts a long random secret and turns debug off', () => {
      const secret = 'k'.repeat(16) + crypto.randomUUID();
      const config = loadConfig({ F1_ENVIRONMENT: 'production', F1_JWT_SECRET_KEY: secret });
      expect(config.jwt).toMatchObject({ secret, ephemeral: false });
      expect(config.debug).toBe(false);
    });
  });
});
