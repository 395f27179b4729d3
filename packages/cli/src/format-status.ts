import type { WireExecution } from "@zart/server";
import { fitTable, terminalWidth } from "./fit-table.js";
import { type Colors, paintStatus, preview, truncate, when } from "./output.js";

/** The human view of one execution: a summary, then its steps and mailbox as tables. */
export function formatStatus(status: WireExecution, c: Colors, width = terminalWidth()): string {
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`${c.bold(label.padEnd(10))} ${value}`);
  row("Execution", status.execution_id);
  row("Task", status.name);
  if (status.version !== undefined) row("Version", status.version);
  row("Status", paintStatus(status.status, c) + waitingFor(status));
  row("Attempt", String(status.attempt));
  row("Created", when(status.created_at));
  if (status.started_at) row("Started", when(status.started_at));
  if (status.completed_at) row("Finished", when(status.completed_at));
  if (status.wake_at) row("Wakes at", when(status.wake_at));
  if (status.lease) row("Lease", describeLease(status.lease, c));
  if (status.pending_reason) row("Why waiting", c.yellow(status.pending_reason.message));
  row("Input", preview(status.payload, 100));
  if (status.result !== undefined) row("Result", preview(status.result, 100));
  if (status.error) row("Error", c.red(`${status.error.code ?? status.error.name}: ${status.error.message}`));

  if (status.steps.length > 0) {
    const head = ["#", "Step", "Kind", "Status", "Attempts", "Result / error", "Finished"].map((h) =>
      c.bold(h),
    );
    const rows = status.steps.map((step, i) => {
      const outcome = step.error
        ? c.red(truncate(`${step.error.code ?? step.error.name}: ${step.error.message}`, 50))
        : preview(step.result, 50);
      return [
        String(i + 1),
        step.name,
        step.kind,
        paintStatus(step.status, c),
        String(step.attempts),
        outcome,
        when(step.completed_at) || (step.wake_at ? c.dim(`due ${when(step.wake_at)}`) : ""),
      ];
    });
    lines.push("", fitTable(head, rows, width));
  } else {
    lines.push("", c.dim("No steps yet."));
  }

  if (status.events.length > 0) {
    const head = ["Event", "Payload", "Offered", "Consumed"].map((h) => c.bold(h));
    const rows = status.events.map((event) => [
      event.event_name,
      preview(event.payload, 50),
      when(event.offered_at),
      event.consumed_at ? when(event.consumed_at) : c.yellow("waiting in mailbox"),
    ]);
    lines.push("", fitTable(head, rows, width));
  }
  return lines.join("\n");
}

/** The human view of a list of executions: one table row each. */
export function formatList(executions: WireExecution[], c: Colors, width = terminalWidth()): string {
  if (executions.length === 0) return c.dim("No executions.");
  const head = ["Execution", "Task", "Status", "Attempt", "Steps", "Created", "Finished"].map((h) =>
    c.bold(h),
  );
  const rows = executions.map((e) => [
    e.execution_id,
    e.version === undefined ? e.name : `${e.name}@${e.version}`,
    paintStatus(e.status, c),
    String(e.attempt),
    String(e.steps.length),
    when(e.created_at),
    when(e.completed_at),
  ]);
  return fitTable(head, rows, width);
}

function waitingFor(status: WireExecution): string {
  if (status.status !== "waiting") return "";
  const step = status.steps.find((s) => s.status === "waiting" || s.status === "pending");
  if (!step) return "";
  return step.kind === "event" ? ` (for event "${step.name}")` : ` (${step.kind} "${step.name}")`;
}

/** Who runs a running execution and until when, or that its lease expired. */
function describeLease(lease: NonNullable<WireExecution["lease"]>, c: Colors): string {
  const where = lease.host === undefined ? "" : ` (${lease.host}, pid ${lease.pid})`;
  const gone = lease.worker_gone ? c.red(" [worker gone]") : "";
  const holder = `${lease.worker_id}${where}${gone}`;
  if (lease.expired) return `${c.yellow(lease.note ?? "lease expired")} (last held by ${holder})`;
  const since = lease.step_since ? `, current step since ${when(lease.step_since)}` : "";
  return `held by ${holder} until ${when(lease.expires_at)}${since}`;
}
