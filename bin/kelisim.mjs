#!/usr/bin/env node
// Entry point of the `kelisim` command: runs the CLI as compiled by `npm run build` (src/ → dist/,
// which `npm install` runs through `prepare`). Nothing is compiled or bundled here; stack traces
// name the TypeScript source lines through the build's source maps.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    `kelisim: ${fileURLToPath(entry)} is missing: run \`npm run build\` in ${fileURLToPath(new URL("..", import.meta.url))}\n`,
  );
  process.exit(70);
}
process.setSourceMapsEnabled(true);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
