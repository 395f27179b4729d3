import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import { theme as openApiTheme, useOpenapi, useTheme } from "vitepress-openapi/client";
import "vitepress-openapi/dist/style.css";
import spec from "../../http/openapi.json";

/** The default theme plus the OpenAPI components (`<OASpec />`), fed the server's own document. */
export default {
  extends: DefaultTheme,
  async enhanceApp(context) {
    useTheme({
      operation: {
        // Code samples target `zart serve`'s default address; no in-browser playground (the
        // server sends no CORS headers, and the docs are not served next to an API).
        defaultBaseUrl: "http://127.0.0.1:3000",
        hiddenSlots: ["playground"],
      },
    });
    useOpenapi({ spec });
    await openApiTheme.enhanceApp(context);
  },
} satisfies Theme;
