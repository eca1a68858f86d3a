/**
 * Every CLI as an operator runs it (a real process): `--help`/`-h` prints the usage on stdout and exits 0;
 * a wrong argument exits 2 naming the argument, what was expected and what was given, on stderr. All of
 * it happens before anything connects: the configured database is unreachable here, so a CLI that
 * tried to connect would fail otherwise (exit 1, a connection error).
 */
import { describe, expect, test } from 'bun:test';
import { run } from '@f1/testkit/processes';

/** Nothing listens on port 9 of this host: connecting is refused at once. */
const UNREACHABLE = {
  F1_ENVIRONMENT: 'test',
  F1_DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
};
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

function cli(args: string[], env: Record<string, string> = {}) {
  return run(['bun', ...args], {
    isolated: true,
    env: { ...UNREACHABLE, ...env },
    timeoutMs: 30_000,
  });
}

/** Runs the cases a few at a time (the machine is shared). */
async function all<T>(cases: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < cases.length; i += 3) {
    results.push(...(await Promise.all(cases.slice(i, i + 3).map((c) => c()))));
  }
  return results;
}

type Case = { args: string[]; code: number; stdout?: string[]; stderr?: string[] };

async function expectCases(cases: Case[]) {
  const results = await all(cases.map((c) => () => cli(c.args)));
  cases.forEach((c, i) => {
    const r = results[i];
    const seen = { args: c.args.join(' '), code: r?.code, stdout: r?.stdout, stderr: r?.stderr };
    expect(seen).toMatchObject({ args: c.args.join(' '), code: c.code });
    for (const text of c.stdout ?? []) expect(seen.stdout).toContain(text);
    for (const text of c.stderr ?? []) expect(seen.stderr).toContain(text);
  });
}

describe('CLI help and argument errors, before connecting', () => {
  test("ingest: --help, -h, a verb's page; wrong seasons, options and verbs exit 2 naming them", async () => {
    await expectCases([
      {
        args: ['run', 'ingest', '--help'],
        code: 0,
        stdout: ['usage: bun run ingest <command>', 'import-csv <dir>'],
      },
      { args: ['jobs/src/cli/main.ts', '-h'], code: 0, stdout: ['season <year> [--laps]'] },
      {
        args: ['run', 'ingest', 'season', '--help'],
        code: 0,
        stdout: ['usage: bun run ingest season <year> [--laps]', '--laps'],
      },
      {
        args: ['jobs/src/cli/main.ts', 'season', '1800'],
        code: 2,
        stderr: [
          `season <year> must be a season from 1950 to ${NEXT_YEAR}, got "1800"`,
          'ingest season --help',
        ],
      },
      {
        args: ['jobs/src/cli/main.ts', 'race', String(NEXT_YEAR + 1), '--round', '1'],
        code: 2,
        stderr: [`got "${NEXT_YEAR + 1}"`],
      },
      {
        args: ['jobs/src/cli/main.ts', 'race', '2024'],
        code: 2,
        stderr: ['race needs --round <n>'],
      },
      {
        args: ['jobs/src/cli/main.ts', 'season', '2024', '--csv', 'x'],
        code: 2,
        stderr: ['season does not take --csv'],
      },
      {
        args: ['jobs/src/cli/main.ts', 'season', '2024', '--bogus'],
        code: 2,
        stderr: ['unknown option --bogus'],
      },
      {
        args: ['jobs/src/cli/main.ts', 'fly'],
        code: 2,
        stderr: ['unknown command "fly": expected one of season'],
      },
    ]);
  }, 120_000);

  test('ingest: a bad configuration exits 2 naming the variable (arguments first)', async () => {
    const r = await cli(['jobs/src/cli/main.ts', 'season', '2024'], { F1_ERGAST_TIMEOUT: 'soon' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid configuration: F1_ERGAST_TIMEOUT');
  }, 30_000);

  test('backtest: help; out-of-range and reversed seasons and bad options exit 2 naming them', async () => {
    await expectCases([
      {
        args: ['run', 'backtest', '--help'],
        code: 0,
        stdout: ['usage: bun run backtest <from-season> <to-season>', '--report json'],
      },
      {
        args: ['run', 'backtest', '1800', '2024'],
        code: 2,
        stderr: [`<from-season> must be a season from 1950 to ${NEXT_YEAR}, got "1800"`],
      },
      {
        args: ['jobs/src/baseline/cli.ts', '2024', '2015'],
        code: 2,
        stderr: ['<from-season> (2024) must not be after <to-season> (2015)'],
      },
      {
        args: ['jobs/src/baseline/cli.ts', '2021', '2021', '--report', 'xml'],
        code: 2,
        stderr: ['--report must be one of table, json, got "xml"'],
      },
      {
        args: ['jobs/src/baseline/cli.ts', '2021'],
        code: 2,
        stderr: ['backtest takes <from-season> <to-season>, got 1 (2021)'],
      },
    ]);
  }, 120_000);

  test('ratings, jobs, db: help and named argument errors', async () => {
    await expectCases([
      { args: ['run', 'ratings', '-h'], code: 0, stdout: ['usage: bun run ratings [--runs <n>]'] },
      {
        args: ['jobs/src/ratings/cli.ts', '--runs', '0'],
        code: 2,
        stderr: ['--runs must be a whole number from 1 to 1000, got "0"'],
      },
      {
        args: ['run', 'jobs', '--help'],
        code: 0,
        stdout: ['usage: bun run jobs [--once <latest-round|'],
      },
      {
        args: ['jobs/src/scheduler/main.ts', '--once', 'bogus'],
        code: 2,
        stderr: [
          '--once must be one of latest-round, race-weekend, schedule, validate, queue, got "bogus"',
        ],
      },
      {
        args: ['jobs/src/scheduler/main.ts', '--bogus'],
        code: 2,
        stderr: ['unknown option --bogus'],
      },
      {
        args: ['run', 'db', '--help'],
        code: 0,
        stdout: ['usage: bun run db <command>', 'migrate', 'new <name>'],
      },
      {
        args: ['db/src/cli.ts', 'new', '--help'],
        code: 0,
        stdout: ['usage: bun run db new <name>', 'snake_case'],
      },
      {
        args: ['db/src/cli.ts', 'migrate', 'now'],
        code: 2,
        stderr: ['migrate takes no arguments, got 1 (now)'],
      },
    ]);
  }, 120_000);

  test('admin, sdk:pack, bench: help and named argument errors', async () => {
    await expectCases([
      {
        args: ['run', 'admin', '--help'],
        code: 0,
        stdout: ['usage: bun run admin <command>', 'revoke-api-key <id>'],
      },
      {
        args: ['server/src/auth/admin-cli.ts', 'create-api-key', '-h'],
        code: 0,
        stdout: ['--expires-days'],
      },
      {
        args: ['server/src/auth/admin-cli.ts', 'create-user', 'a@b.test', '--role', 'root'],
        code: 2,
        stderr: ['--role must be one of user, ml_service, admin, got "root"'],
      },
      {
        args: ['server/src/auth/admin-cli.ts', 'create-user', 'notanemail'],
        code: 2,
        stderr: ['create-user <email> must be an email address, got "notanemail"'],
      },
      {
        args: ['server/src/auth/admin-cli.ts', 'revoke-api-key', 'abc'],
        code: 2,
        stderr: ['<id>, got "abc"'],
      },
      {
        args: ['run', 'sdk:pack', '--help'],
        code: 0,
        stdout: ['usage: bun run sdk:pack [--destination <dir>]'],
      },
      {
        args: ['sdk/scripts/pack.ts', '--dest', 'x'],
        code: 2,
        stderr: ["Unknown option '--dest'"],
      },
      {
        args: ['run', 'bench', '--help'],
        code: 0,
        stdout: ['usage: bun run bench <name>', 'api [args…]'],
      },
      {
        args: ['tests/bench/run.ts', 'api', '--help'],
        code: 0,
        stdout: ['usage: bun run bench api', 'R_fast'],
      },
      {
        args: ['tests/bench/run.ts', 'nope'],
        code: 2,
        stderr: ['unknown command "nope": expected one of api'],
      },
    ]);
  }, 120_000);
});
