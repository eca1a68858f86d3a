import { describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMigrationFile, migrationTimestamp } from './migration-file.ts';

describe('createMigrationFile', () => {
  const now = new Date('2026-03-05T07:08:09Z');

  test('names the file by UTC timestamp so files sort in creation order', () => {
    expect(migrationTimestamp(now)).toBe('2026_03_05_070809');
    const dir = mkdtempSync(path.join(tmpdir(), 'f1-migrations-'));
    const file = createMigrationFile('add_pit_stops', dir, now);
    expect(path.basename(file)).toBe('2026_03_05_070809_add_pit_stops.ts');
    expect(readFileSync(file, 'utf8')).toContain('export async function down');
    expect(() => createMigrationFile('add_pit_stops', dir, now)).toThrow('already exists');
  });

  test.each([undefined, '', 'Add Pit Stops', 'drop;table'])('rejects the name %p', (name) => {
    expect(() => createMigrationFile(name, tmpdir(), now)).toThrow('snake_case');
  });
});
