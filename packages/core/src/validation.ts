import { ValidationError } from "./errors.js";

export const MAX_ID_LENGTH = 255;

/** Execution ids, task names and event names: 1–255 characters, printable, no control characters. */
export function assertId(value: unknown, what: string): asserts value is string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationError(`${what} must be a non-empty string.`);
  }
  if (value.length > MAX_ID_LENGTH) {
    throw new ValidationError(`${what} is ${value.length} characters long; the limit is ${MAX_ID_LENGTH}.`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new ValidationError(`${what} contains control characters; use printable characters only.`);
  }
  // A lone surrogate is not valid UTF-8: databases would store U+FFFD and two ids could collide.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value)) {
    throw new ValidationError(`${what} is not well-formed Unicode (it has a lone surrogate).`);
  }
}

/** A Standard Schema (zod 3.24+/4, valibot, arktype, …). */
export interface StandardSchema<Output = unknown> {
  readonly "~standard": {
    readonly validate: (
      value: unknown,
    ) =>
      | { readonly value: Output; readonly issues?: undefined }
      | { readonly issues: readonly unknown[] }
      | Promise<
          { readonly value: Output; readonly issues?: undefined } | { readonly issues: readonly unknown[] }
        >;
  };
}

export type InferOutput<S> = S extends StandardSchema<infer O> ? O : unknown;

/** Validates with a Standard Schema; throws `ValidationError` carrying the issues. */
export async function validateWith<T>(schema: StandardSchema<T>, value: unknown, what: string): Promise<T> {
  const result = await schema["~standard"].validate(value);
  if (result.issues) {
    const summary = result.issues
      .slice(0, 3)
      .map((issue) => describeIssue(issue))
      .join("; ");
    throw new ValidationError(`${what} is invalid: ${summary}`, result.issues);
  }
  return result.value;
}

function describeIssue(issue: unknown): string {
  const { message, path } = issue as { message?: string; path?: readonly unknown[] };
  const where = path?.length
    ? `${path.map((p) => (typeof p === "object" && p ? (p as { key: unknown }).key : p)).join(".")}: `
    : "";
  return `${where}${message ?? "invalid value"}`;
}
