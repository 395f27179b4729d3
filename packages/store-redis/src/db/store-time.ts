import { type Clock, type Logger, StoreClock, systemClock } from "@zart/core";
import type { RedisClient } from "./commands.js";
import type { KeyLayout } from "./keys.js";

/** Redis `TIME` from a script routed by the keyspace's key, so a Cluster answers from the keyspace's shard. */
const READ_TIME = "return redis.call('TIME')";

/**
 * The clock of `timeSource: "database"`: `base` plus its offset to the Redis server's `TIME`,
 * measured again whenever the connection becomes ready (a reconnect, possibly to a promoted
 * replica with another clock). Returns the clock and what detaches it from the client.
 */
export function databaseClock(
  client: RedisClient,
  keys: KeyLayout,
  base: Clock | undefined,
  logger: Logger,
): [StoreClock, () => void] {
  const clock = new StoreClock({
    base: base ?? systemClock,
    logger,
    // One connection carries every command: a reading queued behind the store's own traffic has a
    // longer round trip, and the shortest of the samples is kept.
    openProbe: async () => ({
      read: async () => {
        const [seconds, micros] = (await client.eval(READ_TIME, 1, keys.meta)) as [string, string];
        return Number(seconds) * 1000 + Number(micros) / 1000;
      },
      release: () => {},
    }),
  });
  const onReady = () => void clock.refresh();
  client.on("ready", onReady);
  return [
    clock,
    () => {
      clock.close();
      client.off("ready", onReady);
    },
  ];
}
