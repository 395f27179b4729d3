/**
 * The `concurrencyKey`s of a queue's executions (`ListFilter.queue`) as one range, for an index
 * scan in binary order: from `low` = `queue:<name>` (inclusive) to `high` = `low + "\u000b"`
 * (exclusive). It holds the queue's own key and every `low + "\n" + key` (`"\u000b"` follows
 * `"\n"`), and nothing else: queue names hold no control characters, so no other queue's key
 * continues `low` with a character below `"\u000b"`.
 */
export function queueKeyRange(queue: string): { low: string; high: string } {
  const low = `queue:${queue}`;
  return { low, high: `${low}\u000b` };
}

/** Whether an execution with `concurrencyKey` belongs to `queue` (for stores that scan). */
export function inQueue(concurrencyKey: string | undefined, queue: string): boolean {
  if (concurrencyKey === undefined) return false;
  const { low, high } = queueKeyRange(queue);
  return concurrencyKey >= low && concurrencyKey < high;
}
