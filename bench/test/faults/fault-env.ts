/**
 * The services and the size of the fault tests (`bench/test/faults`). They run in `pnpm test` with
 * small counts (seconds); `ZART_FAULTS_FULL=1` runs the counts of issue #19.
 */
export function faultScale<T>(small: T, full: T): T {
  return process.env.ZART_FAULTS_FULL === "1" ? full : small;
}

/** The shared servers (unset: the tests needing one are skipped, unless `ZART_TEST_REQUIRE_ALL=1`). */
export function storeUrls(): { postgres?: string; redis?: string } {
  const postgres = process.env.ZART_TEST_POSTGRES_URL;
  const redis = process.env.ZART_TEST_REDIS_URL;
  if (process.env.ZART_TEST_REQUIRE_ALL === "1" && (!postgres || !redis)) {
    throw new Error("fault tests: ZART_TEST_POSTGRES_URL and ZART_TEST_REDIS_URL must be set.");
  }
  return { ...(postgres ? { postgres } : {}), ...(redis ? { redis } : {}) };
}
