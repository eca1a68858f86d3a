import { describe, expect, test } from 'bun:test';
import { z } from 'zod';
import { type SchemaDef, walkProcedureInputs } from './testing.ts';
import { isPgText, PG_TEXT, PG_TEXT_MESSAGE, text } from './text.ts';

describe('PostgreSQL-safe text', () => {
  test('NUL and unpaired surrogates are refused; everything else, pairs included, is kept', () => {
    expect(['', 'Max Verstappen', 'Pérez', '周冠宇', '🏎️ fast', '\t\n'].map(isPgText)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['a\u0000b', '\u0000', '\ud800', 'x\udc00', '\ude00\ud83d'].map(isPgText)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    const issues = z.object({ name: text().min(1) }).safeParse({ name: 'a\u0000' }).error?.issues;
    expect(issues?.map((i) => [i.path, i.message])).toEqual([[['name'], PG_TEXT_MESSAGE]]);
  });

  test('every string in every procedure input carries the check (regression: NUL reached SQL → 500)', () => {
    const found = { strings: [] as [string, SchemaDef][] };
    const unknown = walkProcedureInputs((path, def) => {
      if (def.type === 'string') found.strings.push([path, def]);
    });
    expect(unknown).toEqual([]);
    // The walk does reach the strings (the list would be empty if it lost its way).
    expect(found.strings.length).toBeGreaterThan(20);
    const unchecked = found.strings
      .filter(([, def]) => !def.checks?.includes(PG_TEXT))
      .map(([path]) => path);
    expect([...new Set(unchecked)]).toEqual([]);
  });
});
