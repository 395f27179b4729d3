import { ValidationError } from "@zart/core";

/**
 * The key layout of one Zart keyspace. Every key starts with `prefix` followed by one hash tag,
 * `{<prefix without its trailing ":">}`, so all keys of a keyspace live in ONE Redis Cluster slot:
 *
 * ```text
 * zart:{zart}:row:<id>          hash    the execution row (fields of ExecutionRecord + fencing token,
 *                                       last request, position of the parked event wait)
 * zart:{zart}:steps:<id>        hash    position → step JSON (a parallel child also keeps its lease token)
 * zart:{zart}:unsettled:<id>    set     positions of the parallel children not settled yet
 * zart:{zart}:events:<id>       list    the mailbox in offer order (event JSON)
 * zart:{zart}:mailbox:<id>      hash    event name → list indexes of its unconsumed events, FIFO
 * zart:{zart}:ikeys:<id>        hash    idempotency key → event sequence
 * zart:{zart}:offers:<id>       hash    request id of each accepted offer → event sequence
 * zart:{zart}:runs:<id>         hash    run number → JSON snapshot of a replaced run's details
 * zart:{zart}:due               zset    due work scored by wake time (ms): "<id>" or "<id>\n<position>"
 * zart:{zart}:created           zset    every execution, scored by -createdAt (newest first, then id)
 * zart:{zart}:status:<s>        zset    executions by status, scored by -createdAt
 * zart:{zart}:task:<t>          zset    executions by task name, scored by -createdAt
 * zart:{zart}:task-status:<s>:<t> zset  executions by status and task name, scored by -createdAt
 * zart:{zart}:version:<v>       zset    executions by task version, scored by -createdAt
 * zart:{zart}:queue:<q>         zset    executions of queue q (concurrencyKey "queue:<q>[\n<key>]"), by -createdAt
 * zart:{zart}:conc:<key>        zset    executions that may hold a lease of concurrency group <key>
 * zart:{zart}:ended:<s>         zset    terminal executions by status, scored by completedAt (purge)
 * zart:{zart}:run-ended:<s>     zset    archived runs ("<id>\n<run>") by status, scored by completedAt
 * zart:{zart}:workers           hash    worker id → JSON of its registry row (no heartbeat)
 * zart:{zart}:worker-beats      hash    worker id → last heartbeat (ms)
 * zart:{zart}:pause-rules       hash    rule id → JSON of the pause rule (times in ms)
 * zart:{zart}:meta              hash    schema version
 * zart:{zart}:wake              channel wake-ups ("<reason>:<id>")
 * ```
 *
 * Why one slot: every state change moves an execution between global indexes (the due set, the
 * status indexes) in the same atomic step, and a Lua script may only touch keys of one slot in
 * Cluster. Per-execution slots would force a non-atomic second write for the indexes (a crash
 * between the two would lose work). So a keyspace lives on one shard; use several prefixes to
 * spread independent keyspaces over a Cluster.
 */
export class KeyLayout {
  /** The common start of every key: `<prefix>{<tag>}:`. */
  readonly base: string;

  constructor(readonly prefix: string) {
    if (/[{}]/.test(prefix)) {
      throw new ValidationError(`The Redis key prefix "${prefix}" must not contain "{" or "}".`);
    }
    const tag = prefix.replace(/:+$/, "") || "zart";
    this.base = `${prefix}{${tag}}:`;
  }

  /** The execution row of `executionId` (also the key that routes per-execution scripts). */
  row(executionId: string): string {
    return `${this.base}row:${executionId}`;
  }

  /** The due set (also the key that routes claim, list and purge). */
  get due(): string {
    return `${this.base}due`;
  }

  /** The schema metadata hash. */
  get meta(): string {
    return `${this.base}meta`;
  }

  /** The pub/sub channel carrying wake-ups. */
  get channel(): string {
    return `${this.base}wake`;
  }

  /** A glob matching every key of this keyspace (for test cleanup with SCAN only; never used by the store). */
  get pattern(): string {
    return `${this.base.replace(/[*?[\]\\]/g, "\\$&")}*`;
  }
}
