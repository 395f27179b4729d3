export { CommandFailed, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from "./cli-error.js";
export { ApprovalDecision, approvalTask, exampleTasks, helloTask } from "./examples/index.js";
export { formatList, formatStatus } from "./format-status.js";
export { loadTaskModules } from "./load-tasks.js";
export { type OpenedStore, type OpenStoreOptions, openStore } from "./open-store.js";
export { colorEnabled } from "./output.js";
export { createProgram } from "./program.js";
export { Progress, type ProgressStream } from "./progress.js";
export { runCli } from "./run.js";
export { serveHint } from "./serve-hint.js";
export { findStoreLoader, KNOWN_STORES, type StoreLookup, storeModules } from "./store-registry.js";
export {
  type DatabaseUrl,
  DEFAULT_DATABASE_URL,
  databaseUrl,
  parseDatabaseUrl,
  redact,
} from "./store-url.js";
export { VERSION } from "./version.js";
