export { storeLoader } from "./loader.js";
export type { SqliteSchedulerOptions, SqliteSource } from "./options.js";
export { SqliteScheduler } from "./sqlite-scheduler.js";
