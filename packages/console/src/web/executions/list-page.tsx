import { useState } from "preact/hooks";
import { type ApiClient, EXECUTION_STATES, type ExecutionState, unwrap } from "../api/client.js";
import { StatusBadge } from "../components/status-badge.js";
import { formatDuration, Time } from "../components/time.js";
import { executionHref, executionsHref } from "../router.js";
import { usePolling } from "../use-polling.js";
import { BulkDialog, type BulkSelection } from "./bulk-dialog.js";
import { type ListFilters, ListFiltersBar } from "./list-filters.js";

const PAGE_SIZE = 50;
/** How often the page is read again (live updates). */
const POLL_MS = 2_000;

/** Cursors are base64url, so `.` can join the trail of pages walked so far in the link. */
const TRAIL_SEPARATOR = ".";

/**
 * Executions, newest first, a page at a time, refreshed every few seconds. The filters and the page
 * live in the link: `trail` holds the cursors of the pages walked so far (its last one is this
 * page's), so "Newer" goes back without offsets, and new executions never shift a page.
 */
export function ExecutionListPage({ api, query }: { api: ApiClient; query: URLSearchParams }) {
  const filters: ListFilters = {
    status: query.get("status") ?? "",
    task: query.get("task") ?? "",
    queue: query.get("queue") ?? "",
  };
  const trail = (query.get("trail") ?? "").split(TRAIL_SEPARATOR).filter(Boolean);
  const cursor = trail.at(-1);
  const status = EXECUTION_STATES.find((state) => state === filters.status) as ExecutionState | undefined;
  const [bulkOpen, setBulkOpen] = useState(false);
  const [notice, setNotice] = useState<string>();

  const polled = usePolling(
    () =>
      unwrap(
        api.GET("/api/v1/executions", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
              ...(status ? { status } : {}),
              ...(filters.task ? { task_name: filters.task } : {}),
              ...(filters.queue ? { queue: filters.queue } : {}),
            },
          },
        }),
      ),
    `${status ?? ""}|${filters.task}|${filters.queue}|${cursor ?? ""}|${notice ?? ""}`,
    POLL_MS,
  );

  const go = (next: ListFilters, nextTrail: string[] = []) => {
    const params = new URLSearchParams();
    if (next.status) params.set("status", next.status);
    if (next.task) params.set("task", next.task);
    if (next.queue) params.set("queue", next.queue);
    if (nextTrail.length > 0) params.set("trail", nextTrail.join(TRAIL_SEPARATOR));
    window.location.hash = executionsHref(params);
  };
  const rows = polled.data?.executions ?? [];
  const nextCursor = polled.data?.next_cursor;
  const selection: BulkSelection = {
    ...(status ? { status } : {}),
    ...(filters.task ? { task_name: filters.task } : {}),
  };
  // Bulk actions select by status, task and time, not by queue: offered only without a queue filter.
  const filtered = Object.keys(selection).length > 0 && !filters.queue;

  return (
    <section>
      <h1>Executions{filters.queue ? ` of queue ${filters.queue}` : ""}</h1>
      <ListFiltersBar filters={filters} onChange={(next) => go(next)} />
      <div class="toolbar">
        <button
          type="button"
          disabled={!filtered}
          title={
            filtered
              ? undefined
              : filters.queue
                ? "Bulk actions do not select by queue"
                : "Filter by status or task first"
          }
          onClick={() => setBulkOpen(true)}
        >
          Bulk action…
        </button>
        {notice ? (
          <p class="notice" role="status">
            {notice}
          </p>
        ) : null}
      </div>
      {bulkOpen ? (
        <BulkDialog
          api={api}
          selection={selection}
          onClose={() => setBulkOpen(false)}
          onDone={(message) => {
            setBulkOpen(false);
            setNotice(message);
          }}
        />
      ) : null}
      {polled.error ? <p class="form-error">{polled.error.message}</p> : null}
      <table class="table executions">
        <thead>
          <tr>
            <th>execution</th>
            <th>task</th>
            <th>status</th>
            <th>attempt</th>
            <th>created</th>
            <th>duration</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((execution) => (
            <tr key={execution.execution_id}>
              <td>
                <a href={executionHref(execution.execution_id)} class="execution-id">
                  {execution.execution_id}
                </a>
              </td>
              <td>
                <code>{execution.name}</code>
              </td>
              <td>
                <StatusBadge status={execution.status} />
              </td>
              <td>{execution.attempt + 1}</td>
              <td>
                <Time iso={execution.created_at} />
              </td>
              <td>{formatDuration(execution.started_at, execution.completed_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {polled.data && rows.length === 0 ? <p class="muted">No execution matches.</p> : null}
      <nav class="pager" aria-label="pages">
        <button type="button" disabled={trail.length === 0} onClick={() => go(filters, trail.slice(0, -1))}>
          ← Newer
        </button>
        <span class="muted">
          {`page ${trail.length + 1}`}
          {polled.updatedAt ? ` · updated ${polled.updatedAt.toLocaleTimeString()}` : ""}
        </span>
        <button
          type="button"
          disabled={nextCursor === undefined}
          onClick={() => nextCursor && go(filters, [...trail, nextCursor])}
        >
          Older →
        </button>
      </nav>
    </section>
  );
}
