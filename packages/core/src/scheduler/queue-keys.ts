/**
 * The `concurrencyKey`s of a queue's executions (`ListFilter.queue`) as a range, for an index scan:
 * exactly `exact` (a queue without a key function), or from `low` (inclusive) to `high`
 * (exclusive) in binary order: `exact + "\n"` to `exact + "\u000b"`, the character after `"\n"`.
 */
export function queueKeyRange(queue: string): { exact: string; low: string; high: string } {
  const exact = `queue:${queue}`;
  return { exact, low: `${exact}\n`, high: `${exact}\u000b` };
}

/** Whether an execution with `concurrencyKey` belongs to `queue` (for stores that scan). */
export function inQueue(concurrencyKey: string | undefined, queue: string): boolean {
  if (concurrencyKey === undefined) return false;
  const { exact, low } = queueKeyRange(queue);
  return concurrencyKey === exact || concurrencyKey.startsWith(low);
}
