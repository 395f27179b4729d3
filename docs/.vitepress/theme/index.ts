import type { Theme } from "vitepress";
import DefaultTheme from "vitepress/theme";
import { theme as openApiTheme, useOpenapi } from "vitepress-openapi/client";
import "vitepress-openapi/dist/style.css";
import spec from "../../http/openapi.json";

/** The default theme plus the OpenAPI components (`<OASpec />`), fed the server's own document. */
export default {
  extends: DefaultTheme,
  async enhanceApp(context) {
    useOpenapi({ spec });
    await openApiTheme.enhanceApp(context);
  },
} satisfies Theme;
