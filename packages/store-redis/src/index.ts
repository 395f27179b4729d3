export type { RedisClient } from "./commands.js";
export { KeyLayout } from "./keys.js";
export { storeLoader } from "./loader.js";
export {
  DEFAULT_PREFIX,
  type RedisClientOptions,
  type RedisSchedulerOptions,
  type RedisUrlOptions,
} from "./options.js";
export { RedisScheduler } from "./redis-scheduler.js";
export { SAFE_EVICTION_POLICY } from "./safety-checks.js";
