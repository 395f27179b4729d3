export { storeLoader } from "./loader.js";
export type { TutorialSchedulerOptions } from "./options.js";
export { TutorialStorage } from "./storage/tutorial-storage.js";
export { TutorialScheduler } from "./tutorial-scheduler.js";
