import { PassThrough } from "node:stream";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { testPostgresUrl } from "../../test/support/databases.ts";
import { PgCopyOut } from "./pg-copy-out.ts";

const clients: pg.Client[] = [];
afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.end();
});

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  clients.push(client);
  return client;
}

async function readAll(copy: PgCopyOut): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let chunk = await copy.take(); chunk !== null; chunk = await copy.take()) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function frame(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeUInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}

/** Feeds `wire` to a PgCopyOut over a stand-in socket, cut into chunks at `cuts`; what pg's parser got. */
function feed(wire: Buffer, cuts: number[]): { copy: PgCopyOut; toPg: Buffer[] } {
  const socket = new PassThrough();
  const toPg: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => toPg.push(chunk));
  const copy = new PgCopyOut("copy … to stdout");
  copy.submit({ stream: socket, query: () => {} });
  let at = 0;
  for (const cut of [...cuts, wire.length]) {
    if (cut > at) socket.write(wire.subarray(at, cut));
    at = cut;
  }
  return { copy, toPg };
}

describe("PgCopyOut: COPY … TO STDOUT as the wire's frames", () => {
  it("gives the copy's frames to the caller and the rest to pg, wherever the chunks are cut", async () => {
    const mine = Buffer.concat([
      frame("H", Buffer.from([1, 0, 0])),
      frame("d", Buffer.from("first row")),
      frame("N", Buffer.from("a notice")),
      frame("d", Buffer.from("second row, a little longer")),
      frame("c"),
    ]);
    const pgs = Buffer.concat([frame("C", Buffer.from("COPY 2\0")), frame("Z", Buffer.from("I"))]);
    const wire = Buffer.concat([mine, pgs]);
    for (let cut = 0; cut <= wire.length; cut++) {
      for (const second of [cut + 1, cut + 3]) {
        const { copy, toPg } = feed(
          wire,
          [cut, second].filter((c) => c < wire.length),
        );
        // Data events run synchronously on write: everything has been scanned here.
        await new Promise((resolve) => setImmediate(resolve));
        copy.handleReadyForQuery();
        expect((await readAll(copy)).equals(mine)).toBe(true);
        expect(Buffer.concat(toPg).equals(pgs)).toBe(true);
      }
    }
  });

  it("gives an ErrorResponse and all after it to pg, wherever the chunks are cut", async () => {
    const before = Buffer.concat([frame("H", Buffer.from([1, 0, 0])), frame("d", Buffer.from("a row"))]);
    const pgs = Buffer.concat([frame("E", Buffer.from("SERROR\0")), frame("Z", Buffer.from("I"))]);
    const wire = Buffer.concat([before, pgs]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const { copy, toPg } = feed(wire, [cut]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(Buffer.concat(toPg).equals(pgs)).toBe(true);
      copy.handleError(new Error("the server's error"));
      // The caller gets the copy's bytes that came before the error (and perhaps the first bytes of
      // the error's header, when a chunk ended inside it), then the error.
      const got: Buffer[] = [];
      await expect(
        (async () => {
          for (let chunk = await copy.take(); chunk !== null; chunk = await copy.take()) got.push(chunk);
        })(),
      ).rejects.toThrow("the server's error");
      const taken = Buffer.concat(got);
      expect(taken.length).toBeLessThan(before.length + 5);
      expect(wire.subarray(0, taken.length).equals(taken)).toBe(true);
    }
  });

  it("streams a real COPY in PostgreSQL's binary format, then leaves the client ready for the next query", async () => {
    const client = await connect();
    const copy = client.query(
      new PgCopyOut(
        "copy (select g, repeat('x', 100) from generate_series(1, 50000) g) to stdout with (format binary)",
      ),
    );
    const wire = await readAll(copy);
    // 50 000 CopyData frames (one per row), the CopyOutResponse before and CopyDone after.
    let frames = 0;
    let data = 0;
    for (let p = 0; p < wire.length; p += 1 + wire.readUInt32BE(p + 1)) {
      frames++;
      if (wire[p] === 0x64) data++;
    }
    expect(data).toBe(50_001); // the rows, then the trailer
    expect(frames).toBe(50_003);
    expect(wire.at(-5)).toBe(0x63);
    expect((await client.query("select 41 + 1 as n")).rows).toEqual([{ n: 42 }]);
  });

  it("passes on an error the server raises part-way through the copy, and the client stays usable", async () => {
    const client = await connect();
    const copy = client.query(
      new PgCopyOut("copy (select 1 / (3 - g) from generate_series(1, 5) g) to stdout with (format binary)"),
    );
    await expect(readAll(copy)).rejects.toMatchObject({ code: "22012" });
    expect((await client.query("select 'still here' as s")).rows).toEqual([{ s: "still here" }]);
  });

  it("keeps what it holds bounded when the caller reads slowly (the socket is paused)", async () => {
    const client = await connect();
    const copy = client.query(
      new PgCopyOut(
        "copy (select g, repeat('y', 200) from generate_series(1, 200000) g) to stdout with (format binary)",
      ),
    );
    // 43.8 MB in all (219 bytes a row); nothing is taken for a while.
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(copy.queuedBytes).toBeGreaterThan(1024 * 1024);
    expect(copy.queuedBytes).toBeLessThan(9 * 1024 * 1024);
    expect((await readAll(copy)).length).toBeGreaterThan(43_800_000);
    expect((await client.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
  });
});
