import type pg from "pg";

/** The parts of a node-postgres client used to send queries back to back (absent on pg-native and old pg). */
interface PipelineCapable {
  pipeline?: unknown;
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
}

/**
 * Sends `queries` on `client` one behind the other without waiting for each answer, and settles
 * with each one's outcome, in order: in ONE write and one round trip where node-postgres has
 * pipeline mode (switched on for these queries only, back off once all are answered), else queued
 * by the client as usual (one round trip each). Either way the server runs each query even when an
 * earlier one failed: one that must not take effect after a failure relies on the transaction
 * being aborted by it (a `COMMIT` in an aborted transaction rolls back).
 */
export async function sendTogether(
  client: pg.ClientBase,
  queries: pg.QueryConfig[],
): Promise<PromiseSettledResult<pg.QueryResult>[]> {
  const capable = client as unknown as PipelineCapable;
  const stream = capable.connection?.stream;
  if (capable.pipeline !== false || !stream?.cork || !stream.uncork) {
    return Promise.allSettled(queries.map((query) => client.query(query)));
  }
  capable.pipeline = true;
  stream.cork();
  let sent: Promise<pg.QueryResult>[];
  try {
    sent = queries.map((query) => client.query(query));
  } finally {
    stream.uncork();
  }
  try {
    return await Promise.allSettled(sent);
  } finally {
    // Back to one query at a time only once nothing is in flight: pg's queues depend on the mode.
    capable.pipeline = false;
  }
}
