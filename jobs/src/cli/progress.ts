/**
 * Progress for long runs: a redrawn bar on a terminal, plain log lines otherwise (CI, pipes, cron).
 */
export interface Progress {
  /** Starts a phase of `total` steps. */
  start(label: string, total: number): void;
  /** One step done, with a note (e.g. "round 5: 20 results"). */
  tick(note: string): void;
  /** A line that must be seen (a warning, a failed round). */
  log(line: string): void;
  done(): void;
}

export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

const BAR_WIDTH = 24;

export function createProgress(out: Output): Progress {
  let label = '';
  let total = 0;
  let current = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) out.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = (note: string) => {
    const filled = total > 0 ? Math.round((current / total) * BAR_WIDTH) : BAR_WIDTH;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    clear();
    out.write(`${label} ${bar} ${current}/${total} ${note}`.slice(0, 120));
    drawn = true;
  };
  return {
    start(newLabel, newTotal) {
      clear();
      label = newLabel;
      total = newTotal;
      current = 0;
      if (out.isTTY) draw('');
      else out.write(`${label}: ${total} step(s)\n`);
    },
    tick(note) {
      current++;
      if (out.isTTY) draw(note);
      else out.write(`${label} ${current}/${total} ${note}\n`);
    },
    log(line) {
      clear();
      out.write(`${line}\n`);
      if (out.isTTY && total > 0 && current < total) draw('');
    },
    done() {
      if (out.isTTY && drawn) {
        clear();
        out.write(`${label} ${'█'.repeat(BAR_WIDTH)} ${current}/${total}\n`);
      }
      total = 0;
    },
  };
}
