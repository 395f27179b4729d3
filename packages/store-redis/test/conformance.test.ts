import { runConformance } from "@zart/conformance";
import { describe, it } from "vitest";
import { deleteKeyspace, redisAvailable, testScheduler, uniquePrefix } from "./redis-env.js";

/** One keyspace for the whole suite: every `create()` reaches the same data until the next reset. */
const PREFIX = uniquePrefix("conformance");

if (redisAvailable) {
  runConformance({
    name: "redis",
    create: async (clock) => testScheduler({ clock, prefix: PREFIX }),
    reset: () => deleteKeyspace(PREFIX),
    teardown: () => deleteKeyspace(PREFIX),
  });
} else {
  describe.skip("zart conformance: redis (no Redis reachable)", () => {
    it("needs a Redis server", () => {});
  });
}
