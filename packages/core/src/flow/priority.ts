import { ValidationError } from "../errors.js";

/** The highest priority a start may ask for (fits every store's integer column). */
export const MAX_PRIORITY = 2_147_483_647;

/**
 * Checks a start's `priority`: an integer from 0 (the default) to {@link MAX_PRIORITY}; higher is
 * claimed first. Returns it, or `undefined` for the default, so stores store nothing extra for it.
 */
export function checkPriority(priority: unknown): number | undefined {
  if (priority === undefined || priority === 0) return undefined;
  if (
    typeof priority !== "number" ||
    !Number.isInteger(priority) ||
    priority < 0 ||
    priority > MAX_PRIORITY
  ) {
    throw new ValidationError(
      `priority must be an integer from 0 to ${MAX_PRIORITY} (higher runs first), got ${String(priority)}.`,
    );
  }
  return priority;
}
