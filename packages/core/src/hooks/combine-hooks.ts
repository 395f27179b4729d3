import type { Logger } from "../engine/logger.js";
import type { StepAttemptInfo, WorkerHooks } from "./worker-hooks.js";

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
  const wrappers = list.flatMap((hooks) => (hooks.runStep ? [hooks.runStep.bind(hooks)] : []));
  if (wrappers.length > 0) combined.runStep = nestWrappers(wrappers, logger);
  return combined;
}

type StepWrapper = NonNullable<WorkerHooks["runStep"]>;

/**
 * One `runStep` nesting `wrappers`, the first outermost. A wrapper that throws before it called its
 * body is logged and skipped (the body still runs once); an error from the body itself passes on.
 */
function nestWrappers(wrappers: StepWrapper[], logger: Logger): StepWrapper {
  return <T>(info: StepAttemptInfo, body: () => T): T =>
    wrappers.reduceRight<() => T>(
      (inner, wrapper) => () => {
        let called = false;
        const once = () => {
          called = true;
          return inner();
        };
        try {
          return wrapper(info, once);
        } catch (error) {
          if (called) throw error;
          logger.error({ hook: "runStep", error: String(error) }, "a worker hook threw; ignored");
          return inner();
        }
      },
      body,
    )();
}
