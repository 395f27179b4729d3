import { useState } from "preact/hooks";
import { type ApiClient, ApiFailure, type Step, unwrap } from "../api/client.js";
import { ErrorView } from "../components/error-view.js";
import { JsonView } from "../components/json-view.js";
import { StatusBadge } from "../components/status-badge.js";
import { formatDuration, Time } from "../components/time.js";
import { executionHref, executionsHref } from "../router.js";
import { usePolling } from "../use-polling.js";
import type { ExecutionAction } from "./action.js";
import { EXECUTION_ACTIONS } from "./actions.js";
import { ChildExecutions } from "./children.js";
import { LeaseFacts } from "./lease-facts.js";
import { Mailbox } from "./mailbox.js";
import { RerunDialog } from "./rerun-dialog.js";
import { RunList } from "./runs.js";
import { StepTimeline } from "./step-timeline.js";
import { isTerminal } from "./terminal.js";

/** How often an unfinished execution is read again. */
const POLL_MS = 1_000;

/**
 * One execution (its current run, or `run`): facts with the parent, actions, input and outcome,
 * step timeline, mailbox, children and the runs of the id. Actions act on the current run, so an
 * earlier run shows none.
 */
export function ExecutionDetailPage({
  api,
  executionId,
  run,
}: {
  api: ApiClient;
  executionId: string;
  run?: number;
}) {
  const [open, setOpen] = useState<ExecutionAction>();
  const [rerunFrom, setRerunFrom] = useState<Step>();
  const [notice, setNotice] = useState<string>();
  const [finished, setFinished] = useState(false);
  const path = { execution_id: executionId };
  const polled = usePolling(
    () =>
      Promise.all([
        unwrap(
          api.GET("/api/v1/executions/{execution_id}", {
            params: { path, query: run === undefined ? {} : { run } },
          }),
        ),
        unwrap(api.GET("/api/v1/executions/{execution_id}/runs", { params: { path } })),
      ]).then(([execution, { runs }]) => {
        setFinished(isTerminal(execution.status));
        return { execution, runs };
      }),
    `${executionId}?run=${run ?? ""}`,
    POLL_MS,
    !finished,
  );
  const execution = polled.data?.execution;
  const runs = polled.data?.runs ?? [];

  if (!execution) {
    const error = polled.error;
    if (error instanceof ApiFailure && error.status === 404)
      return (
        <section>
          <h1>Execution not found</h1>
          <p>
            No execution has the id <code>{executionId}</code>. <a href={executionsHref()}>All executions</a>
          </p>
        </section>
      );
    return <p class={error ? "form-error" : "muted"}>{error ? error.message : "Loading…"}</p>;
  }

  const latestRun = runs[0]?.run ?? execution.run;
  const earlierRun = execution.run < latestRun;
  const actions = earlierRun ? [] : EXECUTION_ACTIONS.filter((action) => action.available(execution));
  return (
    <section>
      <p>
        <a href={executionsHref()}>← Executions</a>
      </p>
      <header class="detail-header">
        <h1>
          <code class="execution-id">{execution.execution_id}</code> <StatusBadge status={execution.status} />
        </h1>
        <div class="actions">
          {actions.map((action) => (
            <button
              key={action.id}
              type="button"
              class={action.tone === "danger" ? "danger" : "primary"}
              onClick={() => {
                setNotice(undefined);
                setOpen(action);
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      </header>
      {earlierRun ? (
        <p class="notice earlier-run">
          {`Run ${execution.run} of ${latestRun}: an earlier run, read only. `}
          <a href={executionHref(execution.execution_id)}>The current run →</a>
        </p>
      ) : null}
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {polled.error ? <p class="form-error">Could not refresh: {polled.error.message}</p> : null}
      <dl class="facts">
        <dt>task</dt>
        <dd>
          <code>{execution.name}</code>
        </dd>
        {execution.version === undefined ? null : (
          <>
            <dt>version</dt>
            <dd>
              <code>{execution.version}</code>
            </dd>
          </>
        )}
        <dt>run</dt>
        <dd>{execution.run}</dd>
        <dt>attempt</dt>
        <dd>{execution.attempt + 1}</dd>
        <dt>created</dt>
        <dd>
          <Time iso={execution.created_at} />
        </dd>
        <dt>scheduled for</dt>
        <dd>
          <Time iso={execution.scheduled_at} />
        </dd>
        <dt>started</dt>
        <dd>
          <Time iso={execution.started_at} />
        </dd>
        <dt>finished</dt>
        <dd>
          <Time iso={execution.completed_at} />
        </dd>
        <dt>duration</dt>
        <dd>{formatDuration(execution.started_at, execution.completed_at)}</dd>
        {execution.parent_id ? (
          <>
            <dt>parent</dt>
            <dd>
              <a href={executionHref(execution.parent_id)} class="parent-link">
                <code>{execution.parent_id}</code>
              </a>
            </dd>
          </>
        ) : null}
        {execution.rerun_of ? (
          <>
            <dt>rerun of</dt>
            <dd>
              <a href={executionHref(execution.rerun_of.execution_id)}>
                <code>{execution.rerun_of.execution_id}</code>
              </a>{" "}
              from step <code>{execution.rerun_of.from_step}</code>
            </dd>
          </>
        ) : null}
        {execution.wake_at ? (
          <>
            <dt>wakes at</dt>
            <dd>
              <Time iso={execution.wake_at} />
            </dd>
          </>
        ) : null}
        {execution.lease ? <LeaseFacts lease={execution.lease} /> : null}
        {execution.paused_by ? (
          <>
            <dt>held by</dt>
            <dd class="paused-by">
              a <a href="#/pause-rules">pause rule</a> on <code>{execution.paused_by.task_name}</code>
              {execution.paused_by.step_name ? (
                <>
                  {" "}
                  at step <code>{execution.paused_by.step_name}</code>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
        {execution.pending_reason ? (
          <>
            <dt>why waiting</dt>
            <dd class="pending-reason">{execution.pending_reason.message}</dd>
          </>
        ) : null}
      </dl>
      {execution.error ? <ErrorView error={execution.error} /> : null}
      <JsonView label="input" value={execution.payload} />
      {execution.result !== undefined ? <JsonView label="result" value={execution.result} /> : null}
      {execution.data !== undefined ? <JsonView label="data (ctx.data)" value={execution.data} /> : null}
      <h2>Steps</h2>
      <StepTimeline steps={execution.steps} onRerun={setRerunFrom} />
      <h2>Mailbox</h2>
      <Mailbox events={execution.events} />
      <h2>Children</h2>
      <ChildExecutions api={api} parentId={execution.execution_id} parentFinished={finished} />
      <h2>Runs</h2>
      <RunList executionId={execution.execution_id} runs={runs} shownRun={execution.run} />
      {rerunFrom ? (
        <RerunDialog
          execution={execution}
          step={rerunFrom}
          api={api}
          onClose={() => setRerunFrom(undefined)}
          onCreated={(newId) => {
            setRerunFrom(undefined);
            window.location.hash = executionHref(newId);
          }}
        />
      ) : null}
      {open ? (
        <open.Dialog
          execution={execution}
          api={api}
          onClose={() => setOpen(undefined)}
          onDone={(message) => {
            setOpen(undefined);
            setNotice(message);
            setFinished(false);
            polled.reload();
          }}
        />
      ) : null}
    </section>
  );
}
