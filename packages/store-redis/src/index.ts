export type { RedisClient } from "./db/commands.js";
export { KeyLayout } from "./db/keys.js";
export { SAFE_EVICTION_POLICY } from "./db/safety-checks.js";
export { storeLoader } from "./loader.js";
export {
  DEFAULT_PREFIX,
  type RedisClientOptions,
  type RedisSchedulerOptions,
  type RedisUrlOptions,
  type TimeSource,
} from "./options.js";
export { RedisScheduler } from "./redis-scheduler.js";
