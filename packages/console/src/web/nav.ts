/** The console's top-level pages (each a route of `router.ts`). */
export const NAV_PAGES: readonly { href: string; label: string }[] = [
  { href: "#/", label: "Executions" },
  { href: "#/queues", label: "Queues" },
  { href: "#/schedules", label: "Schedules" },
  { href: "#/workers", label: "Workers" },
  { href: "#/pause-rules", label: "Pause rules" },
];
