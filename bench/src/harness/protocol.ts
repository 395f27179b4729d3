/** Messages between the harness and a worker process (Node IPC). */
import type { SystemEnv } from "../systems/types.js";

export interface WorkerSpec {
  system: string;
  env: SystemEnv;
  concurrency: number;
  index: number;
}

/** A mark on the wire: [kind, id, t] or [kind, id, t, value]. */
export type WireMark = [string, string, number] | [string, string, number, number];

export type ToWorker = { t: "go" } | { t: "stop" };

export type FromWorker =
  | { t: "ready" }
  | { t: "started" }
  | { t: "marks"; m: WireMark[] }
  | { t: "error"; message: string }
  | { t: "stopped" };
