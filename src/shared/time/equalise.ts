/**
 * Runs `work` and answers no sooner than `floorMs` after it started, whether it succeeded or
 * failed: answers that do different work for existing and unknown accounts (sign-up, login,
 * password reset) then take the same time, and timing tells nothing (issue 12, item 3).
 */
export async function atLeast<T>(floorMs: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const wait = () => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, floorMs - (performance.now() - started))));
  try {
    const result = await work();
    await wait();
    return result;
  } catch (err) {
    await wait();
    throw err;
  }
}
