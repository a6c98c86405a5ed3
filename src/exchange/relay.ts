/**
 * The outbox relay: pushes pending parcels to the peer node, oldest first, and retries with
 * exponential back-off (with jitter, capped) while the peer is down or restarting. A refusal by
 * the peer is final and recorded; a delivered message is never sent again unless its answer is
 * asked for again (see the inbox).
 */
import type { Kysely } from "kysely";
import { toTimestamp } from "../store/columns.ts";
import type { Database } from "../store/schema.ts";
import { withTransaction } from "../store/transaction.ts";
import type { ExchangeAudit } from "./ports.ts";
import type { ParcelAck } from "./server.ts";
import { ParcelRefused } from "./transport/https-client.ts";
import { decodeParcel } from "./transport/parcel.ts";

/** What the relay needs of a transport (the HTTPS client, or a test double of the network). */
export interface ParcelSender {
  sendParcel(parcel: ReturnType<typeof decodeParcel>): Promise<ParcelAck>;
}

export type RelayOptions = {
  readonly db: Kysely<Database>;
  readonly peerParty: string;
  readonly sender: ParcelSender;
  readonly audit: ExchangeAudit;
  readonly now?: () => Date;
  /** First retry delay and the cap of the back-off, in ms. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How many parcels are in flight at once. */
  readonly concurrency?: number;
  /** Called with the peer's cosignature of our checkpoint, when an ack carries one. */
  readonly onCosignature?: (note: string) => Promise<void>;
  readonly log?: (line: string) => void;
};

/** The delay before attempt `attempts + 1`: base·2^attempts, capped, with ±25 % jitter. */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.min(attempts, 30));
  return Math.round(raw * (0.75 + random() * 0.5));
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private wake = false;

  constructor(private readonly options: RelayOptions) {}

  /** Starts relaying in the background. */
  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Asks the relay to look at the outbox now (a message was just enqueued). */
  poke(): void {
    if (this.running) this.wake = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** One pass: sends every due parcel; returns how many were delivered or refused. */
  async runOnce(): Promise<number> {
    const now = this.now();
    const due = await this.options.db
      .selectFrom("exchange_outbox")
      .select(["id", "seq", "attempts"])
      .where("state", "=", "pending")
      .where("peer_party", "=", this.options.peerParty)
      .where("next_attempt_at", "<=", toTimestamp(now))
      .orderBy("seq")
      .limit(64)
      .execute();
    let done = 0;
    const queue = [...due];
    const workers = Array.from(
      { length: Math.min(this.options.concurrency ?? 4, queue.length) },
      async () => {
        for (let row = queue.shift(); row && !this.stopped; row = queue.shift()) {
          if (await this.deliver(row.id, row.attempts)) done++;
        }
      },
    );
    await Promise.all(workers);
    return done;
  }

  private async deliver(id: string, attempts: number): Promise<boolean> {
    const row = await this.options.db
      .selectFrom("exchange_outbox")
      .select(["parcel", "state", "kind"])
      .where("id", "=", id)
      .executeTakeFirst();
    if (row?.state !== "pending") return false;
    try {
      const ack = await this.options.sender.sendParcel(decodeParcel(row.parcel));
      await this.options.db
        .updateTable("exchange_outbox")
        .set({
          state: "delivered",
          delivered_at: toTimestamp(this.now()),
          delivered_via: "https",
          ack: JSON.stringify(ack),
          last_error: null,
        })
        .where("id", "=", id)
        .where("state", "=", "pending")
        .execute();
      if (ack.cosignature && this.options.onCosignature) await this.options.onCosignature(ack.cosignature);
      return true;
    } catch (error) {
      if (error instanceof ParcelRefused) {
        await withTransaction(this.options.db, async (trx) => {
          await trx
            .updateTable("exchange_outbox")
            .set({ state: "refused", ack: JSON.stringify(error.ack), last_error: error.ack.code ?? null })
            .where("id", "=", id)
            .execute();
          await this.options.audit.append(trx, {
            actor: "exchange",
            organisationId: null,
            event: "message-refused-by-peer",
            object: `message:${id}`,
            outcome: "refused",
            articles: error.ack.articles ?? [],
            details: { kind: row.kind, code: error.ack.code ?? null },
          });
        });
        return true;
      }
      const delay = backoffDelay(
        attempts,
        this.options.baseDelayMs ?? 200,
        this.options.maxDelayMs ?? 10_000,
      );
      await this.options.db
        .updateTable("exchange_outbox")
        .set({
          attempts: attempts + 1,
          next_attempt_at: toTimestamp(new Date(this.now().getTime() + delay)),
          last_error: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300),
        })
        .where("id", "=", id)
        .where("state", "=", "pending")
        .execute();
      this.options.log?.(
        `relay: ${id} attempt ${attempts + 1} failed (${String(error)}); retry in ${delay} ms`,
      );
      return false;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), ms);
  }

  private async loop(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let next = 1000;
    try {
      this.wake = false;
      await this.runOnce();
      const soonest = await this.options.db
        .selectFrom("exchange_outbox")
        .select("next_attempt_at")
        .where("state", "=", "pending")
        .where("peer_party", "=", this.options.peerParty)
        .orderBy("next_attempt_at")
        .limit(1)
        .executeTakeFirst();
      if (soonest)
        next = Math.max(0, Math.min(1000, Date.parse(soonest.next_attempt_at) - this.now().getTime()));
      if (this.wake) next = 0;
    } catch (error) {
      this.options.log?.(`relay: ${String(error)}`);
    } finally {
      this.running = false;
    }
    this.schedule(next);
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }
}
