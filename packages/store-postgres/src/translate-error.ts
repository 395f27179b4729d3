import { StoreUnavailableError, ZartError } from "@zart/core";

/** Socket-level failures: the server is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs meaning "the server cannot serve this connection now": class 08 (connection exception),
 * 57P01-03 (admin/crash shutdown, cannot connect now), 53300 (too many connections), 25006 (a
 * read-only server: a demoted primary or a standby after a failover), 53100 (disk full).
 */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300", "25006", "53100"]);

/** SQLSTATEs meaning the schema is missing: `migrate()` has not been run. */
const NOT_MIGRATED_STATES = new Set(["42P01", "3F000"]);

/** Messages node-postgres uses for a connection that died or could not be made. */
const CONNECTION_MESSAGES = [
  "Connection terminated",
  "connection error",
  "not queryable",
  "timeout exceeded when trying to connect",
  "Cannot use a pool after calling end",
  "terminating connection",
];

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The driver error behind `error` (drizzle wraps them in `DrizzleQueryError`). */
function rootOf(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (codeOf(current) !== undefined || current.cause === undefined) return current;
    current = current.cause;
  }
  return current;
}

/**
 * True when `error` means the connection failed or the server is unavailable. For a write, the
 * commit outcome is then unknown: it may or may not have been applied.
 */
export function isConnectionError(error: unknown): boolean {
  const root = rootOf(error);
  const code = codeOf(root);
  if (code !== undefined) {
    // Class 08 is connection exceptions, except 08P01 (protocol violation): a programming error.
    const connectionClass = code.startsWith("08") && code !== "08P01";
    if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || connectionClass) return true;
  }
  const message = root instanceof Error ? root.message : String(root);
  return CONNECTION_MESSAGES.some((fragment) => message.includes(fragment));
}

/**
 * Translates a driver error at the store boundary: connection faults and a missing schema become
 * `StoreUnavailableError` (with the driver error as `cause`); `ZartError`s pass through; anything
 * else (a bug, a constraint we did not expect) is rethrown as is.
 */
export function translateError(error: unknown, schema: string): unknown {
  if (error instanceof ZartError) return error;
  if (isConnectionError(error)) {
    return new StoreUnavailableError(
      `PostgreSQL is unreachable or restarting (${describe(error)}); the call can be retried once it is back.`,
      { cause: error },
    );
  }
  const code = codeOf(rootOf(error));
  if (code !== undefined && NOT_MIGRATED_STATES.has(code)) {
    return new StoreUnavailableError(
      `The Zart tables are missing in schema "${schema}" (${describe(error)}); call scheduler.migrate() first.`,
      { cause: error },
    );
  }
  return error;
}

function describe(error: unknown): string {
  const root = rootOf(error);
  const code = codeOf(root);
  const message = root instanceof Error ? root.message : String(root);
  return code === undefined ? message : `${code}: ${message}`;
}
