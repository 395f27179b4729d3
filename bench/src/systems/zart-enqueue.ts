/**
 * How the bench enqueues many Zart executions: `DurableScheduler.startMany` (one statement per
 * batch) when the @zart/core being measured has it, else concurrent `start()` calls. Detected at
 * run time, so the bench picks `startMany` up as soon as it lands, without a change here.
 */
import { DurableScheduler } from "@zart/core";
import { chunks, forEachLimit } from "../harness/limit.js";
import type { TaskInput, TaskKind } from "../tasks.js";

/** One item of `startMany`, as the API is specified (issue #20). */
interface StartManyItem {
  executionId: string;
  taskName: string;
  data: unknown;
}

interface BatchStarter {
  startMany(items: readonly StartManyItem[]): Promise<unknown>;
}

/** `start()` calls in flight at once when there is no `startMany`. */
const CONCURRENT_STARTS = 16;
/** Items per `startMany` call. */
const BATCH = 1000;

/** Not a type guard: with a @zart/core that has `startMany`, the other branch would narrow to `never`. */
function hasStartMany(durable: object): boolean {
  return typeof (durable as Partial<BatchStarter>).startMany === "function";
}

/** Which enqueue path this @zart/core gives, for the report's settings column. */
export const ENQUEUE_METHOD = hasStartMany(DurableScheduler.prototype)
  ? `enqueue: DurableScheduler.startMany, ${BATCH} per call`
  : `enqueue: concurrent DurableScheduler.start() calls, ${CONCURRENT_STARTS} in flight (no startMany in this @zart/core)`;

/** Starts one `kind` execution per input, under the input's id. */
export async function enqueue(durable: DurableScheduler, kind: TaskKind, inputs: TaskInput[]): Promise<void> {
  if (hasStartMany(durable)) {
    const starter = durable as unknown as BatchStarter;
    for (const part of chunks(inputs, BATCH)) {
      await starter.startMany(part.map((data) => ({ executionId: data.id, taskName: kind, data })));
    }
    return;
  }
  await forEachLimit(inputs, CONCURRENT_STARTS, async (input) => {
    await durable.start(input.id, kind, input);
  });
}
