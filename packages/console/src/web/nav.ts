/**
 * The console's top-level pages. Schedules and queues join this list (and the router) when the
 * HTTP API serves them.
 */
export const NAV_PAGES: readonly { href: string; label: string }[] = [
  { href: "#/", label: "Executions" },
  { href: "#/workers", label: "Workers" },
  { href: "#/pause-rules", label: "Pause rules" },
];
