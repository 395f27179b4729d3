import type { RunSummary } from "../api/client.js";
import { StatusBadge } from "../components/status-badge.js";
import { Time } from "../components/time.js";
import { executionHref } from "../router.js";

/**
 * The runs of an execution id, newest first, each linking to its detail (the newest one to the
 * id's plain link, which follows later runs); the one shown is marked.
 */
export function RunList({
  executionId,
  runs,
  shownRun,
}: {
  executionId: string;
  runs: RunSummary[];
  shownRun: number;
}) {
  return (
    <table class="table runs">
      <thead>
        <tr>
          <th>run</th>
          <th>task</th>
          <th>status</th>
          <th>created</th>
          <th>finished</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.run} class={run.run === shownRun ? "shown" : undefined}>
            <td>
              {run.run === shownRun ? (
                <strong>{`run ${run.run} (shown)`}</strong>
              ) : (
                <a
                  href={executionHref(executionId, run === runs[0] ? undefined : run.run)}
                >{`run ${run.run}`}</a>
              )}
            </td>
            <td>
              <code>{run.task}</code>
            </td>
            <td>
              <StatusBadge status={run.status} />
            </td>
            <td>
              <Time iso={run.created_at} />
            </td>
            <td>
              <Time iso={run.completed_at} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
