import type { ComponentChildren } from "preact";
import { type ApiClient, type Schedule, unwrap } from "../api/client.js";
import { executionHref } from "../router.js";

/**
 * An operator action on one schedule: a button in its row that opens a confirm dialog, which
 * calls one HTTP route and tells the operator what happened.
 */
export interface ScheduleAction {
  id: "pause" | "resume" | "trigger" | "delete";
  label: string;
  /** Whether the button shows for this schedule. */
  available: (schedule: Schedule) => boolean;
  /** `danger` buttons are drawn red. */
  tone?: "danger";
  title: string;
  /** What happens, said in the dialog after the schedule's id. */
  explain: string;
  keep: string;
  confirm: string;
  /** Calls the route; resolves to the notice shown once it went through. */
  run: (api: ApiClient, schedule: Schedule) => Promise<ComponentChildren>;
}

const path = (schedule: Schedule) => ({ params: { path: { schedule_id: schedule.schedule_id } } });

/** The actions of a schedule's row, in button order. */
export const SCHEDULE_ACTIONS: readonly ScheduleAction[] = [
  {
    id: "pause",
    label: "Pause…",
    available: (schedule) => !schedule.paused,
    title: "Pause this schedule?",
    explain:
      "fires no more until you resume it; the fires that fall meanwhile are skipped, not caught up. Executions it already started carry on.",
    keep: "Keep it firing",
    confirm: "Yes, pause it",
    run: async (api, schedule) => {
      await unwrap(api.POST("/api/v1/schedules/{schedule_id}/pause", path(schedule)));
      return `Paused ${schedule.schedule_id}.`;
    },
  },
  {
    id: "resume",
    label: "Resume…",
    available: (schedule) => schedule.paused,
    title: "Resume this schedule?",
    explain: "fires again from its next fire time after now.",
    keep: "Leave it paused",
    confirm: "Yes, resume it",
    run: async (api, schedule) => {
      await unwrap(api.POST("/api/v1/schedules/{schedule_id}/resume", path(schedule)));
      return `Resumed ${schedule.schedule_id}.`;
    },
  },
  {
    id: "trigger",
    label: "Trigger now…",
    available: () => true,
    title: "Start an execution now?",
    explain: "starts one execution of its task now, whatever its overlap policy and even while paused.",
    keep: "Not now",
    confirm: "Yes, start it",
    run: async (api, schedule) => {
      const { execution_id } = await unwrap(
        api.POST("/api/v1/schedules/{schedule_id}/trigger", path(schedule)),
      );
      return (
        <>
          Started <a href={executionHref(execution_id)}>{execution_id}</a>.
        </>
      );
    },
  },
  {
    id: "delete",
    label: "Delete…",
    tone: "danger",
    available: () => true,
    title: "Delete this schedule?",
    explain: "fires no more, for good; the executions it started stay. This cannot be undone.",
    keep: "Keep it",
    confirm: "Yes, delete it",
    run: async (api, schedule) => {
      await unwrap(api.DELETE("/api/v1/schedules/{schedule_id}", path(schedule)));
      return `Deleted ${schedule.schedule_id}.`;
    },
  },
];
