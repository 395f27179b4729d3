import { writeFile } from "node:fs/promises";
import { API_TYPES_PATH, renderApiTypes } from "./api-types.js";

await writeFile(API_TYPES_PATH, await renderApiTypes());
console.log(`wrote ${API_TYPES_PATH.pathname}`);
