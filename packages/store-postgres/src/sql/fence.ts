import { type Lease, LeaseLostError } from "@zart/core";

/** Throws `LeaseLostError` unless the fenced statement matched its row (`fenced` > 0). */
export function assertFenced(fenced: number | undefined, lease: Lease): void {
  if (fenced !== undefined && fenced > 0) return;
  throw new LeaseLostError(
    lease.executionId,
    lease.childPosition === undefined ? undefined : { details: { childPosition: lease.childPosition } },
  );
}
