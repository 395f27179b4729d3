import type { Cluster, Redis } from "ioredis";
import { SCRIPTS, type ScriptName } from "../scripts/index.js";

/** An ioredis client: a single node (`Redis`) or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/** A command argument as the scripts receive it. */
export type ScriptArg = string | number;

type ScriptCommand = (routingKey: string, ...args: ScriptArg[]) => Promise<unknown>;

/**
 * Runs the store's Lua scripts on a client. Each script is defined once per client with ioredis
 * `defineCommand` (sent with EVALSHA, falling back to EVAL when the server lacks it, e.g. after a
 * restart or a failover). Command names are prefixed with `zart` so they never shadow a command of
 * a client the application passed in.
 */
export class Scripts {
  readonly #client: RedisClient;

  constructor(client: RedisClient) {
    this.#client = client;
    for (const script of Object.values(SCRIPTS)) {
      client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
    }
  }

  /** Runs script `name` with its routing key (`KEYS[1]`) and arguments (`ARGV`). */
  run(name: ScriptName, routingKey: string, args: ScriptArg[]): Promise<unknown> {
    const command = (this.#client as unknown as Record<string, ScriptCommand>)[SCRIPTS[name].name];
    if (command === undefined) throw new Error(`Script ${name} is not defined on the client.`);
    return command.call(this.#client, routingKey, ...args);
  }
}
