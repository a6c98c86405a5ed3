#!/usr/bin/env node
// Fails the build when a door of the node (src/api: HTTP, src/cli: the command line) reaches the
// database itself, or when a lower layer imports a higher one. The doors parse, call one use case
// of src/app and map its result (ARCHITECTURE.md): no query builder, no database handle, no import
// of src/store or of a database driver there. And src/store imports neither src/app nor a door.
// Tests are left out (they may look into the database to check what a use case did).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = process.argv[2]
  ? resolve(process.argv[2])
  : resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const DOORS = ["api", "cli"].map((d) => join(src, d));
const DRIVERS = new Set(["kysely", "pg", "better-sqlite3"]);
const FORBIDDEN_IN_DOORS = [
  [
    /\.(selectFrom|insertInto|updateTable|deleteFrom|selectNoFrom|with|transaction)\s*\(/,
    "builds a query: call a use case of src/app",
  ],
  [/\.db\b/, "holds the database handle: call a use case of src/app"],
  [/\bsql\s*`/, "writes SQL: call a use case of src/app"],
];
// What each layer may not import (dependencies point down only).
const UPWARD = [
  [join(src, "store"), [join(src, "app"), join(src, "api"), join(src, "cli")]],
  [join(src, "app"), [join(src, "api"), join(src, "cli")]],
];

function* walk(dir) {
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|tsx|mts|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name)) yield p;
  }
}

const inside = (file, dir) => file === dir || file.startsWith(dir + sep);
const problems = [];
for (const file of walk(src)) {
  const rel = relative(root, file);
  const isDoor = DOORS.some((d) => inside(file, d));
  const upward = UPWARD.find(([layer]) => inside(file, layer));
  if (!isDoor && !upward) continue;
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "");
      for (const m of code.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
        const spec = m[1];
        const target = spec.startsWith(".") ? resolve(dirname(file), spec) : null;
        if (isDoor) {
          if (target && inside(target, join(src, "store")))
            problems.push(`${rel}:${i + 1}: imports ${spec}: the doors reach the store only through src/app`);
          if (!target && DRIVERS.has(spec))
            problems.push(
              `${rel}:${i + 1}: imports "${spec}": the doors reach the database only through src/app`,
            );
        }
        if (upward && target) {
          for (const higher of upward[1])
            if (inside(target, higher))
              problems.push(
                `${rel}:${i + 1}: imports ${spec}: ${relative(root, upward[0])} may not depend on ${relative(root, higher)}`,
              );
        }
      }
      if (isDoor)
        for (const [re, why] of FORBIDDEN_IN_DOORS)
          if (re.test(code)) problems.push(`${rel}:${i + 1}: ${why}`);
    });
}
if (problems.length > 0) {
  console.error(`the layers are crossed (${problems.length} problem(s)):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log("layers: ok");
