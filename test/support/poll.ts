/**
 * Reads `read()` every 25 ms until `done` holds for its value, and returns that value; after `timeoutMs`
 * throws with `what` and the last value (`describe` renders it), so a failure says what was seen instead.
 */
export async function pollUntil<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  what: string,
  { timeoutMs = 15_000, describe = (value: T) => JSON.stringify(value) } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms; last seen ${describe(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
