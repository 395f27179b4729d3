import { type ApiClient, EXECUTION_STATES, type ExecutionState, unwrap } from "../api/client.js";
import { StatusBadge } from "../components/status-badge.js";
import { formatDuration, Time } from "../components/time.js";
import { executionHref, executionsHref } from "../router.js";
import { usePolling } from "../use-polling.js";
import { type ListFilters, ListFiltersBar } from "./list-filters.js";

const PAGE_SIZE = 50;
/** How often the page is read again (live updates). */
const POLL_MS = 2_000;

/**
 * Executions, newest first, a page at a time, refreshed every few seconds. The filters and the page
 * live in the link. Paging is by offset: that is what `GET /api/v1/executions` offers today.
 */
export function ExecutionListPage({ api, query }: { api: ApiClient; query: URLSearchParams }) {
  const filters: ListFilters = {
    status: query.get("status") ?? "",
    task: query.get("task") ?? "",
    queue: query.get("queue") ?? "",
  };
  const offset = Math.max(0, Number.parseInt(query.get("offset") ?? "0", 10) || 0);
  const status = EXECUTION_STATES.find((state) => state === filters.status) as ExecutionState | undefined;

  const polled = usePolling(
    () =>
      unwrap(
        api.GET("/api/v1/executions", {
          params: {
            query: {
              // One more than shown: whether an older page exists.
              limit: PAGE_SIZE + 1,
              offset,
              ...(status ? { status } : {}),
              ...(filters.task ? { task_name: filters.task } : {}),
              ...(filters.queue ? { queue: filters.queue } : {}),
            },
          },
        }),
      ),
    `${status ?? ""}|${filters.task}|${filters.queue}|${offset}`,
    POLL_MS,
  );

  const go = (next: ListFilters, nextOffset = 0) => {
    const params = new URLSearchParams();
    if (next.status) params.set("status", next.status);
    if (next.task) params.set("task", next.task);
    if (next.queue) params.set("queue", next.queue);
    if (nextOffset > 0) params.set("offset", String(nextOffset));
    window.location.hash = executionsHref(params);
  };
  const rows = polled.data?.executions.slice(0, PAGE_SIZE) ?? [];
  const hasOlder = (polled.data?.executions.length ?? 0) > PAGE_SIZE;

  return (
    <section>
      <h1>Executions{filters.queue ? ` of queue ${filters.queue}` : ""}</h1>
      <ListFiltersBar filters={filters} onChange={(next) => go(next)} />
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
        <button
          type="button"
          disabled={offset === 0}
          onClick={() => go(filters, Math.max(0, offset - PAGE_SIZE))}
        >
          ← Newer
        </button>
        <span class="muted">
          {rows.length > 0 ? `${offset + 1}–${offset + rows.length}` : ""}
          {polled.updatedAt ? ` · updated ${polled.updatedAt.toLocaleTimeString()}` : ""}
        </span>
        <button type="button" disabled={!hasOlder} onClick={() => go(filters, offset + PAGE_SIZE)}>
          Older →
        </button>
      </nav>
    </section>
  );
}
