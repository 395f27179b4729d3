import { multiProcessSuite } from "@zart/conformance";
import { describe, it } from "vitest";
import { deleteKeyspace, REDIS_URL, redisAvailable, uniquePrefix } from "./redis-env.js";

if (redisAvailable) {
  // Worker processes on one server, each test in a keyspace of its own.
  multiProcessSuite({
    name: "redis",
    opener: new URL("./fixtures/opener.ts", import.meta.url),
    storage: async () => JSON.stringify({ url: REDIS_URL, prefix: uniquePrefix("multiprocess") }),
    dispose: async (config) => deleteKeyspace((JSON.parse(config) as { prefix: string }).prefix),
  });
} else {
  describe.skip("zart multi-process: redis (no Redis reachable)", () => {
    it("needs a Redis server", () => {});
  });
}
