import { runConformance } from "@zart/conformance";
import { MemoryScheduler, MemoryStorage } from "../src/index.js";

let storage = new MemoryStorage();

runConformance({
  name: "memory",
  create: async (clock) => new MemoryScheduler({ clock, storage }),
  reset: async () => {
    storage = new MemoryStorage();
  },
});
