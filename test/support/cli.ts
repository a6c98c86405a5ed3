// The `kelisim` command the tests run: the checkout's bin/kelisim.mjs (which runs dist/, so build
// first: `npm run build`, or any vitest run, see test/global-setup.ts), or the one named by
// KELISIM_BIN: `npm run test:production` points it at a production install (`npm ci --omit=dev`)
// so that a runtime dependency missing from package.json's `dependencies` fails the tests.
import { resolve } from "node:path";

export const KELISIM_BIN = resolve(
  process.env.KELISIM_BIN ?? resolve(import.meta.dirname, "..", "..", "bin", "kelisim.mjs"),
);
