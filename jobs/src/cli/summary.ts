/** The end-of-run summary every CLI verb prints. */
import type { SyncCounts } from '@f1/db/ingestion/sync';

export interface RunSummary extends SyncCounts {
  /** Requests made to the source (0 for CSV imports). */
  requests: number;
  /** HTTP 429 answers received. */
  throttled: number;
  retries: number;
  elapsedMs: number;
  /** Per-table counts, when the verb reports them. */
  tables?: Record<string, SyncCounts>;
  failures?: string[];
}

const pad = (text: string | number, width: number) => String(text).padStart(width);

export function formatSummary(summary: RunSummary): string {
  const lines: string[] = [];
  if (summary.tables) {
    lines.push(
      `${'table'.padEnd(20)}${pad('created', 9)}${pad('updated', 9)}${pad('deleted', 9)}${pad('unchanged', 11)}`,
    );
    for (const [table, c] of Object.entries(summary.tables)) {
      lines.push(
        `${table.padEnd(20)}${pad(c.created, 9)}${pad(c.updated, 9)}${pad(c.deleted, 9)}${pad(c.unchanged, 11)}`,
      );
    }
  }
  lines.push(
    `rows: ${summary.created} created, ${summary.updated} updated, ${summary.deleted} deleted, ${summary.unchanged} unchanged`,
    `requests: ${summary.requests}, 429s: ${summary.throttled}, retries: ${summary.retries}, time: ${(summary.elapsedMs / 1000).toFixed(1)} s`,
  );
  for (const failure of summary.failures ?? []) lines.push(`FAILED ${failure}`);
  return `${lines.join('\n')}\n`;
}

/** The source-traffic part of a summary: the client's request counts and the time since `started`. */
export function sourceTraffic(
  client: { stats: { requests: number; throttled: number; retries: number } },
  started: number,
): Pick<RunSummary, 'requests' | 'throttled' | 'retries' | 'elapsedMs'> {
  const { requests, throttled, retries } = client.stats;
  return { requests, throttled, retries, elapsedMs: performance.now() - started };
}
