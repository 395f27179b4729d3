import type { TaskDefinition } from "@zart/core";
import { approvalTask } from "./approval-task.js";
import { helloTask } from "./hello-task.js";

export { ApprovalDecision, approvalTask } from "./approval-task.js";
export { helloTask } from "./hello-task.js";

/** The tasks `zart serve` registers when no `--tasks` are given. */
export const exampleTasks: readonly TaskDefinition[] = [approvalTask, helloTask] as readonly TaskDefinition[];
