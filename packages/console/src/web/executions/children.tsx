import { useState } from "preact/hooks";
import { type ApiClient, unwrap } from "../api/client.js";
import { executionsHref } from "../router.js";
import { usePolling } from "../use-polling.js";
import { ExecutionTable } from "./execution-table.js";
import { isTerminal } from "./terminal.js";

/** How many children the detail page shows; the rest are a link away (the list, by parent). */
const SHOWN = 20;
const POLL_MS = 2_000;

/**
 * The child executions an execution started, newest first. Read again while the parent or any
 * shown child can still change (a detached child outlives its parent).
 */
export function ChildExecutions({
  api,
  parentId,
  parentFinished,
}: {
  api: ApiClient;
  parentId: string;
  parentFinished: boolean;
}) {
  const [childrenFinished, setChildrenFinished] = useState(false);
  const polled = usePolling(
    () =>
      unwrap(
        api.GET("/api/v1/executions", { params: { query: { parent_id: parentId, limit: SHOWN } } }),
      ).then((page) => {
        setChildrenFinished(page.executions.every((child) => isTerminal(child.status)));
        return page;
      }),
    parentId,
    POLL_MS,
    !(parentFinished && childrenFinished),
  );
  const children = polled.data?.executions;

  if (polled.error) return <p class="form-error">Could not read the children: {polled.error.message}</p>;
  if (!children) return <p class="muted">Loading…</p>;
  if (children.length === 0) return <p class="muted">This execution started no child execution.</p>;
  return (
    <>
      <ExecutionTable executions={children} class="children" />
      {polled.data?.next_cursor ? (
        <p>
          <a href={executionsHref(new URLSearchParams({ parent: parentId }))}>All children →</a>
        </p>
      ) : null}
    </>
  );
}
