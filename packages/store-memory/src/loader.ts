import { type StoreLoader, ValidationError } from "@zart/core/store";
import { MemoryScheduler } from "./memory-scheduler.js";

/** Opens `memory:`: an empty store in this process, gone when it exits. */
export const storeLoader: StoreLoader = {
  schemes: ["memory"],
  embedded: true,
  open(url, options = {}) {
    if (!/^memory:(\/\/)?$/i.test(url.trim())) {
      throw new ValidationError(`The memory store takes no path or options: use "memory:", not "${url}".`);
    }
    return new MemoryScheduler(options.clock ? { clock: options.clock } : {});
  },
};
