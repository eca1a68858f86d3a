import path from 'node:path';
import { freshDatabase } from '@f1/db/testing';
import { ingestSeason } from '@f1/jobs/ingest/season-ingestion';
import { SourceHttp } from '@f1/jobs/source/http';
import { JolpicaClient } from '@f1/jobs/source/jolpica-client';
import { FAKE_BASE_URL, fakeJolpica } from '@f1/jobs/source/testing';
import { MINI_EXPORT_DIR, sharedDataDir } from '@f1/jobs/testing';
import { setupServer } from 'msw/node';

const season = Number(process.argv[2] ?? 2021);
const dirs =
  season === 2021 && process.argv[3] === 'mini'
    ? [MINI_EXPORT_DIR]
    : [path.join(sharedDataDir(), 'ergast-csv')];
const fake = fakeJolpica({ exportDirs: dirs, seasons: [season] });
const server = setupServer(...fake.handlers);
server.listen({ onUnhandledRequest: 'error' });
const db = await freshDatabase('pglite');
const client = new JolpicaClient(
  new SourceHttp({
    timeoutMs: 5000,
    retryAttempts: 2,
    requestsPerSecond: 1000,
    hourlyBudget: 1000,
  }),
  FAKE_BASE_URL,
);
const t = performance.now();
const r = await ingestSeason({ db: db.db, client }, season);
console.log(
  Math.round(performance.now() - t),
  r.totals,
  r.failures,
  r.roundsWritten.length,
  client.stats,
  fake.requests.length,
);
console.log(fake.requests.join('\n'));
const r2 = await ingestSeason({ db: db.db, client }, season);
console.log(r2.totals, r2.changedRaces.length);
server.close();
await db.close();
