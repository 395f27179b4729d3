import { runConformance } from "@zart/conformance";
import { TutorialScheduler, TutorialStorage } from "../src/index.js";

let storage = new TutorialStorage();

runConformance({
  name: "store-tutorial",
  create: async (clock) => new TutorialScheduler({ clock, storage }),
  reset: async () => {
    storage = new TutorialStorage();
  },
});
