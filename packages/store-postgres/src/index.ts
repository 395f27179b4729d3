export { storeLoader } from "./loader.js";
export type { PostgresSchedulerOptions } from "./options.js";
export { PostgresScheduler } from "./postgres-scheduler.js";
