import type { Execution } from "../api/client.js";
import { Time } from "../components/time.js";

/** Who runs a running execution and until when, or that its lease expired (facts of the detail page). */
export function LeaseFacts({ lease }: { lease: NonNullable<Execution["lease"]> }) {
  const where = lease.host === undefined ? "" : ` (${lease.host}, pid ${lease.pid})`;
  return (
    <>
      <dt>lease</dt>
      <dd class="lease">
        {lease.expired ? <strong>{lease.note ?? "lease expired"}</strong> : "held"} by{" "}
        <code>{lease.worker_id}</code>
        {where}
        {lease.worker_gone ? <span class="badge badge-failed">worker gone</span> : null}
        {lease.expired ? null : (
          <>
            {" "}
            until <Time iso={lease.expires_at} />
          </>
        )}
      </dd>
      {lease.step_since ? (
        <>
          <dt>current step since</dt>
          <dd>
            <Time iso={lease.step_since} />
          </dd>
        </>
      ) : null}
    </>
  );
}
