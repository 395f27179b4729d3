// #region conformance
// test/conformance.test.ts of a store package
import { runConformance } from "@zart/conformance";
import { MemoryScheduler, MemoryStorage } from "@zart/store-memory";

let storage = new MemoryStorage();

runConformance({
  name: "memory",
  // A NEW scheduler over the SAME storage each call (durability tests reopen it).
  create: async (clock) => new MemoryScheduler({ clock, storage }),
  // Empty storage before each test.
  reset: async () => {
    storage = new MemoryStorage();
  },
});
// #endregion conformance
