/** Recognises PostgreSQL errors by SQLSTATE; postgres.js and PGlite both expose it as `code`. */
function sqlState(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}

/** `23505 unique_violation`. */
export const isUniqueViolation = (error: unknown): boolean => sqlState(error) === '23505';
