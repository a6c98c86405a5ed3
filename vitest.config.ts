import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one on this 2-core machine, so the files ran
    // one after another. Most of their time is spent waiting on node processes, browsers and the
    // relay, not on this process's CPU: two workers keep both cores busy.
    maxWorkers: 2,
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
