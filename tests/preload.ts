/**
 * Loaded before every test file (bunfig.toml `[test] preload`).
 *
 * Tests never read the developer's own `F1_*` settings: each test builds its config explicitly. The only
 * variables that matter are F1_TEST_DATABASE_URL and F1_TEST_REDIS_URL (real servers; CI sets both)
 * and F1_TEST_DATA_DIR (the shared real-data folder).
 */
process.env.F1_ENVIRONMENT = 'test';
process.env.F1_LOG_LEVEL ??= 'silent';
