import { useState } from "preact/hooks";
import { type ApiClient, EXECUTION_STATES, type ExecutionState, unwrap } from "../api/client.js";
import { executionsHref } from "../router.js";
import { usePolling } from "../use-polling.js";
import { BulkDialog, type BulkSelection } from "./bulk-dialog.js";
import { ExecutionTable } from "./execution-table.js";
import { type ListFilters, ListFiltersBar } from "./list-filters.js";
import { validInstant } from "./time-range.js";

const PAGE_SIZE = 50;
/** How often the page is read again (live updates). */
const POLL_MS = 2_000;

/** Cursors are base64url, so `.` can join the trail of pages walked so far in the link. */
const TRAIL_SEPARATOR = ".";
/** Each filter's parameter in the link. */
const LINK_PARAMS: Readonly<Record<keyof ListFilters, string>> = {
  status: "status",
  task: "task",
  queue: "queue",
  parent: "parent",
  from: "from",
  to: "to",
};

/**
 * Executions, newest first, a page at a time, refreshed every few seconds. The filters and the page
 * live in the link: `trail` holds the cursors of the pages walked so far (its last one is this
 * page's), so "Newer" goes back without offsets, and new executions never shift a page.
 */
export function ExecutionListPage({ api, query }: { api: ApiClient; query: URLSearchParams }) {
  const param = (key: keyof ListFilters) => query.get(LINK_PARAMS[key]) ?? "";
  const filters: ListFilters = {
    status: param("status"),
    task: param("task"),
    queue: param("queue"),
    parent: param("parent"),
    from: validInstant(param("from")) ?? "",
    to: validInstant(param("to")) ?? "",
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
              ...(filters.parent ? { parent_id: filters.parent } : {}),
              ...(filters.from ? { created_after: filters.from } : {}),
              ...(filters.to ? { created_before: filters.to } : {}),
            },
          },
        }),
      ),
    `${status ?? ""}|${filters.task}|${filters.queue}|${filters.parent}|${filters.from}|${filters.to}|` +
      `${cursor ?? ""}|${notice ?? ""}`,
    POLL_MS,
  );

  const go = (next: ListFilters, nextTrail: string[] = []) => {
    const params = new URLSearchParams();
    for (const key of Object.keys(LINK_PARAMS) as (keyof ListFilters)[]) {
      if (next[key]) params.set(LINK_PARAMS[key], next[key]);
    }
    if (nextTrail.length > 0) params.set("trail", nextTrail.join(TRAIL_SEPARATOR));
    window.location.hash = executionsHref(params);
  };
  const rows = polled.data?.executions ?? [];
  const nextCursor = polled.data?.next_cursor;
  const selection: BulkSelection = {
    ...(status ? { status } : {}),
    ...(filters.task ? { task_name: filters.task } : {}),
    ...(filters.from ? { created_after: filters.from } : {}),
    ...(filters.to ? { created_before: filters.to } : {}),
  };
  // Bulk actions select by status, task and time, not by queue or parent: offered only without those.
  const narrowedElsewhere = filters.queue ? "queue" : filters.parent ? "parent" : undefined;
  const filtered = Object.keys(selection).length > 0 && !narrowedElsewhere;
  const emptyRange = filters.from && filters.to && filters.from >= filters.to;

  return (
    <section>
      <h1>
        Executions{filters.queue ? ` of queue ${filters.queue}` : ""}
        {filters.parent ? ` started by ${filters.parent}` : ""}
      </h1>
      <ListFiltersBar filters={filters} onChange={(next) => go(next)} />
      {emptyRange ? <p class="form-error">The created range is empty: "from" is not before "to".</p> : null}
      <div class="toolbar">
        <button
          type="button"
          disabled={!filtered}
          title={
            filtered
              ? undefined
              : narrowedElsewhere
                ? `Bulk actions do not select by ${narrowedElsewhere}`
                : "Filter by status, task or created time first"
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
      <ExecutionTable executions={rows} class="executions" />
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
