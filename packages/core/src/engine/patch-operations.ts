import { assertId } from "../validation.js";
import type { RunState } from "./run-state.js";

/**
 * `ctx.patched` / `ctx.deprecatePatch`: branching on code deployed while executions are in flight.
 *
 * The history is positional, so a patch decides from the record at the position it would take:
 * - that record is this patch's marker → `true` (the execution took the new branch before);
 * - no record there (the execution reaches this point for the first time, on the new code) →
 *   the marker is written and `patched` returns `true`;
 * - another record there (the old code ran past this point) → `false`, nothing is written and no
 *   position is taken, so the old branch replays against its own history.
 * Every later replay meets the same record and decides the same way. The decision is memoized per
 * run, so calling `patched` twice with one id agrees (and writes one marker).
 */
const decisions = new WeakMap<RunState, Map<string, boolean>>();

export async function patched(state: RunState, patchId: string): Promise<boolean> {
  assertId(patchId, "patch id");
  const known = decisionsOf(state).get(patchId);
  if (known !== undefined) return known;
  const next = state.nextRecorded();
  if (next !== undefined && !isMarker(next, patchId)) return remember(state, patchId, false);
  const { position, stepName, recorded } = state.claimSlot(patchId, "marker");
  try {
    await state.enterOperation();
    if (!recorded) {
      if (state.replayOnly) return state.park({ kind: "replay-end" });
      const now = state.now();
      await state.writes.saveStep({
        position,
        name: stepName,
        kind: "marker",
        status: "completed",
        result: "true",
        attempts: 1,
        startedAt: now,
        completedAt: now,
      });
    }
    return remember(state, patchId, true);
  } finally {
    state.operations.leave();
  }
}

/**
 * The cleanup once no execution predating the patch is left: the code keeps only the new branch.
 * A marker written by `patched` at this position is consumed so the history still lines up; new
 * executions write nothing.
 */
export async function deprecatePatch(state: RunState, patchId: string): Promise<void> {
  assertId(patchId, "patch id");
  if (decisionsOf(state).has(patchId)) return;
  const next = state.nextRecorded();
  if (next === undefined || !isMarker(next, patchId)) {
    remember(state, patchId, true);
    return;
  }
  state.claimSlot(patchId, "marker");
  try {
    await state.enterOperation();
    remember(state, patchId, true);
  } finally {
    state.operations.leave();
  }
}

/** A marker of `patchId`, whatever occurrence suffix (`id#1`) a same-named step gave it. */
function isMarker(record: { kind: string; name: string }, patchId: string): boolean {
  return record.kind === "marker" && record.name.split("#")[0] === patchId;
}

function decisionsOf(state: RunState): Map<string, boolean> {
  let map = decisions.get(state);
  if (!map) {
    map = new Map();
    decisions.set(state, map);
  }
  return map;
}

function remember(state: RunState, patchId: string, decision: boolean): boolean {
  decisionsOf(state).set(patchId, decision);
  return decision;
}
