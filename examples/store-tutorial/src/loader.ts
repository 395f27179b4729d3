import type { StoreLoader } from "@zart/core/store";
import { TutorialScheduler } from "./tutorial-scheduler.js";

/** Opens `tutorial:` URLs (each one a new, empty store in this process), for `ZART_STORE_MODULES`. */
export const storeLoader: StoreLoader = {
  schemes: ["tutorial"],
  embedded: true,
  open: (_url, options = {}) => new TutorialScheduler(options.clock ? { clock: options.clock } : {}),
};
