import type { ExecutionState } from "../api/client.js";

export function StatusBadge({ status }: { status: ExecutionState }) {
  return <span class={`badge badge-${status}`}>{status}</span>;
}
