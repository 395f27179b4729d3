import type { ExecutionState } from "../api/client.js";

/** Completed, failed and cancelled executions never change again. */
export const isTerminal = (status: ExecutionState): boolean =>
  status === "completed" || status === "failed" || status === "cancelled";
