import type { Scheduler } from "@zart/core";

/**
 * The default export of a store's opener module: opens a scheduler on the storage `config` names
 * (a URL, a file path, JSON…), in the test process and in every worker process the suite spawns.
 */
export type SchedulerOpener = (config: string) => Scheduler | Promise<Scheduler>;

/** How a store plugs into {@link multiProcessSuite}. */
export interface MultiProcessOptions {
  /** Shown in the suite title, e.g. `"postgres"`. */
  name: string;
  /**
   * The module (a file URL, e.g. `new URL("./support/opener.ts", import.meta.url)`) whose default
   * export is a {@link SchedulerOpener}. Worker processes run it with `node --import tsx`, so it
   * may be TypeScript.
   */
  opener: URL;
  /** Returns the config of a new, empty storage (before each test); the suite migrates it. */
  storage: () => Promise<string>;
  /** Drops a storage `storage()` returned (after its test). */
  dispose?: (config: string) => Promise<void>;
  /** Executions of the SIGKILL test (default 200; 5 steps each). */
  executions?: number;
}
