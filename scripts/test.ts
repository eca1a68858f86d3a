/**
 * `bun run test`: `bun test` (coverage gate from bunfig.toml) with the arguments given, and — when it
 * fails — the failed tests listed once more at the very end, after the coverage table.
 *
 * Bun prints each failure where it happens, hundreds of lines above the end of a 10-minute run; a log
 * that keeps only its tail (CI summaries do) would otherwise say "1 fail" and not which. The list comes
 * from Bun's own JUnit report (tests/artifacts/junit.xml, kept as an artefact); the exit code is Bun's.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type FailedTest, failedTests } from './test-failures';

const report = path.join('tests', 'artifacts', 'junit.xml');
mkdirSync(path.dirname(report), { recursive: true });
// An earlier run's report must never be read as this one's.
rmSync(report, { force: true });
const child = Bun.spawn(
  ['bun', 'test', '--reporter=junit', `--reporter-outfile=${report}`, ...process.argv.slice(2)],
  { stdio: ['inherit', 'inherit', 'inherit'] },
);
const code = await child.exited;
if (code !== 0) {
  let failed: FailedTest[] = [];
  try {
    failed = failedTests(readFileSync(report, 'utf8'));
  } catch {
    // No report (Bun stopped before writing it): its own output above is all there is.
  }
  if (failed.length > 0) {
    console.error(`\n${failed.length} failed test(s), from ${report}:`);
    for (const f of failed) console.error(`  (fail) ${f.file}: ${f.name}\n         ${f.message}`);
  }
}
process.exit(child.signalCode ? 1 : code);
