/**
 * A small pool of piece workers (one per core, at most 4): tasks go to whichever worker is free,
 * so that encryption/decryption and hashing of two pieces run on two cores side by side.
 */
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (bytes: number) => void;
};

/** The default number of piece workers: one per core, at most 4. */
export function defaultPieceWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** A pool of piece workers; `close()` when done. */
export class PieceWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: (() => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: Error | undefined;

  constructor(size = defaultPieceWorkers()) {
    // Lets the workers run minor collections themselves (see piece-worker.mjs): the flag is
    // process-wide but only gives isolates created afterwards a `gc` function.
    setFlagsFromString("--expose-gc");
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  /**
   * Adds a worker, which takes a queued task at once. Lets a caller start with fewer workers while its
   * own thread is still busy (e.g. decrypting a key), and add one when the core is free.
   */
  grow(): void {
    if (this.failed) return;
    this.release(this.spawn());
  }

  private spawn(): Worker {
    // Small heaps: a worker holds a few 1 MiB buffers at a time; a small young generation collects
    // the cipher's output buffers soon, which keeps the resident size flat for any carrier size.
    const worker = new Worker(new URL("./piece-worker.mjs", import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
    });
    worker.on("message", (message: { id: number; progress?: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(message.id);
      if (!p) return;
      if (message.progress !== undefined) {
        p.onProgress?.(message.progress);
        return;
      }
      this.pending.delete(message.id);
      this.release(worker);
      if (message.error !== undefined) p.reject(new Error(message.error));
      else p.resolve(message.result);
    });
    worker.on("error", (error) => {
      this.failed = error;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
    this.workers.push(worker);
    return worker;
  }

  private release(worker: Worker): void {
    const next = this.queue.shift();
    this.idle.push(worker);
    next?.();
  }

  /** Runs one task on the next free worker. */
  run<T>(task: Record<string, unknown>, onProgress?: (bytes: number) => void): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        const worker = this.idle.pop()!;
        const id = this.nextId++;
        this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
        worker.postMessage({ ...task, id });
      };
      if (this.idle.length > 0) start();
      else this.queue.push(start);
    });
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
