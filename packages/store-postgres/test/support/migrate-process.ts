/**
 * `migrate-process.ts <url> <schema>`: one process calling `migrate()`, for the concurrency test.
 * It connects, prints `ready`, and migrates when a line arrives on stdin, so that every process
 * migrates at the same moment however long each took to start.
 */
import { once } from "node:events";
import { PostgresScheduler } from "../../src/index.js";

const [url, schema] = process.argv.slice(2);
const scheduler = new PostgresScheduler({ connectionString: url!, schema: schema!, poolSize: 2 });
try {
  await scheduler.ping();
  process.stdout.write("ready\n");
  await once(process.stdin, "data");
  await scheduler.migrate();
  process.stdout.write("migrated\n");
} finally {
  await scheduler.close();
  process.stdin.destroy();
}
