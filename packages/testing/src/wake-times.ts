import type { DurableScheduler } from "@zart/core";

const PAGE = 1000;

/**
 * The earliest time after `now` at which an unfinished execution (or one of its steps: a sleep, an
 * event timeout, a retry) becomes due; `undefined` when nothing waits on time.
 */
export async function nextWakeAt(client: DurableScheduler, now: Date): Promise<Date | undefined> {
  let next: number | undefined;
  const consider = (date: Date | undefined) => {
    const t = date?.getTime();
    if (t !== undefined && t > now.getTime() && (next === undefined || t < next)) next = t;
  };
  for (const status of ["pending", "waiting"] as const) {
    for (let offset = 0; ; offset += PAGE) {
      const page = await client.listExecutions({ status, limit: PAGE, offset });
      for (const execution of page) {
        consider(execution.wakeAt);
        for (const step of execution.steps) if (step.status !== "completed") consider(step.wakeAt);
      }
      if (page.length < PAGE) break;
    }
  }
  return next === undefined ? undefined : new Date(next);
}
