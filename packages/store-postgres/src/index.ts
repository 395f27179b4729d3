export { storeLoader } from "./loader.js";
export type { PostgresSchedulerOptions, TimeSource } from "./options.js";
export { PostgresScheduler } from "./postgres-scheduler.js";
export type { TransactionDatabase } from "./verbs/transactional-step.js";
