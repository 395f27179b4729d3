import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

/** Builds the single-page console into `dist/web` (served by `serveConsole` from `@zart/server`). */
export default defineConfig({
  root: import.meta.dirname,
  // Relative links: the console works wherever it is mounted (`/`, `/ops/`, …).
  base: "./",
  plugins: [preact()],
  // `pnpm dev`: the page from Vite, the API from a running `zart serve`.
  server: { proxy: { "/api": process.env.ZART_URL ?? "http://127.0.0.1:3000" } },
  build: { outDir: "dist/web", emptyOutDir: true, assetsInlineLimit: 0, sourcemap: false },
});
