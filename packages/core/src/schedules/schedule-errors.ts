import { ZartError } from "../errors.js";

/** `schedules.create` with a `scheduleId` already in use (HTTP 409). Nothing is stored. */
export class ScheduleAlreadyExistsError extends ZartError {
  constructor(readonly scheduleId: string) {
    super(
      "SCHEDULE_ALREADY_EXISTS",
      `Schedule "${scheduleId}" already exists; update it, delete it first, or use another id.`,
      { details: { scheduleId } },
    );
  }
}

/** No schedule with this id (HTTP 404). */
export class ScheduleNotFoundError extends ZartError {
  constructor(readonly scheduleId: string) {
    super("SCHEDULE_NOT_FOUND", `No schedule "${scheduleId}".`, { details: { scheduleId } });
  }
}
