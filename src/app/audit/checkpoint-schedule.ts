// The running node signs checkpoints of its audit log by itself (A4.1.1, A6.2): every N new entries
// and every T minutes when entries were added since the last one, each appended to the witness
// file by signNodeAuditCheckpoint. Nobody has to remember `kelisim audit checkpoint`, and the
// entries after the newest checkpoint — which no witness knows yet — stay few and recent.
//
//   const schedule = startAuditCheckpoints(node, { log });   // in `kelisim serve`
//   await schedule.stop();                                    // signs what is new, then stops
//
// It polls the log's head (one row) on a timer; the timer and the clock are injected so tests
// drive it with `tick()` and a settable clock, never sleeps.
import { readAuditHead } from "../../audit/log.ts";
import { auditWitnessPath, readLastAuditWitness } from "../../audit/witness-file.ts";
import { DEFAULT_AUDIT_CHECKPOINT_EVERY } from "../../node/node-config.ts";
import type { OpenNode } from "../../node/open-node.ts";
import { signNodeAuditCheckpoint } from "./log-operations.ts";

/** When to sign: after this many new entries, or this long after the last checkpoint. */
export type AuditCheckpointPolicy = { readonly everyEntries: number; readonly everyMs: number };

/** A repeating timer: calls `fn` every `ms` until the returned function is called. */
export type IntervalTimer = (fn: () => void, ms: number) => () => void;

/** The real timer (unref'd: it never keeps the process alive by itself). */
export const realIntervalTimer: IntervalTimer = (fn, ms) => {
  const handle = setInterval(fn, ms);
  handle.unref();
  return () => clearInterval(handle);
};

/** The node's policy: `audit.checkpointEveryEntries` / `checkpointEveryMinutes` of node.json, else 100 and 10. */
export function auditCheckpointPolicy(node: OpenNode): AuditCheckpointPolicy {
  const configured = node.config.audit;
  return {
    everyEntries: configured?.checkpointEveryEntries ?? DEFAULT_AUDIT_CHECKPOINT_EVERY.entries,
    everyMs: (configured?.checkpointEveryMinutes ?? DEFAULT_AUDIT_CHECKPOINT_EVERY.minutes) * 60_000,
  };
}

/** The size of the newest checkpoint in the witness file (its note's second line); 0 when none or unreadable. */
function witnessedSize(path: string): number {
  try {
    const size = Number(readLastAuditWitness(path)?.split("\n")[1] ?? "0");
    return Number.isSafeInteger(size) && size >= 0 ? size : 0;
  } catch {
    return 0;
  }
}

export type AuditCheckpointSchedule = {
  /** Checks the log once and signs if the policy says so; the size signed, or null. */
  tick(): Promise<number | null>;
  /** Stops the timer, waits for a signing under way, and signs what was added since the last one. */
  stop(): Promise<void>;
};

/**
 * Starts signing checkpoints of the node's log by policy. `pollMs` (default: a tenth of the
 * period, at most 5 s) is how often the head is read. A signing that fails (the log no longer
 * extends the witness file's newest checkpoint, the file cannot be written) is reported through
 * `log` (once until it changes or a signing succeeds) and tried again at the next tick.
 */
export function startAuditCheckpoints(
  node: OpenNode,
  options: {
    policy?: AuditCheckpointPolicy;
    now?: () => Date;
    timer?: IntervalTimer;
    pollMs?: number;
    log?: (line: string) => void;
    env?: NodeJS.ProcessEnv;
  } = {},
): AuditCheckpointSchedule {
  const policy = options.policy ?? auditCheckpointPolicy(node);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pollMs = options.pollMs ?? Math.min(5_000, Math.max(1, Math.floor(policy.everyMs / 10)));
  let signedSize: number | null = null;
  let signedAt = now().getTime();
  let running: Promise<number | null> | null = null;
  let stopped = false;
  let lastFailure: string | null = null;

  const check = async (force: boolean): Promise<number | null> => {
    // New entries count from the newest checkpoint the witness file holds: those the exchange signs
    // for the peer are stored but not witnessed, and signing one again appends it.
    signedSize ??= witnessedSize(auditWitnessPath(node.location.dataDir, options.env));
    const head = await readAuditHead(node.db);
    const added = head.size - signedSize;
    if (added <= 0) return null;
    const due = force || added >= policy.everyEntries || now().getTime() - signedAt >= policy.everyMs;
    if (!due) return null;
    const at = now();
    const { checkpoint } = await signNodeAuditCheckpoint(node, at, options.env ? { env: options.env } : {});
    signedSize = checkpoint.size;
    signedAt = at.getTime();
    return checkpoint.size;
  };
  const run = (force: boolean): Promise<number | null> => {
    if (running) return running;
    running = check(force)
      .then((size) => {
        if (size !== null) lastFailure = null;
        return size;
      })
      .catch((error: unknown) => {
        // Said once until it changes or a signing succeeds, not at every tick.
        const line = `kelisim: audit checkpoint not signed: ${error instanceof Error ? error.message : String(error)}`;
        if (line !== lastFailure) log(line);
        lastFailure = line;
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const cancel = (options.timer ?? realIntervalTimer)(() => {
    if (!stopped) void run(false);
  }, pollMs);
  return {
    tick: () => run(false),
    async stop() {
      if (stopped) return;
      stopped = true;
      cancel();
      while (running) await running;
      await run(true);
    },
  };
}
