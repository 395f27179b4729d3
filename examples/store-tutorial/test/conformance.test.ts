import { conformanceHarness, SUITES } from "@zart/conformance";
import { describe } from "vitest";
import { TutorialScheduler, TutorialStorage } from "../src/index.js";

let storage = new TutorialStorage();

// Every topic, one by one in the README's order (what `runConformance` does). While a store is being
// written, call only the topics that pass (`storeVerbsSuite(harness); executionsSuite(harness); …`)
// and give `conformanceHarness` a `skip` of single tests by id, e.g. `{ "events.queuesOffersFifo": "…" }`.
describe("zart conformance: store-tutorial", () => {
  const harness = conformanceHarness({
    create: async (clock) => new TutorialScheduler({ clock, storage }),
    reset: async () => {
      storage = new TutorialStorage();
    },
  });
  for (const suite of SUITES) suite(harness);
});
