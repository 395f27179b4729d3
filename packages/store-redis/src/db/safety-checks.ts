import { type Logger, StoreUnavailableError } from "@zart/core";
import type { RedisClient } from "./commands.js";

/** The only `maxmemory-policy` under which Redis never deletes keys on its own. */
export const SAFE_EVICTION_POLICY = "noeviction";

/** Servers already warned about, per logger: the persistence warning is printed once per process. */
const warned = new WeakMap<Logger, Set<string>>();

/**
 * Checks, before the store is used, that the server will not lose data on its own:
 *
 * - `maxmemory-policy` must be `noeviction`: any other policy lets Redis delete keys under memory
 *   pressure (`volatile-*` ones only keys with a TTL, which Zart never sets, but a policy is a server
 *   setting shared with other applications and one config change away from `allkeys-*`), and a
 *   deleted row, step or index entry means a lost execution. Otherwise → `StoreUnavailableError`
 *   naming the policy to set.
 * - Persistence: when neither RDB snapshots nor AOF are on, a warning (once per server and logger)
 *   explains what a restart would lose. Zart still runs: that can be right for tests and demos.
 *
 * `CONFIG` is often disabled on managed Redis; the checks then read `INFO` (which reports the
 * eviction policy and AOF, not RDB: the persistence warning is skipped when it cannot be known).
 * When neither is readable the check is skipped with a warning rather than refusing to run.
 */
export async function checkServerSafety(client: RedisClient, logger: Logger, server: string): Promise<void> {
  const config = await readConfig(client);
  const info = config === undefined ? await readInfo(client) : undefined;
  const policy = config?.policy ?? info?.policy;
  if (policy === undefined) {
    warnOnce(
      logger,
      `${server}#unverified`,
      `could not read the Redis eviction policy (CONFIG and INFO are unavailable); make sure maxmemory-policy is "${SAFE_EVICTION_POLICY}" or Redis may delete Zart's keys under memory pressure`,
    );
    return;
  }
  if (policy !== SAFE_EVICTION_POLICY) {
    throw new StoreUnavailableError(
      `Redis at ${server} has maxmemory-policy "${policy}", which lets Redis evict keys and would silently lose executions. ` +
        `Set maxmemory-policy to "${SAFE_EVICTION_POLICY}" (CONFIG SET maxmemory-policy ${SAFE_EVICTION_POLICY}, redis.conf, or your provider's settings).`,
      { details: { policy, required: SAFE_EVICTION_POLICY } },
    );
  }
  const persistent = config === undefined ? (info?.aof ? true : undefined) : config.rdb || config.aof;
  if (persistent === false) {
    warnOnce(
      logger,
      server,
      `Redis at ${server} has persistence off (no RDB snapshots: save "", no AOF: appendonly no). ` +
        "A Redis restart will lose every execution, step result, pending event and scheduled wake-up: running workflows vanish and sleeping ones never resume. " +
        'Enable "appendonly yes" (recommended, with appendfsync everysec) or RDB snapshots for anything but tests.',
    );
  }
}

interface ConfigFacts {
  policy: string;
  rdb: boolean;
  aof: boolean;
}

/** `CONFIG GET` of the three settings, or `undefined` when CONFIG is disabled, renamed or denied. */
async function readConfig(client: RedisClient): Promise<ConfigFacts | undefined> {
  try {
    const get = async (name: string) => {
      const reply = (await client.call("CONFIG", "GET", name)) as string[];
      return reply[1];
    };
    const policy = await get("maxmemory-policy");
    if (policy === undefined) return undefined;
    const save = (await get("save")) ?? "";
    const aof = (await get("appendonly")) ?? "no";
    return { policy, rdb: save.trim() !== "", aof: aof === "yes" };
  } catch (error) {
    if (isCommandRefused(error)) return undefined;
    throw error;
  }
}

/** The eviction policy and AOF state from `INFO`, or `undefined` when INFO is refused too. */
async function readInfo(client: RedisClient): Promise<{ policy?: string; aof: boolean } | undefined> {
  try {
    const text =
      String(await client.call("INFO", "memory")) + String(await client.call("INFO", "persistence"));
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, "m").exec(text)?.[1]?.trim();
    const policy = field("maxmemory_policy");
    return { ...(policy === undefined ? {} : { policy }), aof: field("aof_enabled") === "1" };
  } catch (error) {
    if (isCommandRefused(error)) return undefined;
    throw error;
  }
}

/** A reply saying the command is unknown (renamed/disabled) or not allowed (ACL). */
function isCommandRefused(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /unknown command|NOPERM|no permissions|not allowed|disabled|ERR unknown/i.test(message);
}

function warnOnce(logger: Logger, server: string, message: string): void {
  let servers = warned.get(logger);
  if (servers === undefined) {
    servers = new Set();
    warned.set(logger, servers);
  }
  if (servers.has(server)) return;
  servers.add(server);
  logger.warn({}, message);
}
