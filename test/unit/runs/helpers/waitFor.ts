/** Polls until `check` returns a truthy value; fails with `what` after a generous limit (not a speed check). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, limitMs = 20_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
