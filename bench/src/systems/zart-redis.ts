import type { Scheduler } from "@zart/core";
import { cleanRedisPrefix, REDIS_URL } from "../harness/services.js";
import { constructorOf, zartAdapter } from "./zart-adapter.js";

type RedisSchedulerClass = new (options: { url: string; prefix: string }) => Scheduler;

const PREFIX = "zbench-zart:";

/** `RedisScheduler` under its own key prefix, workers in separate processes. */
export const adapter = zartAdapter({
  name: "zart-redis",
  packageName: "@zart/store-redis",
  inProcess: false,
  multiProcess: true,
  settings: `RedisScheduler, prefix "${PREFIX}", store defaults (Lua scripts, pub/sub wake-ups)`,
  async reset(tag) {
    await cleanRedisPrefix(PREFIX);
    return { system: "zart-redis", tag, redisUrl: REDIS_URL, prefix: PREFIX };
  },
  create: (module, env) =>
    new (constructorOf<RedisSchedulerClass>(module, "RedisScheduler", "@zart/store-redis"))({
      url: env.redisUrl ?? REDIS_URL,
      prefix: env.prefix ?? PREFIX,
    }),
});
