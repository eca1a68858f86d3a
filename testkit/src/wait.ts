/**
 * Polls `check` until it holds; throws after `timeoutMs`. For outcomes another process or a background
 * task brings about: the deadline is generous, the poll short, so a loaded machine only waits longer.
 */
export async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await Bun.sleep(25);
  }
}
