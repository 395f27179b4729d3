import type { Execution } from "../api/client.js";
import { StatusBadge } from "../components/status-badge.js";
import { formatDuration, Time } from "../components/time.js";
import { executionHref } from "../router.js";

/** Executions as rows (id linking to the detail, task, status, attempt, created, duration). */
export function ExecutionTable({ executions, class: className }: { executions: Execution[]; class: string }) {
  return (
    <table class={`table ${className}`}>
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
        {executions.map((execution) => (
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
  );
}
