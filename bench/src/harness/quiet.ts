/** Runs `fn` with `console.log` / `console.info` muted (libraries that print banners on setup). */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const { log, info } = console;
  console.log = () => {};
  console.info = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
    console.info = info;
  }
}
