/**
 * A small RFC 4180 CSV reader for the Ergast export: quoted fields (with `""` escapes, commas and line
 * breaks inside), CRLF or LF line ends, and the export's `\N` for NULL. Rows shorter than the header
 * (the 2025 extension omits trailing empty session columns) read the missing cells as NULL.
 */
import { existsSync, readFileSync } from 'node:fs';

export const CSV_NULL = '\\N';

/** Splits CSV text into rows of raw cells (quotes removed, `\N` kept as is). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else {
      cell += ch;
    }
    i++;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

export type CsvRecord = Record<string, string | null>;

/** Rows as objects keyed by the header; `\N`, empty and missing cells become null. */
export function csvRecords(text: string): CsvRecord[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) return [];
  return rows
    .filter((cells) => cells.length > 1 || (cells[0] ?? '') !== '')
    .map((cells) => {
      const record: CsvRecord = {};
      header.forEach((name, index) => {
        const value = cells[index];
        record[name] = value === undefined || value === CSV_NULL || value === '' ? null : value;
      });
      return record;
    });
}

/** Reads one CSV file of an export; the error names the file when it is missing or malformed. */
export function readCsvFile(path: string): CsvRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : error}`);
  }
  try {
    return csvRecords(text);
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : error}`);
  }
}

/** Like `readCsvFile`, but an absent file reads as no rows (optional files of an export). */
export function readCsvRecordsIfExists(path: string): CsvRecord[] {
  return existsSync(path) ? readCsvFile(path) : [];
}
