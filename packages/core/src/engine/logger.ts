/** Structured context of a log line: ids, names, counts, an error's message. */
export type LogFields = Record<string, unknown>;

/**
 * Where the worker, the stores and the server report what they do. The shape is pino's (fields
 * first, then the message), so a `pino()` logger fits as is; so does any object with these
 * methods. `child` (optional, as pino's) returns a logger whose lines carry `bindings`.
 */
export interface Logger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
  child?(bindings: LogFields): Logger;
}

/** A logger whose lines carry `bindings`: `logger.child(bindings)` when it has one, else a wrapper. */
export function childLogger(logger: Logger, bindings: LogFields): Logger {
  if (logger.child) return logger.child(bindings);
  const at =
    (level: keyof Omit<Logger, "child">) =>
    (fields: LogFields, message: string): void =>
      logger[level]({ ...bindings, ...fields }, message);
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** Default: warnings and errors to stderr, one line each, nothing else. */
export const consoleLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (fields, message) => console.warn(`[zart] ${message}${suffix(fields)}`),
  error: (fields, message) => console.error(`[zart] ${message}${suffix(fields)}`),
};

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function suffix(fields: LogFields): string {
  if (Object.keys(fields).length === 0) return "";
  try {
    return ` ${JSON.stringify(fields)}`;
  } catch {
    return "";
  }
}
