import { readFileSync } from "node:fs";
import { type DefaultTheme, defineConfig } from "vitepress";

/** The API reference sidebar TypeDoc wrote (see typedoc.json). */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const url = new URL("../reference/api/typedoc-sidebar.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as DefaultTheme.SidebarItem[];
}

const guide: DefaultTheme.SidebarItem[] = [
  {
    text: "Introduction",
    items: [
      { text: "What is Zart?", link: "/guide/" },
      { text: "Getting started", link: "/guide/getting-started" },
    ],
  },
  {
    text: "Concepts",
    items: [
      { text: "Executions", link: "/concepts/executions" },
      { text: "Steps", link: "/concepts/steps" },
      { text: "Replay", link: "/concepts/replay" },
      { text: "Determinism", link: "/concepts/determinism" },
      { text: "Errors and retries", link: "/concepts/errors-and-retries" },
    ],
  },
  {
    text: "The ctx API",
    items: [
      { text: "Overview", link: "/context/" },
      { text: "step / stepWithRetry", link: "/context/step" },
      { text: "defineStep / context()", link: "/context/define-step" },
      { text: "sleep / sleepUntil", link: "/context/sleep" },
      { text: "waitForEvent", link: "/context/wait-for-event" },
      { text: "scheduleStep / waitAll", link: "/context/parallel" },
      { text: "now / capture", link: "/context/durable-values" },
      { text: "data / setData", link: "/context/data" },
      { text: "signal and metadata", link: "/context/signal" },
    ],
  },
  {
    text: "Building with Zart",
    items: [
      { text: "Tasks and the registry", link: "/guide/tasks" },
      { text: "The client: DurableScheduler", link: "/guide/client" },
      { text: "Workers", link: "/guide/worker" },
      { text: "Schedules (cron)", link: "/guide/schedules" },
      { text: "Operator actions and pause rules", link: "/guide/operator-actions" },
      { text: "Testing", link: "/guide/testing" },
      { text: "Deploying", link: "/guide/deploying" },
      { text: "Observability", link: "/guide/observability" },
      { text: "Performance and tuning", link: "/guide/performance" },
    ],
  },
  {
    text: "Stores",
    items: [
      { text: "Choosing a store", link: "/stores/" },
      { text: "PostgreSQL", link: "/stores/postgres" },
      { text: "SQLite", link: "/stores/sqlite" },
      { text: "Redis", link: "/stores/redis" },
      { text: "Memory", link: "/stores/memory" },
      { text: "Writing a store", link: "/stores/custom" },
    ],
  },
  {
    text: "HTTP API and CLI",
    items: [
      { text: "HTTP API", link: "/http/" },
      { text: "HTTP API reference", link: "/http/reference" },
      { text: "Operator console", link: "/http/console" },
      { text: "CLI", link: "/cli/" },
      { text: "CLI reference", link: "/cli/reference" },
    ],
  },
  {
    text: "Migrating",
    items: [
      { text: "From the Rust Zart", link: "/migration/rust-zart" },
      { text: "From Temporal", link: "/migration/temporal" },
      { text: "From DBOS", link: "/migration/dbos" },
      { text: "From Inngest", link: "/migration/inngest" },
    ],
  },
];

export default defineConfig({
  title: "Zart",
  description: "Durable executions for TypeScript on PostgreSQL, SQLite, Redis or in memory.",
  cleanUrls: true,
  // Dead links fail the build (VitePress's default); keep it that way.
  ignoreDeadLinks: false,
  // Sources that are not pages. Screenshots dropped into docs/ are plain assets.
  srcExclude: ["**/README.md", "scripts/**", "snippets/**"],
  themeConfig: {
    search: { provider: "local" },
    outline: [2, 3],
    nav: [
      {
        text: "Guide",
        link: "/guide/getting-started",
        activeMatch: "^/(guide|concepts|context|stores|migration)/",
      },
      { text: "HTTP API", link: "/http/", activeMatch: "^/http/" },
      { text: "CLI", link: "/cli/", activeMatch: "^/cli/" },
      { text: "API reference", link: "/reference/api/", activeMatch: "^/reference/" },
    ],
    sidebar: {
      "/reference/api/": [{ text: "API reference", items: apiSidebar() }],
      "/": guide,
    },
  },
});
