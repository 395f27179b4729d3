import { type StoreLoader, takeUrlParam } from "@zart/core/store";
import { RedisScheduler } from "./redis-scheduler.js";

/** Opens `redis://…` / `rediss://…`; `?prefix=name:` picks the key prefix (default `zart:`). */
export const storeLoader: StoreLoader = {
  schemes: ["redis", "rediss"],
  open(url, options = {}) {
    const { url: redisUrl, value: prefix } = takeUrlParam(url.trim(), "prefix");
    return new RedisScheduler({
      url: redisUrl,
      ...(prefix ? { prefix } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  },
};
