import { randomUUID } from "node:crypto";
import { type Logger, StoreUnavailableError } from "@zart/core";
import type { Lease } from "@zart/core/store";
import type { ScriptName } from "../scripts/index.js";
import { type ErrorContext, translateError } from "../translate-error.js";
import { type ScriptArg, Scripts } from "./commands.js";
import { type Connection, disconnect } from "./connection.js";
import type { KeyLayout } from "./keys.js";
import { checkServerSafety } from "./safety-checks.js";

/**
 * The key layout version this code reads and writes (kept in `<base>meta`). 2: run history
 * (`runs:<id>`, `run-ended:<status>`, the row's `run`); a layout-1 keyspace is read as is.
 */
const SCHEMA_VERSION = 2;

/**
 * Sets `schemaVersion` to ARGV[1] unless it is already at least that: 0 when it was set, else the
 * recorded version (one script: racing migrations and older processes see one order).
 */
const RAISE_VERSION = `
local current = tonumber(redis.call("HGET", KEYS[1], "schemaVersion") or "0")
if current >= tonumber(ARGV[1]) then return current end
redis.call("HSET", KEYS[1], "schemaVersion", ARGV[1])
return 0
`;

/**
 * Runs the store's scripts on its connection: runs the safety checks once before the first call,
 * passes the keyspace base as `ARGV[1]`, routes each script by its declared key, and translates
 * every failure into the core error classes. Refuses every call once closed.
 */
export class ScriptExecutor {
  readonly #connection: Connection;
  readonly #keys: KeyLayout;
  readonly #logger: Logger;
  readonly #scripts: Scripts;
  #checked: Promise<void> | undefined;
  #closed = false;

  constructor(connection: Connection, keys: KeyLayout, logger: Logger) {
    this.#connection = connection;
    this.#keys = keys;
    this.#logger = logger;
    this.#scripts = new Scripts(connection.client);
  }

  /**
   * Runs the safety checks again and records the key layout version, raising an older one (so an
   * older process refuses the keyspace); idempotent, safe from many processes at once. A keyspace
   * of a newer layout → `StoreUnavailableError`.
   */
  async migrate(): Promise<string[]> {
    await this.ready(true);
    try {
      const raised = (await this.#connection.client.eval(
        RAISE_VERSION,
        1,
        this.#keys.meta,
        SCHEMA_VERSION,
      )) as number;
      if (raised > SCHEMA_VERSION) {
        throw new StoreUnavailableError(
          `The Redis keyspace "${this.#keys.prefix}" was written by a newer @zart/store-redis (layout ${raised}); upgrade this process.`,
        );
      }
      return raised === 0 ? [`key layout ${SCHEMA_VERSION}`] : [];
    } catch (error) {
      throw translateError(error);
    }
  }

  /** One PING (no safety checks): `StoreUnavailableError` when unreachable or closed. */
  async ping(): Promise<void> {
    this.ensureOpen();
    try {
      await this.#connection.client.ping();
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Runs a per-execution script routed by the execution's row key: ARGV = base, …args. */
  async run(
    name: ScriptName,
    executionId: string,
    args: ScriptArg[],
    context: ErrorContext = { executionId },
  ): Promise<unknown> {
    await this.ready();
    try {
      return await this.#scripts.run(name, this.#keys.row(executionId), [this.#keys.base, ...args]);
    } catch (error) {
      throw translateError(error, context);
    }
  }

  /**
   * Runs a fenced script: ARGV = base, executionId, token, request id, …args; a stale token →
   * `LeaseLostError`. The fresh request id lets the script recognise a repeated delivery of this
   * very call (ioredis re-sends unanswered commands after a reconnect unless told not to).
   */
  fenced(name: ScriptName, lease: Lease, args: ScriptArg[]): Promise<unknown> {
    const context: ErrorContext = { executionId: lease.executionId, lease };
    return this.run(
      name,
      lease.executionId,
      [lease.executionId, lease.token, randomUUID(), ...args],
      context,
    );
  }

  /** Runs a script over the global indexes, routed by the due key: ARGV = base, …args. */
  async runGlobal(name: ScriptName, args: ScriptArg[]): Promise<unknown> {
    await this.ready();
    try {
      return await this.#scripts.run(name, this.#keys.due, [this.#keys.base, ...args]);
    } catch (error) {
      throw translateError(error);
    }
  }

  /**
   * The safety checks, run once before first use; run again after a failure (so fixing the server
   * needs no restart) and when `recheck` is set (`migrate()`).
   */
  ready(recheck = false): Promise<void> {
    this.ensureOpen();
    if (recheck) this.#checked = undefined;
    this.#checked ??= checkServerSafety(this.#connection.client, this.#logger, this.#connection.server).catch(
      (error: unknown) => {
        this.#checked = undefined;
        throw translateError(error);
      },
    );
    return this.#checked;
  }

  /** Throws `StoreUnavailableError` once closed. */
  ensureOpen(): void {
    if (this.#closed) {
      throw new StoreUnavailableError(
        "The scheduler is closed; create a new RedisScheduler to reach the same data again.",
      );
    }
  }

  /** Refuses further calls and closes the command connection if the store opened it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#connection.owned) await disconnect(this.#connection.client);
  }

  /** Whether `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }
}
