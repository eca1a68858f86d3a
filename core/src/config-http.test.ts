import { describe, expect, test } from 'bun:test';
import { ConfigError, loadConfig } from './config.ts';

const SECRET = 'k'.repeat(40);
const production = (env: Record<string, string> = {}) =>
  loadConfig({ F1_ENVIRONMENT: 'production', F1_JWT_SECRET_KEY: SECRET, ...env });

describe('F1_CORS_ORIGINS', () => {
  test('defaults to any origin in development and to none elsewhere', () => {
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig({ F1_ENVIRONMENT: 'test' }).corsOrigins).toEqual([]);
    expect(production().corsOrigins).toEqual([]);
    expect(loadConfig({ F1_ENVIRONMENT: 'staging' }).corsOrigins).toEqual([]);
  });

  test('"*", "none" and a comma list of origins (normalized, trailing slash tolerated)', () => {
    expect(production({ F1_CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(loadConfig({ F1_CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
    expect(loadConfig({ F1_CORS_ORIGINS: 'NONE' }).corsOrigins).toEqual([]);
    expect(
      production({
        F1_CORS_ORIGINS: 'https://App.Example.com, http://localhost:5173/,https://x.test:443',
      }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173', 'https://x.test']);
  });

  test.each([
    ['https://app.example.com/path', 'is not an origin'],
    ['app.example.com', 'is not an origin'],
    ['ftp://files.example.com', 'is not an origin'],
    ['null', 'is not an origin'],
    ['https://a.test,*', 'is not an origin'],
    ['https://a.test?x=1', 'is not an origin'],
    // A list naming nobody is a mistake, not a quiet "none".
    [',', 'names no origin'],
    [' , ,', 'names no origin'],
  ])('refuses %j naming the variable and the entry', (value, reason) => {
    let caught: unknown;
    try {
      loadConfig({ F1_CORS_ORIGINS: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe('F1_CORS_ORIGINS');
    expect((caught as Error).message).toContain(reason);
    expect((caught as Error).message.split('\n')).toHaveLength(1);
  });
});

describe('F1_HSTS_MAX_AGE', () => {
  test('a year in production, off elsewhere, unless set', () => {
    expect(production().hstsMaxAgeSeconds).toBe(31_536_000);
    expect(loadConfig({}).hstsMaxAgeSeconds).toBeNull();
    expect(loadConfig({ F1_ENVIRONMENT: 'staging' }).hstsMaxAgeSeconds).toBeNull();
    expect(
      loadConfig({ F1_ENVIRONMENT: 'staging', F1_HSTS_MAX_AGE: '600' }).hstsMaxAgeSeconds,
    ).toBe(600);
    expect(production({ F1_HSTS_MAX_AGE: '0' }).hstsMaxAgeSeconds).toBeNull();
    expect(production({ F1_HSTS_MAX_AGE: 'off' }).hstsMaxAgeSeconds).toBeNull();
    expect(production({ F1_HSTS_MAX_AGE: '86400' }).hstsMaxAgeSeconds).toBe(86_400);
  });

  test.each(['-1', 'soon', '1.5', '999999999'])('refuses %j', (value) => {
    expect(() => loadConfig({ F1_HSTS_MAX_AGE: value })).toThrow(/F1_HSTS_MAX_AGE/);
  });
});
