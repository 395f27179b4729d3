import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const run = promisify(execFile);

it("works under node:test too (its suite runs in a child process and passes)", async () => {
  const file = fileURLToPath(new URL("./node/order.node-test.ts", import.meta.url));
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", "--conditions=source", "--test", "--test-reporter=tap", file],
    { cwd: fileURLToPath(new URL("..", import.meta.url)) },
  );
  expect(stdout).toMatch(/^# pass 2$/m);
  expect(stdout).toMatch(/^# fail 0$/m);
});
