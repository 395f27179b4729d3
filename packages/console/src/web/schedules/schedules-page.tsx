import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { type ApiClient, type Schedule, unwrap } from "../api/client.js";
import { StatusBadge } from "../components/status-badge.js";
import { Time } from "../components/time.js";
import { executionHref } from "../router.js";
import { usePolling } from "../use-polling.js";
import { CatchUp } from "./catch-up.js";
import { ScheduleActionDialog } from "./schedule-action-dialog.js";
import { SCHEDULE_ACTIONS, type ScheduleAction } from "./schedule-actions.js";

const POLL_MS = 5_000;
/** The API's largest page: a console lists every schedule of an ordinary deployment at once. */
const LIMIT = 1000;

/**
 * Cron schedules, by id: when each fires next, its policies and its last execution, with pause,
 * resume, trigger now and delete. Created and edited through the API, the CLI or the library.
 */
export function SchedulesPage({ api }: { api: ApiClient }) {
  const polled = usePolling(
    () => unwrap(api.GET("/api/v1/schedules", { params: { query: { limit: LIMIT } } })),
    "schedules",
    POLL_MS,
  );
  const [message, setMessage] = useState<ComponentChildren>();
  const [acting, setActing] = useState<{ schedule: Schedule; action: ScheduleAction }>();
  const schedules = polled.data?.schedules ?? [];
  const done = (text: ComponentChildren) => {
    setMessage(text);
    setActing(undefined);
    polled.reload();
  };
  return (
    <section>
      <h1>Schedules</h1>
      {message ? (
        <p class="notice" role="status">
          {message}
        </p>
      ) : null}
      {polled.error ? <p class="form-error">{polled.error.message}</p> : null}
      <table class="table schedules">
        <thead>
          <tr>
            <th>schedule</th>
            <th>task</th>
            <th>cron</th>
            <th>time zone</th>
            <th>state</th>
            <th>next fire</th>
            <th>last execution</th>
            <th>overlap</th>
            <th>catch-up</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {schedules.map((schedule) => (
            <tr key={schedule.schedule_id}>
              <td class="schedule-id">{schedule.schedule_id}</td>
              <td>{schedule.task_name}</td>
              <td>
                <code>{schedule.cron}</code>
              </td>
              <td>{schedule.timezone}</td>
              <td class="schedule-state">{schedule.paused ? "paused" : "active"}</td>
              <td>
                <Time iso={schedule.next_fire_at} />
              </td>
              <td>
                {schedule.last_execution ? (
                  <>
                    <a href={executionHref(schedule.last_execution.execution_id)}>
                      {schedule.last_execution.execution_id}
                    </a>{" "}
                    {schedule.last_execution.status ? (
                      <StatusBadge status={schedule.last_execution.status} />
                    ) : (
                      <span class="muted">purged</span>
                    )}
                  </>
                ) : (
                  <span class="muted">none yet</span>
                )}
              </td>
              <td>{schedule.overlap}</td>
              <td>
                <CatchUp schedule={schedule} />
              </td>
              <td class="row-actions">
                {SCHEDULE_ACTIONS.filter((action) => action.available(schedule)).map((action) => (
                  <button
                    key={action.id}
                    type="button"
                    class={action.tone === "danger" ? "danger" : undefined}
                    onClick={() => setActing({ schedule, action })}
                  >
                    {action.label}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {polled.data && schedules.length === 0 ? <p class="muted">No schedule exists.</p> : null}
      {acting ? (
        <ScheduleActionDialog
          api={api}
          schedule={acting.schedule}
          action={acting.action}
          onDone={done}
          onClose={() => setActing(undefined)}
        />
      ) : null}
    </section>
  );
}
