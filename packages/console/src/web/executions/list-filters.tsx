import { useEffect, useState } from "preact/hooks";
import { EXECUTION_STATES } from "../api/client.js";
import { executionHref } from "../router.js";
import { fromLocalInput, toLocalInput } from "./time-range.js";

/** The filters a list page shows, as kept in its link (`#/?status=failed&task=billing`). */
export interface ListFilters {
  status: string;
  task: string;
  /** A queue (`defineQueue` name), set by the queues page's links; kept as the others change. */
  queue: string;
  /** A parent execution id, set by a detail page's "all children" link; kept like `queue`. */
  parent: string;
  /** Created at or after this ISO instant ("" = no bound). */
  from: string;
  /** Created strictly before this ISO instant ("" = no bound). */
  to: string;
}

/** Status, task and created-time filters, and a box that opens an execution by its id. */
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
        <label>
          Created from
          <input
            type="datetime-local"
            step="1"
            value={toLocalInput(filters.from)}
            onChange={(event) => onChange({ ...filters, from: fromLocalInput(event.currentTarget.value) })}
          />
        </label>
        <label title="Created strictly before this instant">
          Created to
          <input
            type="datetime-local"
            step="1"
            value={toLocalInput(filters.to)}
            onChange={(event) => onChange({ ...filters, to: fromLocalInput(event.currentTarget.value) })}
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
