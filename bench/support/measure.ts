// What the benches measure of one process: wall time, CPU seconds (user + system) and peak RSS, as
// /usr/bin/time reports them (VmHWM covers the process's worker threads), and the median of runs.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type ProcessMeasure = {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly rssKiB: number;
  readonly ok: boolean;
  /** The last line the process wrote on stderr, when it failed. */
  readonly failure?: string;
};

/** Runs `command args` under /usr/bin/time and returns what it cost. */
export function timedProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ProcessMeasure {
  const timeFile = join(tmpdir(), `kelisim-bench-time-${process.pid}`);
  const started = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M %U %S", "-o", timeFile, command, ...args], {
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [rssKiB, user, system] = readFileSync(timeFile, "utf8")
    .trim()
    .split("\n")
    .pop()!
    .split(" ")
    .map(Number) as [number, number, number];
  rmSync(timeFile, { force: true });
  const ok = r.status === 0;
  return {
    seconds,
    cpuSeconds: user + system,
    rssKiB,
    ok,
    ...(ok ? {} : { failure: r.stderr.toString().trim().split("\n").slice(-1)[0] }),
  };
}

/** The median (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
