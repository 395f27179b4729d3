import { type Logger, type Scheduler, silentLogger } from "@zart/core";
import { cleanRedisPrefix, REDIS_URL } from "../harness/services.js";
import { slotted } from "./types.js";
import { constructorOf, zartAdapter } from "./zart-adapter.js";

type RedisSchedulerClass = new (options: { url: string; prefix: string; logger: Logger }) => Scheduler;

/** Drops the store's warning that this Redis has persistence off (the report says so once). */
const logger: Logger = { ...silentLogger, error: (message) => console.error(`[zart] ${message}`) };

const PREFIX = "zbench-zart:";

/** `RedisScheduler` under its own key prefix, workers in separate processes. */
export const adapter = zartAdapter({
  name: "zart-redis",
  packageName: "@zart/store-redis",
  inProcess: false,
  multiProcess: true,
  settings: `RedisScheduler, prefix "${PREFIX}", store defaults (Lua scripts, pub/sub wake-ups); the server has persistence off, as for BullMQ`,
  async reset(tag, slot) {
    const prefix = `${slotted(PREFIX.slice(0, -1), slot, "-")}:`;
    await cleanRedisPrefix(prefix);
    return { system: "zart-redis", tag, redisUrl: REDIS_URL, prefix };
  },
  create: (module, env) =>
    new (constructorOf<RedisSchedulerClass>(module, "RedisScheduler", "@zart/store-redis"))({
      url: env.redisUrl ?? REDIS_URL,
      prefix: env.prefix ?? PREFIX,
      logger,
    }),
});
