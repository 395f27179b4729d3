import { randomUUID } from "node:crypto";
import {
  type DueSchedulesRequest,
  ScheduleAlreadyExistsError,
  type ScheduleListFilter,
  type ScheduleWrite,
  type StoredSchedule,
} from "@zart/core/store";
import { millis } from "./args.js";
import type { ScriptExecutor } from "./executor.js";

/** The schedule verbs of `RedisScheduler` over its scripts (see `scripts/schedules.ts`). */
export class ScheduleVerbs {
  constructor(
    readonly executor: ScriptExecutor,
    readonly origin: string,
  ) {}

  async create(schedule: StoredSchedule): Promise<void> {
    const created = await this.executor.runGlobal("createSchedule", [
      schedule.scheduleId,
      schedule.taskName,
      schedule.dueAt ? millis(schedule.dueAt) : "",
      String(schedule.version),
      schedule.body,
    ]);
    if (created !== 1) throw new ScheduleAlreadyExistsError(schedule.scheduleId);
  }

  /** Returns the ids of the executions created, or `undefined` when the version did not match. */
  async write(write: ScheduleWrite, now: Date): Promise<string[] | undefined> {
    const { schedule } = write;
    const reply = (await this.executor.runGlobal("writeSchedule", [
      schedule.scheduleId,
      schedule.taskName,
      schedule.dueAt ? millis(schedule.dueAt) : "",
      String(schedule.version),
      schedule.body,
      String(write.expectedVersion),
      millis(now),
      this.origin,
      randomUUID(),
      ...write.start.flatMap((s) => [s.executionId, s.taskName, s.payload, millis(s.runAt)]),
    ])) as [number, ...string[]];
    return reply[0] === 1 ? reply.slice(1).map(String) : undefined;
  }

  async delete(scheduleId: string): Promise<boolean> {
    return (await this.executor.runGlobal("deleteSchedule", [scheduleId])) === 1;
  }

  async get(scheduleId: string): Promise<StoredSchedule | undefined> {
    return (await this.#read(["get", scheduleId]))[0];
  }

  list(filter: ScheduleListFilter): Promise<StoredSchedule[]> {
    return this.#read(["list", String(filter.offset), String(filter.limit)]);
  }

  due(request: DueSchedulesRequest): Promise<StoredSchedule[]> {
    if (request.taskNames.length === 0) return Promise.resolve([]);
    return this.#read(["due", millis(request.now), String(request.limit), ...request.taskNames]);
  }

  async #read(args: string[]): Promise<StoredSchedule[]> {
    const rows = (await this.executor.runGlobal("readSchedules", args)) as string[][];
    return rows.map(([scheduleId, taskName, dueAt, version, body]) => ({
      scheduleId: String(scheduleId),
      taskName: String(taskName),
      ...(dueAt ? { dueAt: new Date(Number(dueAt)) } : {}),
      version: Number(version),
      body: String(body),
    }));
  }
}
