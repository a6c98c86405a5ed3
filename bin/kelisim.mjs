#!/usr/bin/env node
// Entry point of the `kelisim` command. Runs the TypeScript sources through tsx so that the
// checkout works without a build step (`npx kelisim …`).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv);
