import { type Clock, systemClock } from "@zart/core/store";
import { TutorialStorage } from "./storage/tutorial-storage.js";

export interface TutorialSchedulerOptions {
  clock?: Clock;
  /** The data to work on (another scheduler's, to reopen it). Default: new and empty. */
  storage?: TutorialStorage;
}

export function resolveOptions(options: TutorialSchedulerOptions): Required<TutorialSchedulerOptions> {
  return { clock: options.clock ?? systemClock, storage: options.storage ?? new TutorialStorage() };
}
