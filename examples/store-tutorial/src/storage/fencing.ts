import { isTerminal, type Lease, leaseLost } from "@zart/core/store";
import type { Entry, TutorialStorage } from "./tutorial-storage.js";

/** The fencing check every worker write starts with: the lease's token is still the stored one. */
export function fenced(storage: TutorialStorage, lease: Lease): Entry {
  const entry = storage.entries.get(lease.executionId);
  const valid =
    entry !== undefined &&
    (lease.kind === "child"
      ? !isTerminal(entry.record.status) && entry.children.get(lease.childPosition)?.token === lease.token
      : entry.record.status === "running" && entry.token === lease.token);
  if (!valid) throw leaseLost(lease);
  return entry as Entry;
}
