#!/usr/bin/env bun
/** Entry point of `bun run ingest …` (see ./run-cli.ts). */
import { runCli } from './run-cli.ts';

const io = {
  stdout: { write: (t: string) => process.stdout.write(t), isTTY: Boolean(process.stdout.isTTY) },
  stderr: { write: (t: string) => process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY) },
};
// First SIGINT/SIGTERM: finish the round being written, then stop (exit 1; a rerun completes the rest).
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`${signal}: stopping after the current round\n`);
    controller.abort(signal);
  });
}
process.exitCode = await runCli(process.argv.slice(2), io, { signal: controller.signal });
