export type { MultiProcessOptions, SchedulerOpener } from "./options.js";
export { multiProcessSuite } from "./suite.js";
