/** A fixed-window counter per key (client address), in memory: a node is one process per API server. */
export class RateLimiter {
  readonly #hits = new Map<string, { windowStart: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts a hit and returns false when the key went over its limit in the current window. */
  take(key: string, now: number = Date.now()): boolean {
    const entry = this.#hits.get(key);
    if (!entry || now - entry.windowStart >= this.windowMs) {
      this.#hits.set(key, { windowStart: now, count: 1 });
      if (this.#hits.size > 10_000) this.#sweep(now);
      return true;
    }
    entry.count += 1;
    return entry.count <= this.limit;
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#hits)
      if (now - entry.windowStart >= this.windowMs) this.#hits.delete(key);
  }
}
