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
  const n = text.length;
  let row: string[] = [];
  let i = 0;
  // Scans with indexOf/slice rather than char by char: the export's 27k-row results file parses in a
  // fraction of the time, which matters when the import is measured against COPY.
  while (i < n) {
    let cell: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) throw new Error('CSV ends inside a quoted field');
        if (text.charCodeAt(quote + 1) === 34) {
          value += `${text.slice(from, quote)}"`;
          from = quote + 2;
          continue;
        }
        value += text.slice(from, quote);
        i = quote + 1;
        break;
      }
      cell = value;
    } else {
      let end = i;
      while (end < n) {
        const c = text.charCodeAt(end);
        if (c === 44 || c === 10 || c === 13) break;
        end++;
      }
      cell = text.slice(i, end);
      i = end;
    }
    row.push(cell);
    const c = text.charCodeAt(i);
    if (c === 44 /* , */) {
      i++;
      if (i === n) row.push('');
      continue;
    }
    // End of line (\n, \r\n or \r) or of the text.
    rows.push(row);
    row = [];
    if (c === 13 && text.charCodeAt(i + 1) === 10) i += 2;
    else if (i < n) i++;
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
