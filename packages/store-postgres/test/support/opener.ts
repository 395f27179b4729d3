import { silentLogger } from "@zart/core";
import { PostgresScheduler } from "../../src/index.js";

/** The multi-process suite's opener: `config` is `{ url, schema }` as JSON. */
export default function open(config: string): PostgresScheduler {
  const { url, schema } = JSON.parse(config) as { url: string; schema: string };
  return new PostgresScheduler({ connectionString: url, schema, poolSize: 8, logger: silentLogger });
}
