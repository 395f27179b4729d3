import { SqliteScheduler } from "../../src/index.js";

/** The multi-process suite's opener: `config` is the database file's path. */
export default function open(path: string): SqliteScheduler {
  return new SqliteScheduler({ path });
}
