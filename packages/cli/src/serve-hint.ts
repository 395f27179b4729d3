import { type Colors, stdoutColors } from "./output.js";
import { DEFAULT_DATABASE_URL } from "./store-url.js";

/** What `zart serve` prints once it listens. */
export interface HintInput {
  url: string;
  /** Whether the operator console is served at `url` (absent from a source checkout before `pnpm build`). */
  consoleBuilt?: boolean;
  storeLabel: string;
  /** The `--db` to repeat in CLI examples (absent: the default store). */
  dbFlag?: string;
  taskNames: readonly string[];
  hasToken: boolean;
  concurrency: number;
}

/** The banner and copy-paste examples (curl and CLI) printed by `zart serve`. */
export function serveHint(input: HintInput, c: Colors = stdoutColors()): string {
  const auth = input.hasToken ? ` -H "Authorization: Bearer $ZART_API_TOKEN"` : "";
  const db = input.dbFlag && input.dbFlag !== DEFAULT_DATABASE_URL ? ` --db '${input.dbFlag}'` : "";
  const lines = [
    `${c.green("●")} Zart is serving ${c.bold(input.url)}`,
    `  store    ${input.storeLabel}`,
    `  tasks    ${input.taskNames.join(", ")}`,
    `  worker   concurrency ${input.concurrency}`,
    `  auth     ${input.hasToken ? "bearer token required on /api/v1" : "none (listening on loopback only; set --token or ZART_API_TOKEN to expose it)"}`,
    `  console  ${input.consoleBuilt ? `${input.url}/` : "not built (pnpm build)"}`,
    `  docs     ${input.url}/api/v1/openapi.json`,
    "",
  ];
  if (input.taskNames.includes("approval-task")) {
    const start = JSON.stringify({
      task_name: "approval-task",
      execution_id: "approval-demo-1",
      data: { requesterName: "Bob", resource: "staging", reason: "test" },
    });
    const decision = JSON.stringify({ approved: true, reviewer: "Carol", comment: "ok" });
    lines.push(
      c.bold("Try it with curl:"),
      `  curl -s -X POST ${input.url}/api/v1/executions -H 'Content-Type: application/json'${auth} \\`,
      `    -d '${start}'`,
      `  curl -s -X POST ${input.url}/api/v1/events/approval-demo-1/manager-approval -H 'Content-Type: application/json'${auth} \\`,
      `    -d '${decision}'`,
      `  curl -s '${input.url}/api/v1/executions/approval-demo-1/wait?timeout=30s'${auth}`,
      "",
      c.bold("Or with the CLI (same store, in another terminal):"),
      `  zart start approval-task --id approval-demo-2${db} --data '${JSON.stringify({ requesterName: "Ann", resource: "prod", reason: "deploy" })}'`,
      `  zart event approval-demo-2 manager-approval${db} --data '${decision}'`,
      `  zart wait approval-demo-2${db}`,
    );
  } else {
    const task = input.taskNames[0] ?? "<task>";
    lines.push(
      c.bold("Try it:"),
      `  curl -s -X POST ${input.url}/api/v1/executions -H 'Content-Type: application/json'${auth} \\`,
      `    -d '{"task_name":"${task}","execution_id":"demo-1","data":{}}'`,
      `  curl -s '${input.url}/api/v1/executions/demo-1/wait?timeout=30s'${auth}`,
      `  zart start ${task} --id demo-2${db} --data '{}' && zart wait demo-2${db}`,
    );
  }
  lines.push("", c.dim("Ctrl-C stops the server and the worker."));
  return lines.join("\n");
}
