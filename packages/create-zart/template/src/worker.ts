import { type Scheduler, TaskRegistry, Worker } from "@zart/core";
import { welcomeTask } from "./tasks.js";

export const registry = new TaskRegistry().register(welcomeTask);

/** A worker claims and runs the executions of the tasks in its registry. Run as many as you like. */
export async function startWorker(scheduler: Scheduler): Promise<Worker> {
  const worker = new Worker({ scheduler, registry, concurrency: 10 });
  await worker.start();
  return worker;
}
