import { readFileSync } from "node:fs";
import { defineConfig, type DefaultTheme } from "vitepress";

/** The API reference sidebar TypeDoc wrote (see typedoc.json), collapsed by package. */
function apiSidebar(): DefaultTheme.SidebarItem[] {
  const url = new URL("../reference/api/typedoc-sidebar.json", import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as DefaultTheme.SidebarItem[];
}

export default defineConfig({
  title: "Zart",
  description: "Durable executions for TypeScript on PostgreSQL, SQLite, Redis or in memory.",
  cleanUrls: true,
  lastUpdated: false,
  // The generated pages are written next to the hand-written ones; screenshots dropped into docs/
  // are plain assets. Nothing else in this folder is a page.
  srcExclude: ["**/README.md", "scripts/**", "snippets/**"],
  themeConfig: {
    search: { provider: "local" },
    nav: [
      { text: "Guide", link: "/guide/getting-started" },
      { text: "Reference", link: "/reference/api/" },
    ],
    sidebar: {
      "/reference/api/": [{ text: "API reference", items: apiSidebar() }],
      "/": [
        { text: "Guide", items: [{ text: "Getting started", link: "/guide/getting-started" }] },
        {
          text: "Reference",
          items: [
            { text: "HTTP API", link: "/reference/http-api" },
            { text: "CLI", link: "/reference/generated/cli" },
            { text: "API (TypeDoc)", link: "/reference/api/" },
          ],
        },
      ],
    },
  },
});
