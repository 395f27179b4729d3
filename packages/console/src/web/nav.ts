/**
 * The console's top-level pages. Schedules join this list (and the router) when the HTTP API
 * serves them.
 */
export const NAV_PAGES: readonly { href: string; label: string }[] = [
  { href: "#/", label: "Executions" },
  { href: "#/queues", label: "Queues" },
  { href: "#/workers", label: "Workers" },
  { href: "#/pause-rules", label: "Pause rules" },
];
