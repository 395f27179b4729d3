import { relative } from "node:path";
import { CreateProjectError, createProject } from "./create-project.js";

const USAGE = `Usage: npm create zart@latest [directory]

Writes a TypeScript project with a Zart task, a worker, a test and scripts for SQLite and
PostgreSQL into <directory> (default: zart-app), which must be empty or missing.`;

/** The `create-zart` command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const positional = args.filter((arg) => !arg.startsWith("-"));
  if (positional.length > 1 || positional.length < args.length) {
    console.error(`create-zart: unexpected arguments: ${args.join(" ")}\n\n${USAGE}`);
    return 2;
  }
  try {
    const root = await createProject(positional[0] ?? "zart-app");
    const cd = relative(process.cwd(), root) || ".";
    console.log(`Created ${root}\n\nNext:\n  cd ${cd}\n  npm install\n  npm start\n  npm test`);
    return 0;
  } catch (error) {
    if (!(error instanceof CreateProjectError)) throw error;
    console.error(`create-zart: ${error.message}`);
    return 1;
  }
}
