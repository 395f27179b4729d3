import type { ClaimRequest } from "./claims.js";

/**
 * The claim key of an execution: its task name, then `\n` and its version when it has one (ids
 * hold no control characters, so two keys never collide). A claim takes an execution iff its key
 * is one of {@link claimKeys} of the request; a parallel child goes by its execution's key. Stores
 * filter on this one value, so the unversioned claim stays a single list test.
 */
export function claimKey(taskName: string, version?: string | null): string {
  return version === undefined || version === null ? taskName : `${taskName}\n${version}`;
}

/** The claim keys a request asks for: `taskNames` (unversioned) and each of `taskVersions`. */
export function claimKeys(request: Pick<ClaimRequest, "taskNames" | "taskVersions">): string[] {
  const versioned = request.taskVersions?.map(({ taskName, version }) => claimKey(taskName, version)) ?? [];
  return [...request.taskNames, ...versioned];
}
