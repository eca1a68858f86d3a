import { expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { csvRecords, parseCsv, readCsvFile } from './parse-csv.ts';

test('quoted fields keep commas, doubled quotes and line breaks', () => {
  expect(parseCsv('a,b,c\n"x, y","say ""hi""","two\nlines"\n')).toEqual([
    ['a', 'b', 'c'],
    ['x, y', 'say "hi"', 'two\nlines'],
  ]);
});

test('CRLF and a missing final newline are fine', () => {
  expect(parseCsv('a,b\r\n1,2\r\n3,4')).toEqual([
    ['a', 'b'],
    ['1', '2'],
    ['3', '4'],
  ]);
});

test('records map \\N, empty and missing trailing cells to null; a BOM is ignored', () => {
  expect(csvRecords('\uFEFFid,name,extra,more\n1,\\N,,\n2,"Bo"\n\n')).toEqual([
    { id: '1', name: null, extra: null, more: null },
    { id: '2', name: 'Bo', extra: null, more: null },
  ]);
  expect(csvRecords('')).toEqual([]);
});

test('an unterminated quote is an error naming the file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'csv-'));
  const file = path.join(dir, 'bad.csv');
  writeFileSync(file, 'a,b\n"open,1\n');
  expect(() => readCsvFile(file)).toThrow(`${file}: CSV ends inside a quoted field`);
  expect(() => readCsvFile(path.join(dir, 'absent.csv'))).toThrow(/cannot read .*absent\.csv/);
});
