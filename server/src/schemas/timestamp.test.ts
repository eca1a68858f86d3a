import { describe, expect, test } from 'bun:test';
import { z } from 'zod';
import { type SchemaDef, walkProcedureInputs } from './testing.ts';
import { isPgTimestamp, PG_TIMESTAMP, TIMESTAMP_MESSAGE, timestamp } from './timestamp.ts';

describe('PostgreSQL-safe timestamps', () => {
  test('years 1–9999 pass; year 0, negative years and year 10000 are refused naming the field', () => {
    const ok = ['0001-01-01T00:00:00Z', '1950-05-13T14:00:00Z', '9999-12-31T23:59:59.999Z'];
    expect(ok.map((s) => isPgTimestamp(new Date(s)))).toEqual([true, true, true]);
    const bad = ['0000-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '+010000-01-01T00:00:00.000Z'];
    expect(bad.map((s) => isPgTimestamp(new Date(s)))).toEqual([false, false, false]);
    const issues = z.object({ since: timestamp() }).safeParse({ since: '0000-01-01T00:00:00Z' })
      .error?.issues;
    expect(issues?.map((i) => [i.path, i.message])).toEqual([[['since'], TIMESTAMP_MESSAGE]]);
    expect(z.object({ at: timestamp() }).safeParse({ at: 'nonsense' }).success).toBe(false);
  });

  test('every date in every procedure input carries the bound (regression: year 0 → 500)', () => {
    const found = { dates: [] as [string, SchemaDef][], isoStrings: [] as string[] };
    const unknown = walkProcedureInputs((path, def) => {
      if (def.type === 'date') found.dates.push([path, def]);
      // A date carried as a string format would bypass the bound; none may exist.
      if (def.type === 'string' && ['datetime', 'date'].includes(String(def.format)))
        found.isoStrings.push(path);
    });
    expect(unknown).toEqual([]);
    expect(found.isoStrings).toEqual([]);
    // The walk does reach the dates (admin.audit since, apiKeys.create expiresAt at least).
    expect(found.dates.map(([path]) => path)).toEqual(
      expect.arrayContaining(['admin.audit.since', 'apiKeys.create.expiresAt']),
    );
    const unbounded = found.dates.filter(([, def]) => !def.checks?.includes(PG_TIMESTAMP));
    expect(unbounded.map(([path]) => path)).toEqual([]);
  });
});
