import type { Logger } from "@zart/core";
import { type LevelWithSilent, pino } from "pino";
import PinoPretty from "pino-pretty";

/** `--log-format`: `json` lines (for collectors), or `pretty` lines (for people). */
export type LogFormat = "json" | "pretty";

/** Levels `--log-level` accepts, quietest last. */
export const LOG_LEVELS: readonly LevelWithSilent[] = [
  "trace",
  "debug",
  "info",
  "warn",
  "error",
  "fatal",
  "silent",
];

/**
 * The logger of `zart serve`: pino on stderr (stdout carries the start-up hint), JSON lines unless
 * `format` says otherwise or, without a format, stderr is a terminal. Writes are synchronous, so
 * the last lines before an exit are not lost.
 */
export function createServeLogger(level: LevelWithSilent, format?: LogFormat): Logger {
  const pretty = format === undefined ? process.stderr.isTTY === true : format === "pretty";
  const destination = pretty
    ? PinoPretty({ destination: 2, sync: true, colorize: process.stderr.isTTY === true })
    : pino.destination({ fd: 2, sync: true });
  return pino({ level, base: { pid: process.pid } }, destination);
}
