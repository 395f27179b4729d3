import { PayloadTooLargeError, SerializationError } from "./errors.js";

/** Default size limit for inputs, events and step results: 1 MiB of JSON text. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * Serializes a user value to JSON text. `undefined` → `undefined` (stored as absent). Throws
 * `SerializationError` for values JSON cannot represent faithfully (functions, symbols, bigint,
 * cycles, non-finite numbers) and `PayloadTooLargeError` past `maxBytes`.
 */
export function toJsonText(
  value: unknown,
  what: string,
  maxBytes = DEFAULT_MAX_PAYLOAD_BYTES,
): string | undefined {
  if (value === undefined) return undefined;
  assertJsonValue(value, what, new Set());
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new SerializationError(`${what} is not JSON-serializable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const size = Buffer.byteLength(text, "utf8");
  if (size > maxBytes) throw new PayloadTooLargeError(what, size, maxBytes);
  return text;
}

/** Parses JSON text written by {@link toJsonText}; absent → `undefined`. */
export function fromJsonText<T = unknown>(text: string | undefined): T {
  return (text === undefined ? undefined : JSON.parse(text)) as T;
}

function assertJsonValue(value: unknown, path: string, seen: Set<object>): void {
  switch (typeof value) {
    case "string":
    case "boolean":
      return;
    case "number":
      if (!Number.isFinite(value))
        throw new SerializationError(`${path} is ${value}, which JSON cannot represent.`);
      return;
    case "undefined":
      return; // dropped inside objects, like JSON.stringify
    case "object": {
      if (value === null) return;
      if (seen.has(value))
        throw new SerializationError(`${path} contains a cycle; JSON cannot represent it.`);
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") return; // Date and friends
      seen.add(value);
      if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) assertJsonValue(item, `${path}[${i}]`, seen);
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
          const kind = (value as object).constructor?.name ?? "object";
          throw new SerializationError(
            `${path} is a ${kind}, not plain JSON data; convert it to an object or array.`,
          );
        }
        for (const [key, item] of Object.entries(value)) assertJsonValue(item, `${path}.${key}`, seen);
      }
      seen.delete(value);
      return;
    }
    default:
      throw new SerializationError(`${path} is a ${typeof value}, which JSON cannot represent.`);
  }
}
