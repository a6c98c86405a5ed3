// Ports for the nodes a test starts. A port taken with listen(0) and let go is free only until
// something else takes it: with two vitest workers, another file's node or an outgoing connection
// did, between the set-up that chose the port and the node that listened on it (EADDRINUSE). So
// each worker chooses from its own block below Linux's ephemeral range (32768 and up), which
// neither the kernel's random ports nor the other worker use, and skips any port found taken.
import { createServer } from "node:net";

const FIRST = 20_000;
const BLOCK = 1_500;
const worker = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 0) % 8;
let next = FIRST + worker * BLOCK + (process.pid % 100) * 10;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A free loopback port of this worker's block, never handed out twice by this process. */
export async function freePort(): Promise<number> {
  const end = FIRST + (worker + 1) * BLOCK;
  for (let tries = 0; tries < BLOCK; tries++) {
    const port = next;
    next = next + 1 >= end ? FIRST + worker * BLOCK : next + 1;
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port in ${FIRST + worker * BLOCK}–${end - 1}`);
}
