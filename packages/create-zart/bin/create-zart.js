#!/usr/bin/env node
// `npm create zart@latest my-app` runs this.
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv.slice(2));
