// `npm run bench -- seal`: seal and open 1 GiB and 4 GiB carriers with Kelisim's package format
// (signed + encrypted, pieces of 64 MiB on all cores), beside, in the same run and on the same file:
//   - age          encrypt / decrypt only (X25519 recipient, no signature): the throughput target;
//                  run twice per round ("age" and "age′", the same command), an A/A pair whose ratio
//                  shows how much the machine alone moves the figures;
//   - gpg -se      sign + encrypt, ECDSA/ECDH P-384, AES-256, SHA-384, no compression / decrypt;
//   - openssl cms  -encrypt -stream (AES-256-GCM, ECDH P-384) / -decrypt (skipped above 1 GiB:
//                  it holds ~2.7× the input and fails near 2 GiB).
// Each run is a separate process under /usr/bin/time: wall time, throughput, peak RSS, CPU seconds.
// Kelisim runs as users run it: `node bin/kelisim.mjs seal …` / `open …` (the bundle that `npm run
// build` wrote into dist/cli/; run it after changing src/). Its piece workers are threads of that one
// process, so the process's peak RSS (VmHWM, which /usr/bin/time reports) covers them. Targets:
// seal ≥ 1.0× age's encryption throughput, open ≥ 1.0× age's decryption, peak RSS ≤ 128 MiB at any size.
// Unlike the others, Kelisim's open fsyncs the carrier before linking it into place, and then the
// directory (a received carrier must be durable before it is registered), so its wall time includes
// writing it to disk; "age + sync" (age's decryption followed by `sync` of its output, one process)
// is printed as the like-for-like reference for that.
// Rounds: KELISIM_BENCH_RUNS (default 5) rounds alternate Kelisim, age and age′ (the order rotates
// from round to round); every run starts alike (the previous run's writes synced, its input read
// once into the page cache). The table shows medians, the spread (min–max) and the highest peak RSS.
// The first round also checks Kelisim's package with OpenSSL, untimed: `openssl cms -verify` of the
// manifest, `sha256sum --check` of every piece, `openssl cms -decrypt` of the first and last piece
// compared with the carrier's bytes.
// KELISIM_BENCH_SIZES (GiB, default "1,4"; "1" for a run of about two minutes), KELISIM_BENCH_OTHERS=0
// skips gpg and openssl, KELISIM_BENCH_DIR (default the OS temp dir).
import { execFileSync, spawnSync } from "node:child_process";
import { createCipheriv } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
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

/**
 * The independent check, untimed, on the first round's package: OpenSSL verifies the manifest's
 * signature against the sender's root, every piece matches its signed hash (`sha256sum --check`),
 * and `openssl cms -decrypt` of the first and the last piece gives the carrier's bytes there.
 */
function checkWithOpenssl(pkg: string, carrier: string, root: string, cert: string, key: string): void {
  const manifest = join(pkg, "..", "manifest.txt");
  const sh = (cmd: string, args: string[], cwd?: string) => {
    const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr.toString().trim()}`);
    return r.stdout;
  };
  try {
    sh("openssl", [
      "cms",
      "-verify",
      "-inform",
      "DER",
      "-in",
      join(pkg, "manifest.p7s"),
      "-CAfile",
      root,
      "-out",
      manifest,
    ]);
    sh("sha256sum", ["--check", "--strict", "--quiet", manifest], pkg);
    const pieces = readdirSync(pkg)
      .filter((n) => n.startsWith("piece-"))
      .sort();
    const size = statSync(carrier).size;
    const pieceSize = Math.ceil(size / pieces.length / 1048576) * 1048576;
    const fd = openSync(carrier, "r");
    try {
      for (const i of new Set([0, pieces.length - 1])) {
        const plain = sh("openssl", [
          "cms",
          "-decrypt",
          "-inform",
          "DER",
          "-in",
          join(pkg, pieces[i]!),
          "-recip",
          cert,
          "-inkey",
          key,
        ]);
        const expected = Buffer.alloc(Math.min(pieceSize, size - i * pieceSize));
        readSync(fd, expected, 0, expected.length, i * pieceSize);
        if (!plain.equals(expected))
          throw new Error(`openssl cms -decrypt of ${pieces[i]} differs from the carrier`);
      }
    } finally {
      closeSync(fd);
    }
    console.log(
      `  OpenSSL check: manifest verified (openssl cms -verify), ${pieces.length} piece hashes match (sha256sum --check), first and last piece decrypted by openssl cms -decrypt = carrier`,
    );
  } catch (error) {
    console.log(`  !! OpenSSL check FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    rmSync(manifest, { force: true });
  }
}

async function main(): Promise<void> {
  const sizes = (process.env.KELISIM_BENCH_SIZES ?? "1,4").split(",").map(Number);
  const runs = Math.max(1, Number(process.env.KELISIM_BENCH_RUNS ?? 5));
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

  // The CLI's start alone (what every seal and open below pays once), apart from the throughput:
  // once untimed so that the files are in the page cache, then the median of 5.
  execFileSync(process.execPath, [kelisim, "seal", "--help"], { stdio: "ignore" });
  const starts = Array.from({ length: 5 }, () => timed(process.execPath, [kelisim, "seal", "--help"]));
  console.log(
    `kelisim start-up (seal --help, median of 5): ${median(starts.map((m) => m.seconds)).toFixed(2)} s, ${Math.max(...starts.map((m) => m.rssMiB)).toFixed(0)} MiB, CPU ${median(starts.map((m) => m.cpuSeconds)).toFixed(2)} s`,
  );

  // age, the target: say so when it is missing, and measure Kelisim alone.
  const ageKey = join(base, "age.key");
  let ageRecipient: string | undefined;
  if (spawnSync("age", ["--version"]).status === 0 && spawnSync("age-keygen", ["-o", ageKey]).status === 0)
    ageRecipient = /public key: (age1\w+)/.exec(readFileSync(ageKey, "utf8"))![1]!;
  else
    console.log(
      "!! age is not installed: no age baseline in this run (Debian/Ubuntu: `apt-get install age`; or https://github.com/FiloSottile/age/releases)",
    );

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

  type Row = { tool: string; op: string; size: number; round: number; m: Measure };
  const rows: Row[] = [];
  const node = process.execPath;
  const others = process.env.KELISIM_BENCH_OTHERS !== "0";
  for (const gib of sizes) {
    const size = gib * GiB;
    const input = join(base, "carrier.bin");
    makeCarrier(input, size);
    const out = join(base, "out");
    const back = join(base, "back.bin");
    const run = (
      tool: string,
      op: string,
      round: number,
      cmd: string,
      args: string[],
      env?: NodeJS.ProcessEnv,
    ) => {
      prepareRun(op === "seal" ? input : out);
      const m = timed(cmd, args, env);
      rows.push({ tool, op, size, round, m });
      console.log(
        `  ${gib} GiB r${round} ${tool.padEnd(8)} ${op.padEnd(5)} ${m.ok ? `${m.seconds.toFixed(2)} s, ${(size / 1e6 / m.seconds).toFixed(0)} MB/s, ${m.rssMiB.toFixed(0)} MiB, CPU ${m.cpuSeconds.toFixed(2)} s` : `FAILED: ${m.note}`}`,
      );
      return m;
    };
    const clean = () => {
      rmSync(out, { recursive: true, force: true });
      rmSync(back, { force: true });
    };
    const kelisimRound = (round: number) => {
      run("kelisim", "seal", round, node, [
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
      if (round === 0) checkWithOpenssl(out, input, join(kz, "pki/root/root.crt.pem"), amEncCert, amEncKey);
      run("kelisim", "open", round, node, [
        kelisim,
        "open",
        "--in",
        out,
        "--out",
        back,
        "--data",
        am,
        "--json",
      ]);
      if (round === 0 && spawnSync("cmp", ["-s", input, back]).status !== 0)
        console.log("  !! kelisim round trip differs");
      clean();
    };
    const ageRound = (tool: string, round: number) => {
      run(tool, "seal", round, "age", ["-r", ageRecipient!, "-o", out, input]);
      run(tool, "open", round, "age", ["-d", "-i", ageKey, "-o", back, out]);
      if (tool === "age") {
        rmSync(back, { force: true });
        // Like for like with Kelisim's open, which makes its output durable before it returns.
        run("age+sync", "open", round, "sh", [
          "-c",
          'age -d -i "$1" -o "$2" "$3" && sync -d "$2"',
          "sh",
          ageKey,
          back,
          out,
        ]);
      }
      clean();
    };
    // Kelisim, age and age′ alternate, several rounds: on a shared machine one run says little.
    const order = ageRecipient ? ["kelisim", "age", "age′"] : ["kelisim"];
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < order.length; k++) {
        const tool = order[(k + r) % order.length]!;
        if (tool === "kelisim") kelisimRound(r);
        else ageRound(tool, r);
      }
    }
    if (others) {
      run(
        "gpg",
        "seal",
        0,
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
      run("gpg", "open", 0, "gpg", [...gpgArgs, "-d", "-o", back, out], genv);
      clean();
      run("openssl", "seal", 0, "openssl", [
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
        run("openssl", "open", 0, "openssl", [
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
          round: 0,
          m: {
            seconds: Number.NaN,
            rssMiB: Number.NaN,
            cpuSeconds: Number.NaN,
            ok: false,
            note: "skipped: not streaming, fails near 2 GiB",
          },
        });
      clean();
    }
    rmSync(input);
  }

  type Summary = Measure & { min: number; max: number; n: number };
  /** Median time and CPU, spread, highest peak RSS, of a tool's runs at a size. */
  const summary = (size: number, tool: string, op: string): Summary | undefined => {
    const ms = rows.filter((r) => r.size === size && r.tool === tool && r.op === op).map((r) => r.m);
    if (ms.length === 0) return undefined;
    const failed = ms.find((m) => !m.ok);
    if (failed) return { ...failed, min: Number.NaN, max: Number.NaN, n: ms.length };
    const seconds = ms.map((m) => m.seconds);
    return {
      seconds: median(seconds),
      cpuSeconds: median(ms.map((m) => m.cpuSeconds)),
      rssMiB: Math.max(...ms.map((m) => m.rssMiB)),
      ok: true,
      min: Math.min(...seconds),
      max: Math.max(...seconds),
      n: ms.length,
    };
  };
  /** The median over rounds of other's time ÷ Kelisim's in the same round (pairs drift less). */
  const pairedRatio = (size: number, tool: string, op: string, against = "kelisim"): number => {
    const mine = rows.filter((r) => r.size === size && r.tool === against && r.op === op && r.m.ok);
    const ratios = mine.flatMap((k) => {
      const o = rows.find((r) => r.size === size && r.tool === tool && r.op === op && r.round === k.round);
      return o?.m.ok ? [o.m.seconds / k.m.seconds] : [];
    });
    return ratios.length > 0 ? median(ratios) : Number.NaN;
  };
  const tools = ["kelisim", "age", "age′", "age+sync", "gpg", "openssl"];
  console.log(
    `\n| size | tool | runs | seal s (median) | min–max | MB/s | peak RSS MiB | CPU s | open s (median) | min–max | MB/s | peak RSS MiB | CPU s |`,
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const gib of sizes) {
    for (const tool of tools) {
      const s = summary(gib * GiB, tool, "seal");
      const o = summary(gib * GiB, tool, "open");
      if (!s && !o) continue;
      const f = (m: Summary | undefined) =>
        m?.ok
          ? [
              m.seconds.toFixed(2),
              m.n > 1 ? `${m.min.toFixed(2)}–${m.max.toFixed(2)}` : "",
              ((gib * GiB) / 1e6 / m.seconds).toFixed(0),
              m.rssMiB.toFixed(0),
              m.cpuSeconds.toFixed(2),
            ]
          : ["—", "", "—", "—", "—"];
      console.log(
        `| ${gib} GiB | ${tool} | ${Math.max(s?.n ?? 0, o?.n ?? 0)} | ${f(s).join(" | ")} | ${f(o).join(" | ")} |`,
      );
    }
  }
  console.log(
    `\nratios (other's time ÷ Kelisim's; ≥ 1.0 means Kelisim is faster). "medians": of the medians of ${runs} rounds; "paired": median of the per-round ratios:`,
  );
  for (const gib of sizes) {
    const k = (op: string) => summary(gib * GiB, "kelisim", op);
    for (const tool of ["age", "age+sync", "gpg", "openssl"]) {
      const line = ["seal", "open"].flatMap((op) => {
        const other = summary(gib * GiB, tool, op);
        const mine = k(op);
        if (!other) return [];
        if (!other.ok || !mine?.ok) return [`${op} n/a`];
        const paired = other.n > 1 ? `, paired ${pairedRatio(gib * GiB, tool, op).toFixed(2)}×` : "";
        return [`${op} ${(other.seconds / mine.seconds).toFixed(2)}×${paired}`];
      });
      if (line.length > 0) console.log(`  ${gib} GiB vs ${tool.padEnd(9)} ${line.join("; ")}`);
    }
    if (summary(gib * GiB, "age′", "seal")) {
      const aa = ["seal", "open"].map(
        (op) => `${op} ${pairedRatio(gib * GiB, "age′", op, "age").toFixed(2)}×`,
      );
      console.log(
        `  ${gib} GiB A/A: age′ ÷ age, paired (1.00 on a quiet machine; the distance from 1 is the noise) ${aa.join("; ")}`,
      );
    }
    const peak = Math.max(k("seal")?.rssMiB ?? Number.NaN, k("open")?.rssMiB ?? Number.NaN);
    console.log(
      `  ${gib} GiB Kelisim peak RSS seal ${k("seal")?.rssMiB.toFixed(0)} / open ${k("open")?.rssMiB.toFixed(0)} MiB (target ≤ 128 MiB: ${peak <= 128 ? "met" : "NOT met"})`,
    );
  }
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  if (!existsSync(base)) return;
}
