import type { Logger } from "../engine/logger.js";
import type { WorkerHooks } from "./worker-hooks.js";

const HOOK_NAMES = ["attemptStarted", "attemptEnded", "stepStarted", "stepEnded", "suspended"] as const;

/**
 * One `WorkerHooks` calling each of `list` in order. Only the callbacks some member has are set, so
 * the engine's `hooks.x?.()` skips the others; an error a callback throws is logged, never raised.
 */
export function combineHooks(list: readonly WorkerHooks[], logger: Logger): WorkerHooks {
  const combined: WorkerHooks = {};
  for (const name of HOOK_NAMES) {
    const callbacks = list.flatMap((hooks) => {
      const callback = hooks[name];
      return callback ? [callback.bind(hooks) as (info: never) => void] : [];
    });
    if (callbacks.length === 0) continue;
    combined[name] = (info: never) => {
      for (const callback of callbacks) {
        try {
          callback(info);
        } catch (error) {
          logger.error({ hook: name, error: String(error) }, "a worker hook threw; ignored");
        }
      }
    };
  }
  return combined;
}
