/** A test configuration: defaults plus overrides, never the developer's own environment. */
import { type Config, loadConfig } from '@f1/core/config';

/** The JWT secret every test configuration and test server process uses. */
export const TEST_JWT_SECRET = 'test-secret-'.padEnd(40, 'x');

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ F1_ENVIRONMENT: 'test', F1_JWT_SECRET_KEY: TEST_JWT_SECRET, ...env });
}
