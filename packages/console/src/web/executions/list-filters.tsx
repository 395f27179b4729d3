import { useEffect, useState } from "preact/hooks";
import { EXECUTION_STATES } from "../api/client.js";
import { executionHref } from "../router.js";

/** The filters a list page shows, as kept in its link (`#/?status=failed&task=billing`). */
export interface ListFilters {
  status: string;
  task: string;
  /** A queue (`defineQueue` name), set by the queues page's links; kept as the others change. */
  queue: string;
}

/** Status and task filters, and a box that opens an execution by its id. */
export function ListFiltersBar({
  filters,
  onChange,
}: {
  filters: ListFilters;
  onChange: (filters: ListFilters) => void;
}) {
  const [task, setTask] = useState(filters.task);
  // Back and forward change the link's filters under the box.
  useEffect(() => setTask(filters.task), [filters.task]);
  const [searchId, setSearchId] = useState("");
  return (
    <div class="toolbar">
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          onChange({ ...filters, task: task.trim() });
        }}
      >
        <label>
          Status
          <select
            value={filters.status}
            onChange={(event) => onChange({ ...filters, status: event.currentTarget.value })}
          >
            <option value="">any</option>
            {EXECUTION_STATES.map((state) => (
              <option key={state} value={state}>
                {state}
              </option>
            ))}
          </select>
        </label>
        <label>
          Task
          <input
            value={task}
            placeholder="any task"
            onInput={(event) => setTask(event.currentTarget.value)}
            onBlur={() => task.trim() !== filters.task && onChange({ ...filters, task: task.trim() })}
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (searchId.trim()) window.location.hash = executionHref(searchId.trim());
        }}
      >
        <label>
          Execution id
          <input
            value={searchId}
            placeholder="open by id"
            onInput={(event) => setSearchId(event.currentTarget.value)}
          />
        </label>
        <button type="submit">Open</button>
      </form>
    </div>
  );
}
