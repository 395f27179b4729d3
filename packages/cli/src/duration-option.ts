import { Option } from "commander";
import { parseDurationArg } from "./parse-args.js";

/**
 * A duration flag whose help shows its default as written (`(default: "5m")`), not in
 * milliseconds; the parsed value is milliseconds.
 */
export function durationOption(flags: string, description: string, defaultValue: string): Option {
  return new Option(flags, description)
    .argParser(parseDurationArg)
    .default(parseDurationArg(defaultValue), defaultValue);
}
