/**
 * `COPY … TO STDOUT` on a pg client, handed to the caller as the server's bytes as they arrive on
 * the wire: the frames of the copy (CopyOutResponse, one CopyData per row, CopyDone, and any
 * NoticeResponse or ParameterStatus between them), unparsed. The caller parses the rows where they
 * lie: the audit verifier reads a million rows this way without making an object per row.
 *
 * Written here rather than taken from pg-copy-streams, which does the same take-over of the
 * client's socket: that library cuts every CopyData frame out into a buffer of its own and
 * concatenates them again, which cost the verifier more CPU than the server's whole COPY.
 *
 * How: `client.query(copy)` makes this the client's active query; `submit` takes the socket's
 * data listener (pg's protocol parser) away, sends the query, and scans the frames that arrive
 * (type and length only). Everything up to and including CopyDone goes to the caller; what follows
 * (CommandComplete, ReadyForQuery) goes back to pg's parser, with its listener, so the client ends
 * the query as usual. An ErrorResponse, and all that follows it, goes back to pg the same way: pg
 * then calls `handleError`, and `take()` throws that error.
 */
import type { Readable } from "node:stream";

/** Bytes queued and not yet taken at which the socket is paused (so memory stays bounded). */
const HIGH_WATER_BYTES = 8 * 1024 * 1024;
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'

type Connection = {
  readonly stream: Readable;
  query(text: string): void;
};

type DataListener = (chunk: Buffer) => void;

export class PgCopyOut {
  readonly #text: string;
  #socket: Readable | null = null;
  #pgListener: DataListener | null = null;
  readonly #listener: DataListener = (chunk) => this.#receive(chunk);
  readonly #queue: Buffer[] = [];
  #queued = 0;
  /** The header of the frame being scanned (type + length), as far as it has arrived. */
  readonly #header = Buffer.alloc(5);
  #headerHave = 0;
  /** Bytes of the current frame's body still to come. */
  #bodyLeft = 0;
  #copyDone = false;
  #ended = false;
  #error: Error | null = null;
  #wake: (() => void) | null = null;

  constructor(text: string) {
    this.#text = text;
  }

  /** Called by pg when this becomes the client's active query. */
  submit(connection: Connection): void {
    const socket = connection.stream;
    const listeners = socket.listeners("data") as DataListener[];
    if (listeners.length !== 1)
      throw new Error(
        `COPY TO STDOUT expects pg's one data listener on the socket, found ${listeners.length}`,
      );
    this.#socket = socket;
    this.#pgListener = listeners[0]!;
    socket.removeListener("data", this.#pgListener);
    socket.on("data", this.#listener);
    connection.query(this.#text);
  }

  /** Called by pg on the server's ErrorResponse (handed back to it) or a broken connection. */
  handleError(error: Error): void {
    this.#giveBack(null);
    this.#error = error;
    this.#signal();
  }

  /** Called by pg on CommandComplete after the copy. */
  handleCommandComplete(): void {}

  /** Called by pg when the client is ready again: the copy is over. */
  handleReadyForQuery(): void {
    this.#ended = true;
    this.#signal();
  }

  /** Bytes received and not yet taken (bounded: the socket is paused beyond 8 MB). */
  get queuedBytes(): number {
    return this.#queued;
  }

  /**
   * The next bytes of the copy's frames, in order; null once the copy has ended and the client is
   * ready for the next query. Throws the server's error if the copy failed.
   */
  async take(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.#queue.shift();
      if (chunk !== undefined) {
        this.#queued -= chunk.length;
        if (this.#queued < HIGH_WATER_BYTES && this.#socket?.isPaused() && !this.#copyDone)
          this.#socket.resume();
        return chunk;
      }
      if (this.#error !== null) throw this.#error;
      if (this.#ended) return null;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /**
   * Gives up a copy not read to its end: the connection is left mid-protocol and must be
   * destroyed, not reused (the caller releases it as broken).
   */
  abandon(): void {
    this.#queue.length = 0;
    this.#queued = 0;
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Scans the frames of `chunk`: the copy's go to the queue; from CopyDone's end or an error on, to pg. */
  #receive(chunk: Buffer): void {
    let p = 0;
    while (p < chunk.length) {
      if (this.#bodyLeft > 0) {
        const n = Math.min(this.#bodyLeft, chunk.length - p);
        p += n;
        this.#bodyLeft -= n;
        continue;
      }
      // A frame's header: type (1 byte) and length (4 bytes, counting itself); it may be split.
      const headerStart = p;
      while (this.#headerHave < 5 && p < chunk.length) this.#header[this.#headerHave++] = chunk[p++]!;
      if (this.#headerHave < 5) break;
      this.#headerHave = 0;
      const type = this.#header[0]!;
      if (type === ERROR_RESPONSE) {
        // The error and all after it are pg's: the header (some of it perhaps in an earlier chunk)
        // and the rest of this chunk.
        const mine = chunk.subarray(0, headerStart);
        const split = 5 - (p - headerStart);
        this.#enqueue(mine);
        this.#giveBack(Buffer.concat([this.#header.subarray(0, split), chunk.subarray(headerStart)]));
        return;
      }
      this.#bodyLeft = this.#header.readUInt32BE(1) - 4;
      if (type === COPY_DONE) {
        this.#copyDone = true;
        p += this.#bodyLeft;
        this.#bodyLeft = 0;
        this.#enqueue(chunk.subarray(0, p));
        this.#giveBack(chunk.subarray(p));
        return;
      }
    }
    this.#enqueue(chunk);
  }

  #enqueue(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#queue.push(bytes);
    this.#queued += bytes.length;
    if (this.#queued >= HIGH_WATER_BYTES) this.#socket?.pause();
    this.#signal();
  }

  /** Puts pg's parser back on the socket and gives it `rest`, the bytes that are its. */
  #giveBack(rest: Buffer | null): void {
    const socket = this.#socket;
    const pgListener = this.#pgListener;
    if (socket === null || pgListener === null) return;
    this.#socket = null;
    this.#pgListener = null;
    socket.removeListener("data", this.#listener);
    socket.on("data", pgListener);
    if (rest !== null && rest.length > 0) pgListener(rest);
    // Paused while the queue was full: pg reads on (the rest of the copy is only CommandComplete
    // and ReadyForQuery, or the error).
    process.nextTick(() => socket.resume());
  }
}
