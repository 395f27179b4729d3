import { PayloadTooLargeError, SerializationError } from "./errors.js";

/** Default size limit for inputs, events and step results: 1 MiB of JSON text. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * Deepest nesting of arrays and objects accepted in inputs, event payloads, step results, task
 * outputs and `ctx.setData` values: `[[1]]` is 2 levels deep. Deeper values are rejected with
 * `SerializationError` before anything is persisted: JSON engines (V8's `JSON.stringify`,
 * Postgres `jsonb`, Redis `cjson`) recurse per level and fail unpredictably far below 400,000.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * Serializes a user value to JSON text. `undefined` → `undefined` (stored as absent). Throws
 * `SerializationError` for values JSON cannot represent faithfully (functions, symbols, bigint,
 * cycles, non-finite numbers, more than {@link MAX_JSON_DEPTH} levels of nesting) and
 * `PayloadTooLargeError` past `maxBytes`.
 */
export function toJsonText(
  value: unknown,
  what: string,
  maxBytes = DEFAULT_MAX_PAYLOAD_BYTES,
): string | undefined {
  if (value === undefined) return undefined;
  assertJsonValue(value, what);
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

/** A value met while walking; the path is rebuilt from the parents only when it is reported. */
interface Visit {
  value: unknown;
  key: string | number | undefined;
  parent: Visit | undefined;
  depth: number;
}

/**
 * Walks the value depth-first with an explicit stack (no recursion, so no stack overflow however
 * deep the value), checking each node; `exit` entries take a container off the current path, so a
 * value shared by two branches is not mistaken for a cycle.
 */
function assertJsonValue(root: unknown, what: string): void {
  const stack: Array<Visit | { exit: object }> = [
    { value: root, key: undefined, parent: undefined, depth: 0 },
  ];
  const onPath = new Set<object>();
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    if ("exit" in entry) {
      onPath.delete(entry.exit);
      continue;
    }
    const { value } = entry;
    switch (typeof value) {
      case "string":
      case "boolean":
      case "undefined": // dropped inside objects, like JSON.stringify
        continue;
      case "number":
        if (!Number.isFinite(value))
          throw new SerializationError(`${pathOf(entry, what)} is ${value}, which JSON cannot represent.`);
        continue;
      case "object":
        break;
      default:
        throw new SerializationError(
          `${pathOf(entry, what)} is a ${typeof value}, which JSON cannot represent.`,
        );
    }
    if (value === null) continue;
    if (onPath.has(value))
      throw new SerializationError(`${pathOf(entry, what)} contains a cycle; JSON cannot represent it.`);
    if (typeof (value as { toJSON?: unknown }).toJSON === "function") continue; // Date and friends
    const depth = entry.depth + 1;
    if (depth > MAX_JSON_DEPTH) {
      throw new SerializationError(
        `${what} is nested more than ${MAX_JSON_DEPTH} levels deep (arrays and objects); flatten it.`,
        { details: { maxDepth: MAX_JSON_DEPTH } },
      );
    }
    const items: Array<[string | number, unknown]> = Array.isArray(value)
      ? [...value.entries()]
      : plainEntries(value, entry, what);
    onPath.add(value);
    stack.push({ exit: value });
    for (let i = items.length - 1; i >= 0; i--) {
      const [key, item] = items[i] as [string | number, unknown];
      stack.push({ value: item, key, parent: entry, depth });
    }
  }
}

function plainEntries(value: object, at: Visit, what: string): Array<[string, unknown]> {
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const kind = value.constructor?.name ?? "object";
    throw new SerializationError(
      `${pathOf(at, what)} is a ${kind}, not plain JSON data; convert it to an object or array.`,
    );
  }
  return Object.entries(value);
}

function pathOf(visit: Visit, what: string): string {
  const parts: string[] = [];
  for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) {
    parts.push(typeof v.key === "number" ? `[${v.key}]` : `.${v.key}`);
  }
  return what + parts.reverse().join("");
}
