/**
 * The console's top-level pages. Workers, schedules and queues join this list (and the router)
 * when the HTTP API serves them.
 */
export const NAV_PAGES: readonly { href: string; label: string }[] = [{ href: "#/", label: "Executions" }];
