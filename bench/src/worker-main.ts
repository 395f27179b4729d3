/**
 * A worker process: `node --import tsx --conditions=source bench/src/worker-main.ts '<WorkerSpec JSON>'`.
 * Connects the system's worker, says `ready`, starts taking work on `go`, reports marks in batches,
 * stops on `stop`.
 */
import type { FromWorker, ToWorker, WireMark, WorkerSpec } from "./harness/protocol.js";
import { loadSystem } from "./systems/index.js";
import type { PreparedWorker } from "./systems/types.js";
import { now } from "./tasks.js";

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

let buffer: WireMark[] = [];
let flushing = false;

function flush(): void {
  flushing = false;
  if (buffer.length === 0) return;
  const m = buffer;
  buffer = [];
  void send({ t: "marks", m });
}

function report(kind: string, id: string, value?: number): void {
  buffer.push(value === undefined ? [kind, id, now()] : [kind, id, now(), value]);
  if (!flushing) {
    flushing = true;
    setImmediate(flush);
  }
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? "{}") as WorkerSpec;
  process.on("disconnect", () => process.exit(0));
  const adapter = await loadSystem(spec.system);
  const worker: PreparedWorker = await adapter.startWorker(spec.env, {
    concurrency: spec.concurrency,
    index: spec.index,
    report,
  });
  process.on("message", (message: ToWorker) => {
    if (message.t === "go") {
      worker.go().then(
        () => send({ t: "started" }),
        (error: unknown) => fatal(error),
      );
    } else if (message.t === "stop") {
      void worker
        .stop()
        .catch(() => undefined)
        .then(async () => {
          flush();
          await send({ t: "stopped" });
          process.exit(0);
        });
    }
  });
  await send({ t: "ready" });
}

function fatal(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  void send({ t: "error", message }).then(() => process.exit(1));
}

process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);
main().catch(fatal);
