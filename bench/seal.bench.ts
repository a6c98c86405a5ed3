// `npm run bench -- seal`: seal and open 1 GiB and 4 GiB carriers with Kelisim's package format
// (signed + encrypted, pieces of 64 MiB on all cores), beside, in the same run and on the same file:
//   - age          encrypt / decrypt only (X25519 recipient, no signature): the throughput target;
//   - gpg -se      sign + encrypt, ECDSA/ECDH P-384, AES-256, SHA-384, no compression / decrypt;
//   - openssl cms  -encrypt -stream (AES-256-GCM, ECDH P-384) / -decrypt (skipped above 1 GiB:
//                  it holds ~2.7× the input and fails near 2 GiB).
// Each run is a separate process under /usr/bin/time: wall time, throughput, peak RSS. Kelisim runs
// as users run it: `node bin/kelisim.mjs seal …` / `open …` (the JavaScript that `npm run build`
// compiled into dist/; nothing is compiled when the command starts). Its piece workers are threads of that one process, so the process's peak RSS
// (VmHWM, which /usr/bin/time reports) covers them; it starts no child process. Targets:
// seal ≥ 1.0× age's encryption throughput, open ≥ 1.0× age's decryption, peak RSS ≤ 128 MiB at any size.
// Unlike the others, Kelisim's open fsyncs the carrier before linking it into place, and then the
// directory (a received carrier must be durable before it is registered), so its wall time includes
// writing it to disk (the write-back starts while later pieces are still being decrypted).
// The CPU seconds (user + system) are printed too: on a shared machine they vary less than wall time.
// Kelisim and age run KELISIM_BENCH_RUNS times (default 3), alternating; the table shows the median
// time and CPU, and the highest peak RSS of those runs.
// KELISIM_BENCH_SIZES (GiB, default "1,4"), KELISIM_BENCH_DIR (default the OS temp dir).
import { execFileSync, spawnSync } from "node:child_process";
import { createCipheriv } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { median, timedProcess } from "./support/measure.ts";

const GiB = 1024 ** 3;
const kelisim = join(import.meta.dirname, "..", "bin", "kelisim.mjs");

await main();

type Measure = { seconds: number; rssMiB: number; cpuSeconds: number; ok: boolean; note?: string };

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Measure {
  const m = timedProcess(command, args, env);
  return {
    seconds: m.seconds,
    rssMiB: m.rssKiB / 1024,
    cpuSeconds: m.cpuSeconds,
    ok: m.ok,
    note: m.failure,
  };
}

function makeCarrier(path: string, bytes: number): void {
  // AES-CTR keystream: incompressible, and far faster to make than /dev/urandom.
  const cipher = createCipheriv("aes-128-ctr", Buffer.alloc(16, 7), Buffer.alloc(16, 1));
  const zero = Buffer.alloc(8 * 1024 * 1024);
  const fd = openSync(path, "w");
  for (let done = 0; done < bytes; done += zero.length)
    writeSync(fd, cipher.update(zero.subarray(0, Math.min(zero.length, bytes - done))));
  closeSync(fd);
}

function prepareRun(path: string): void {
  // Every tool starts alike: the previous run's writes flushed to disk (so that their write-back
  // does not slow the next run), and its input read once into the page cache.
  spawnSync("sync");
  spawnSync("sh", ["-c", `cat "${path}"/* "${path}" > /dev/null 2>&1`]);
}

async function main(): Promise<void> {
  const sizes = (process.env.KELISIM_BENCH_SIZES ?? "1,4").split(",").map(Number);
  const runs = Math.max(1, Number(process.env.KELISIM_BENCH_RUNS ?? 3));
  const base = mkdtempSync(join(process.env.KELISIM_BENCH_DIR ?? tmpdir(), "kelisim-seal-bench-"));
  const cleanup = () => rmSync(base, { recursive: true, force: true });
  process.on("exit", cleanup);
  console.log(
    `cores: ${cpus().length}, load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  console.log(`work dir: ${base}`);

  // Kelisim: two Parties, an organisation each, roots pinned.
  process.env.KELISIM_PKI_PASSPHRASE = "bench";
  const pki = await import("../src/crypto/pki.ts");
  const kz = join(base, "kz");
  const am = join(base, "am");
  await pki.initPartyPki({ dataDir: kz, party: "KZ", agreementId: "kz-am-2025" });
  await pki.initPartyPki({ dataDir: am, party: "AM", agreementId: "kz-am-2025" });
  await pki.issueOrganisationCertificates({ dataDir: kz, orgId: "kz-mod", orgName: "KZ MoD" });
  await pki.issueOrganisationCertificates({ dataDir: am, orgId: "am-mod", orgName: "AM MoD" });
  pki.importPeerRoot({ dataDir: kz, party: "AM", pem: (await pki.exportRoot({ dataDir: am })).pem });
  pki.importPeerRoot({ dataDir: am, party: "KZ", pem: (await pki.exportRoot({ dataDir: kz })).pem });
  const amEncCert = join(am, "pki/orgs/am-mod/encryption.crt.pem");
  const amEncKey = join(base, "am-enc.key");
  writeFileSync(amEncKey, pki.exportPrivateKey({ dataDir: am, orgId: "am-mod", role: "encryption" }), {
    mode: 0o600,
  });

  // The CLI's start alone, once untimed so that the files are in the page cache.
  execFileSync(process.execPath, [kelisim, "seal", "--help"], { stdio: "ignore" });
  const start = timed(process.execPath, [kelisim, "seal", "--help"]);
  console.log(
    `kelisim start-up (seal --help): ${start.seconds.toFixed(2)} s, ${start.rssMiB.toFixed(0)} MiB, CPU ${start.cpuSeconds.toFixed(2)} s`,
  );

  // age
  const ageKey = join(base, "age.key");
  execFileSync("age-keygen", ["-o", ageKey], { stdio: "ignore" });
  const ageRecipient = /public key: (age1\w+)/.exec(readFileSync(ageKey, "utf8"))![1]!;

  // gpg: ECDSA P-384 primary (sign) + ECDH P-384 subkey (encrypt), no passphrase.
  const gnupg = join(base, "gnupg");
  mkdirSync(gnupg, { mode: 0o700 });
  const genv = { ...process.env, GNUPGHOME: gnupg };
  const g = (args: string[]) =>
    execFileSync("gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", ...args], {
      env: genv,
      stdio: "pipe",
    });
  g(["--quick-gen-key", "bench <bench@kelisim.invalid>", "nistp384", "sign", "never"]);
  const fpr = /fpr:+([0-9A-F]{40}):/.exec(
    execFileSync("gpg", ["--batch", "--with-colons", "--list-keys"], { env: genv }).toString(),
  )![1]!;
  g(["--quick-add-key", fpr, "nistp384", "encr", "never"]);
  const gpgArgs = [
    "--batch",
    "--yes",
    "--pinentry-mode",
    "loopback",
    "--passphrase",
    "",
    "--trust-model",
    "always",
  ];

  type Row = { tool: string; op: string; size: number; m: Measure };
  const rows: Row[] = [];
  for (const gib of sizes) {
    const size = gib * GiB;
    const input = join(base, "carrier.bin");
    makeCarrier(input, size);
    const out = join(base, "out");
    const back = join(base, "back.bin");
    const run = (tool: string, op: string, cmd: string, args: string[], env?: NodeJS.ProcessEnv) => {
      prepareRun(op === "seal" ? input : out);
      const m = timed(cmd, args, env);
      rows.push({ tool, op, size, m });
      console.log(
        `  ${gib} GiB ${tool.padEnd(8)} ${op.padEnd(5)} ${m.ok ? `${m.seconds.toFixed(2)} s, ${(size / 1e6 / m.seconds).toFixed(0)} MB/s, ${m.rssMiB.toFixed(0)} MiB, CPU ${m.cpuSeconds.toFixed(2)} s` : `FAILED: ${m.note}`}`,
      );
      return m;
    };
    const clean = () => {
      rmSync(out, { recursive: true, force: true });
      rmSync(back, { force: true });
    };
    const node = process.execPath;
    // Kelisim and age (the target) alternate, several times: on a shared machine one run says little.
    for (let r = 0; r < runs; r++) {
      run("kelisim", "seal", node, [
        kelisim,
        "seal",
        "--in",
        input,
        "--level",
        "top-secret",
        "--agreement",
        "kz-am-2025",
        "--from",
        "kz-mod",
        "--to",
        amEncCert,
        "--out",
        out,
        "--data",
        kz,
        "--json",
      ]);
      run("kelisim", "open", node, [kelisim, "open", "--in", out, "--out", back, "--data", am, "--json"]);
      if (r === 0 && spawnSync("cmp", ["-s", input, back]).status !== 0)
        console.log("  !! kelisim round trip differs");
      clean();
      run("age", "seal", "age", ["-r", ageRecipient, "-o", out, input]);
      run("age", "open", "age", ["-d", "-i", ageKey, "-o", back, out]);
      clean();
    }
    run(
      "gpg",
      "seal",
      "gpg",
      [
        ...gpgArgs,
        "-se",
        "-u",
        fpr,
        "-r",
        fpr,
        "--cipher-algo",
        "AES256",
        "--digest-algo",
        "SHA384",
        "--compress-algo",
        "none",
        "-o",
        out,
        input,
      ],
      genv,
    );
    run("gpg", "open", "gpg", [...gpgArgs, "-d", "-o", back, out], genv);
    clean();
    run("openssl", "seal", "openssl", [
      "cms",
      "-encrypt",
      "-binary",
      "-stream",
      "-aes-256-gcm",
      "-in",
      input,
      "-outform",
      "DER",
      "-out",
      out,
      "-recip",
      amEncCert,
      "-keyopt",
      "ecdh_kdf_md:sha384",
    ]);
    if (gib <= 1)
      run("openssl", "open", "openssl", [
        "cms",
        "-decrypt",
        "-inform",
        "DER",
        "-in",
        out,
        "-recip",
        amEncCert,
        "-inkey",
        amEncKey,
        "-out",
        back,
      ]);
    else
      rows.push({
        tool: "openssl",
        op: "open",
        size,
        m: {
          seconds: Number.NaN,
          rssMiB: Number.NaN,
          cpuSeconds: Number.NaN,
          ok: false,
          note: "skipped: not streaming, fails near 2 GiB",
        },
      });
    clean();
    rmSync(input);
  }

  /** Median time and CPU, highest peak RSS, of a tool's runs at a size. */
  const summary = (size: number, tool: string, op: string): Measure => {
    const ms = rows.filter((r) => r.size === size && r.tool === tool && r.op === op).map((r) => r.m);
    if (ms.some((m) => !m.ok)) return ms.find((m) => !m.ok)!;
    return {
      seconds: median(ms.map((m) => m.seconds)),
      cpuSeconds: median(ms.map((m) => m.cpuSeconds)),
      rssMiB: Math.max(...ms.map((m) => m.rssMiB)),
      ok: true,
    };
  };
  console.log(
    "\n| size | tool | seal s | seal MB/s | seal peak RSS MiB | seal CPU s | open s | open MB/s | open peak RSS MiB | open CPU s |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const gib of sizes) {
    for (const tool of ["kelisim", "age", "gpg", "openssl"]) {
      const s = summary(gib * GiB, tool, "seal");
      const o = summary(gib * GiB, tool, "open");
      const f = (m: Measure) =>
        m.ok
          ? [
              m.seconds.toFixed(2),
              ((gib * GiB) / 1e6 / m.seconds).toFixed(0),
              m.rssMiB.toFixed(0),
              m.cpuSeconds.toFixed(2),
            ]
          : ["—", "—", "—", "—"];
      console.log(`| ${gib} GiB | ${tool} | ${f(s).join(" | ")} | ${f(o).join(" | ")} |`);
    }
  }
  console.log(
    `\nratios (Kelisim throughput ÷ other's; ≥ 1.0 means Kelisim is faster; kelisim and age: medians of ${runs} runs):`,
  );
  for (const gib of sizes) {
    const k = (op: string) => summary(gib * GiB, "kelisim", op);
    for (const tool of ["age", "gpg", "openssl"]) {
      const line = ["seal", "open"].map((op) => {
        const other = summary(gib * GiB, tool, op);
        return other.ok && k(op).ok ? `${op} ${(other.seconds / k(op).seconds).toFixed(2)}×` : `${op} n/a`;
      });
      console.log(`  ${gib} GiB vs ${tool.padEnd(8)} ${line.join(", ")}`);
    }
    const peak = Math.max(k("seal").rssMiB, k("open").rssMiB);
    console.log(
      `  ${gib} GiB Kelisim peak RSS ${peak.toFixed(0)} MiB (target ≤ 128 MiB: ${peak <= 128 ? "met" : "NOT met"})`,
    );
  }
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  if (!existsSync(base)) return;
}
