#!/usr/bin/env bun
/** Entry point of `bun run ingest …` (see ./run-cli.ts). */
import { runCli } from './run-cli.ts';

const io = {
  stdout: { write: (t: string) => process.stdout.write(t), isTTY: Boolean(process.stdout.isTTY) },
  stderr: { write: (t: string) => process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY) },
};
process.exitCode = await runCli(process.argv.slice(2), io);
