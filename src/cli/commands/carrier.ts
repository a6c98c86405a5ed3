// `kelisim carrier …`: the registry of carriers (A6.2): register, show (content only through the
// access decision, A4.2), list/search, and one verb per action on a carrier, for this Party's own
// information and the other Party's alike (the use cases of src/app/carriers decide, and ask the
// originator's written consent where the agreement needs it): copy, translate, derive (A6.1, A6.5),
// custody (A6.2), need-to-know, its four-eyes confirmation and its withdrawal (A4.2), destroy (A1.8,
// A6.6), release (A4.1.5), return (A6.6), change-level (A6.3, A4.1.2), declassify (A6.4, A1.7).
import { createReadStream, createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { changeCustody } from "../../app/carriers/change-custody.ts";
import { changeCarrierLevel, declassifyCarrier } from "../../app/carriers/change-level.ts";
import { copyCarrier, translateCarrier } from "../../app/carriers/copy-carrier.ts";
import { deriveCarrier } from "../../app/carriers/derive-carrier.ts";
import { destroyCarrier } from "../../app/carriers/destroy-carrier.ts";
import {
  confirmNeedToKnow,
  grantNeedToKnow,
  withdrawNeedToKnow,
} from "../../app/carriers/grant-need-to-know.ts";
import { listCarriers } from "../../app/carriers/list-carriers.ts";
import { registerCarrier } from "../../app/carriers/register-carrier.ts";
import { releaseToThirdParty } from "../../app/carriers/release-carrier.ts";
import { returnCarrier } from "../../app/carriers/return-carrier.ts";
import type { CarrierRecord as CarriersTable } from "../../app/carriers/show-carrier.ts";
import { showCarrier } from "../../app/carriers/show-carrier.ts";
import { DomainError } from "../../domain/errors.ts";
import { printResult } from "../output.ts";
import { withFlows } from "./courier.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions, withNodeApp } from "./node.ts";

const KINDS = "paper-document, electronic-file, removable-media, other-object";

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function positive(field: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new DomainError("INPUT_INVALID", { field, problem: "a whole number ≥ 1" });
    return n;
  };
}

/** Control characters a terminal would act on: all C0 but tab, newline and carriage return; DEL; C1. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is looked for
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** `bytes` as text when they are valid UTF-8 without control characters (see CONTROL), else null. */
function textOf(bytes: Buffer): string | null {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return CONTROL.test(text) ? null : text;
  } catch {
    return null;
  }
}

function numberOf(row: Pick<CarriersTable, "registration_number" | "copy_number">): string {
  return `${row.registration_number}/${row.copy_number}`;
}

/** A carrier in a few lines; the custodian by name when the caller looked it up. */
function describe(row: CarriersTable, custodianName?: string): string {
  const size =
    row.sheets !== null ? `${row.sheets} sheet(s)` : row.size_bytes !== null ? `${row.size_bytes} bytes` : "";
  return [
    `${numberOf(row)}  ${row.marking}${row.national_marking ? ` / ${row.national_marking}` : ""}  [${row.level}]  ${row.state}`,
    `  title: ${row.title}`,
    `  kind: ${row.kind}${size ? `, ${size}` : ""}${row.has_content === 1 ? ", content encrypted at rest" : ""}`,
    `  originator: ${row.originator_name} (${row.originator_party}); custodian: ${custodianName ?? row.custodian_organisation_id}`,
    `  id: ${row.id}; registered ${row.registered_at}`,
  ].join("\n");
}

export function registerCarrierCommands(program: Command): void {
  const carrier = program.command("carrier").description("the registry of carriers (A6.2)");

  addNodeOptions(
    carrier
      .command("register")
      .description("register an own carrier in your body's registry (registry officer; A6.2)")
      .requiredOption("--kind <kind>", KINDS)
      .requiredOption("--title <title>", "the unclassified title")
      .requiredOption(
        "--level <level>",
        "a marking of this Party (Өте құпия, Հույժ գաղտնի, Совершенно секретно), a level id (secret, top-secret, special-importance) or a rank 1–3",
      )
      .option("--file <path>", "electronic content, encrypted at rest under the carrier's own key")
      .option("--sheets <n>", "number of sheets (paper documents)", positive("sheets"))
      .option("--size <bytes>", "size in bytes (media, objects)", positive("size"))
      .option("--copy-number <n>", "copy number (default 1)", positive("copy-number"))
      .option("--contract <number>", "the active contract it belongs to (participants have need-to-know)")
      .option("--grant <person>", "grant need-to-know to a person of your body (repeatable)", collect),
    true,
  ).action(
    async (
      options: ActingCommandOptions & {
        kind: string;
        title: string;
        level: string;
        file?: string;
        sheets?: number;
        size?: number;
        copyNumber?: number;
        contract?: string;
        grant?: string[];
      },
    ) => {
      const row = await withNodeApp(options, (ctx) =>
        registerCarrier(ctx, {
          actor: actingPerson(options),
          kind: options.kind,
          title: options.title,
          level: options.level,
          ...(options.sheets !== undefined ? { sheets: options.sheets } : {}),
          ...(options.size !== undefined ? { sizeBytes: options.size } : {}),
          ...(options.copyNumber !== undefined ? { copyNumber: options.copyNumber } : {}),
          ...(options.contract ? { contract: options.contract } : {}),
          grant: options.grant ?? [],
          ...(options.file ? { content: createReadStream(options.file) } : {}),
        }),
      );
      printResult(options, () => `registered ${describe(row)}`, row);
    },
  );

  addNodeOptions(
    carrier
      .command("show")
      .description("read a carrier through the access decision (A4.2); every decision is audited")
      .argument("<carrier>", "registration number, number/copy, or id")
      .option("--out <path>", "write the decrypted content to this file")
      .option("--print", "print the decrypted content on stdout (text)"),
    true,
  ).action(async (ref: string, options: ActingCommandOptions & { out?: string; print?: boolean }) => {
    await withNodeApp(options, async (ctx) => {
      const wantContent = Boolean(options.out || options.print);
      const shown = await showCarrier(ctx, {
        actor: actingPerson(options),
        carrier: ref,
        content: wantContent,
      });
      let contentNote = "";
      let text = "";
      let bytes: Buffer | null = null;
      if (shown.content && options.print) {
        const chunks: Buffer[] = [];
        for await (const chunk of shown.content.stream) chunks.push(chunk as Buffer);
        bytes = Buffer.concat(chunks);
        // No media type is stored with the content: the bytes decide what a terminal may be given.
        const decoded = textOf(bytes);
        if (decoded === null) throw new DomainError("CONTENT_NOT_TEXT", { carrier: numberOf(shown.carrier) });
        text = decoded;
      }
      if (shown.content && options.out) {
        const file = createWriteStream(options.out, { mode: 0o600 });
        await pipeline(bytes ? Readable.from([bytes]) : shown.content.stream, file);
        contentNote = `content (${shown.content.sizeBytes} bytes) written to ${options.out}`;
      }
      if (wantContent && !shown.content) contentNote = "no electronic content";
      printResult(
        options,
        () =>
          [
            `access allowed (${shown.articles.join(", ")})`,
            describe(shown.carrier, shown.view.carrier.custodianName),
            ...shown.sources.map((s) => `  ${s.relation} of ${s.id}`),
            ...(contentNote ? [contentNote] : []),
            ...(options.print && shown.content ? ["--- content ---", text] : []),
          ].join("\n"),
        {
          allowed: true,
          articles: shown.articles,
          carrier: shown.carrier,
          markings: shown.markings,
          sources: shown.sources,
          ...(options.print && shown.content ? { content: text } : {}),
          ...(options.out && shown.content
            ? { contentFile: options.out, sizeBytes: shown.content.sizeBytes }
            : {}),
        },
      );
    });
  });

  addNodeOptions(
    carrier
      .command("list")
      .description("the registry, newest first, with filters and keyset pages")
      .option("--custodian <organisation>", "custodian body (name or id)")
      .option("--level <level>", "level id or rank")
      .option("--status <status>", "registered, received, dispatched, destroyed, …")
      .option("--kind <kind>", KINDS)
      .option("--contract <number>", "contract number")
      .option("--word <words>", "title words (all must occur)")
      .option("--number <registration>", "a registration number (every copy)")
      .option("--after <seq>", "next page: the cursor printed by the previous page", positive("after"))
      .option("--limit <n>", "page size, 1–500", positive("limit"), 50),
    true,
  ).action(
    async (
      options: ActingCommandOptions & {
        custodian?: string;
        level?: string;
        status?: string;
        kind?: string;
        contract?: string;
        word?: string;
        number?: string;
        after?: number;
        limit: number;
      },
    ) => {
      const page = await withNodeApp(options, (ctx) =>
        listCarriers(ctx, {
          actor: actingPerson(options),
          limit: options.limit,
          ...(options.after !== undefined ? { after: options.after } : {}),
          ...(options.custodian ? { custodian: options.custodian } : {}),
          ...(options.level ? { level: options.level } : {}),
          ...(options.status ? { status: options.status } : {}),
          ...(options.kind ? { kind: options.kind } : {}),
          ...(options.contract ? { contract: options.contract } : {}),
          ...(options.word ? { words: options.word } : {}),
          ...(options.number ? { number: options.number } : {}),
        }),
      );
      printResult(
        options,
        () =>
          [
            ...page.carriers.map(
              (c) =>
                `${numberOf(c).padEnd(20)} ${c.level.padEnd(18)} ${c.state.padEnd(10)} ${c.kind.padEnd(15)} ${c.title}`,
            ),
            page.carriers.length === 0 ? "(no carriers)" : "",
            page.next !== null ? `next page: --after ${page.next}` : "",
          ]
            .filter((l) => l !== "")
            .join("\n"),
        page,
      );
    },
  );

  addNodeOptions(
    carrier
      .command("copy")
      .description(
        "copy a carrier: same number, next copy number, the original's marking; the other Party's information only with its written consent (A6.5, A6.1)",
      )
      .argument("<carrier>", "registration number, number/copy, or id")
      .option("--consent <id>", "the originator's consent to use (default: the one granted for it)"),
    true,
  ).action(async (ref: string, options: ActingCommandOptions & { consent?: string }) => {
    const row = await withNodeApp(options, (ctx) =>
      copyCarrier(ctx, {
        actor: actingPerson(options),
        carrier: ref,
        ...(options.consent ? { consent: options.consent } : {}),
      }),
    );
    printResult(options, () => `copied: ${describe(row)}`, row);
  });

  addNodeOptions(
    carrier
      .command("translate")
      .description(
        "register a translation: new number, the original's marking; the other Party's information only with its written consent (A6.5, A6.1)",
      )
      .argument("<carrier>", "registration number, number/copy, or id")
      .requiredOption("--language <code>", "language of the translation: kk, hy, ru, en, …")
      .option("--title <title>", "unclassified title of the translation")
      .option("--file <path>", "the translated content (needed when the original is electronic)")
      .option("--consent <id>", "the originator's consent to use (default: the one granted for it)"),
    true,
  ).action(
    async (
      ref: string,
      options: ActingCommandOptions & { language: string; title?: string; file?: string; consent?: string },
    ) => {
      const row = await withNodeApp(options, (ctx) =>
        translateCarrier(ctx, {
          actor: actingPerson(options),
          carrier: ref,
          language: options.language,
          ...(options.title ? { title: options.title } : {}),
          ...(options.file ? { content: createReadStream(options.file) } : {}),
          ...(options.consent ? { consent: options.consent } : {}),
        }),
      );
      printResult(options, () => `translated: ${describe(row)}`, row);
    },
  );

  addNodeOptions(
    carrier
      .command("derive")
      .description(
        "register a carrier derived from others, marked no lower than its highest source; derived from the other Party's information it stays under its originator's control (A6.1)",
      )
      .requiredOption("--from <carrier>", "a source carrier (repeatable)", collect)
      .requiredOption("--kind <kind>", KINDS)
      .requiredOption("--title <title>", "the unclassified title")
      .option("--level <level>", "level (default: the highest source's; never lower)")
      .option("--sheets <n>", "number of sheets (paper documents)", positive("sheets"))
      .option("--file <path>", "electronic content"),
    true,
  ).action(
    async (
      options: ActingCommandOptions & {
        from: string[];
        kind: string;
        title: string;
        level?: string;
        sheets?: number;
        file?: string;
      },
    ) => {
      const row = await withNodeApp(options, (ctx) =>
        deriveCarrier(ctx, {
          actor: actingPerson(options),
          sources: options.from,
          kind: options.kind,
          title: options.title,
          ...(options.level ? { level: options.level } : {}),
          ...(options.sheets !== undefined ? { sheets: options.sheets } : {}),
          ...(options.file ? { content: createReadStream(options.file) } : {}),
        }),
      );
      printResult(options, () => `derived: ${describe(row)}`, row);
    },
  );

  addNodeOptions(
    carrier
      .command("custody")
      .description("hand a carrier over to another body of the node (facility clearance needed; A1.11, A6.2)")
      .argument("<carrier>", "registration number, number/copy, or id")
      .requiredOption("--to <organisation>", "the receiving body (name or id)"),
    true,
  ).action(async (ref: string, options: ActingCommandOptions & { to: string }) => {
    const result = await withNodeApp(options, (ctx) =>
      changeCustody(ctx, { actor: actingPerson(options), carrier: ref, to: options.to }),
    );
    printResult(
      options,
      () => `${result.carrier}/${result.copyNumber}: custody ${result.from} → ${result.to}`,
      result,
    );
  });

  const granted = (result: { carrier: string; copyNumber: number; granted: string[]; pending: string[] }) =>
    [
      result.granted.length > 0
        ? `${result.carrier}/${result.copyNumber}: need-to-know granted to ${result.granted.join(", ")} (A4.2)`
        : "",
      result.pending.length > 0
        ? `${result.carrier}/${result.copyNumber}: need-to-know for ${result.pending.join(", ")} pending: a second registry officer of the body confirms it with "kelisim carrier grant-confirm" (A4.2)`
        : "",
    ]
      .filter((l) => l !== "")
      .join("\n");

  addNodeOptions(
    carrier
      .command("grant")
      .description(
        "grant need-to-know on a carrier to persons of its custodian body, never to yourself; at the pack's four-eyes levels it is pending until a second registry officer confirms it (A4.2)",
      )
      .argument("<carrier>", "registration number, number/copy, or id")
      .argument("<persons...>", "handles"),
    true,
  ).action(async (ref: string, persons: string[], options: ActingCommandOptions) => {
    const result = await withNodeApp(options, (ctx) =>
      grantNeedToKnow(ctx, { actor: actingPerson(options), carrier: ref, persons }),
    );
    printResult(options, () => granted(result), result);
  });

  addNodeOptions(
    carrier
      .command("grant-confirm")
      .description(
        "(a second registry officer of the body) confirm the pending need-to-know grants another officer made (A4.2, four eyes)",
      )
      .argument("<carrier>", "registration number, number/copy, or id")
      .argument("<persons...>", "handles"),
    true,
  ).action(async (ref: string, persons: string[], options: ActingCommandOptions) => {
    const result = await withNodeApp(options, (ctx) =>
      confirmNeedToKnow(ctx, { actor: actingPerson(options), carrier: ref, persons }),
    );
    printResult(options, () => granted(result), result);
  });

  addNodeOptions(
    carrier
      .command("withdraw")
      .description(
        "withdraw need-to-know on a carrier from persons of its custodian body (a grant in effect or pending, A4.2)",
      )
      .argument("<carrier>", "registration number, number/copy, or id")
      .argument("<persons...>", "handles"),
    true,
  ).action(async (ref: string, persons: string[], options: ActingCommandOptions) => {
    const result = await withNodeApp(options, (ctx) =>
      withdrawNeedToKnow(ctx, { actor: actingPerson(options), carrier: ref, persons }),
    );
    printResult(
      options,
      () =>
        `need-to-know withdrawn on ${result.carrier}/${result.copyNumber}: ${result.withdrawn.join(", ")}`,
      result,
    );
  });

  addNodeOptions(
    carrier
      .command("destroy")
      .description(
        "destroy a carrier: its content key and content are erased beyond recovery; the other Party's information only with its written permission, which is then notified with a certificate (A1.8, A6.6)",
      )
      .argument("<carrier>", "registration number, number/copy, or id")
      .option("--consent <id>", "the originator's permission to use (default: the one granted for it)"),
    true,
  ).action(async (ref: string, options: ActingCommandOptions & { consent?: string }) => {
    const result = await withFlows(options, (ctx) =>
      destroyCarrier(ctx, {
        actor: actingPerson(options),
        carrier: ref,
        ...(options.consent ? { consent: options.consent } : {}),
      }),
    );
    printResult(
      options,
      () =>
        `${result.carrier}/${result.copyNumber} destroyed at ${result.destroyedAt} (${result.articles.join(", ")})` +
        (result.contentErased
          ? result.erasure.complete
            ? "; content key and content erased"
            : `; content key deleted, its erasure finishes by itself: ${result.erasure.pending.join("; ")}`
          : "") +
        (result.certificate
          ? `; certificate ${result.certificate}${result.notices.length > 0 ? ", originator notified" : ""}`
          : ""),
      result,
    );
  });

  addNodeOptions(
    carrier
      .command("release")
      .description(
        "release a carrier to a third party; the other Party's information only with its prior written consent naming that third party (A4.1.5, A1.14)",
      )
      .argument("<carrier>", "registration number, number/copy, or id")
      .requiredOption("--third-party <name>", "who receives it")
      .option("--consent <id>", "the originator's consent to use (default: the one granted for it)"),
    true,
  ).action(async (ref: string, options: ActingCommandOptions & { thirdParty: string; consent?: string }) => {
    const result = await withNodeApp(options, (ctx) =>
      releaseToThirdParty(ctx, {
        actor: actingPerson(options),
        carrier: ref,
        thirdParty: options.thirdParty,
        ...(options.consent ? { consent: options.consent } : {}),
      }),
    );
    printResult(
      options,
      () =>
        `${result.carrier}/${result.copyNumber} released to ${result.thirdParty} (${result.articles.join(", ")})`,
      result,
    );
  });

  addNodeOptions(
    carrier
      .command("return")
      .description(
        "return the other Party's information to its originator with its written permission: the carrier leaves the registry (A6.6)",
      )
      .argument("<carrier>", "registration number, number/copy, or id")
      .requiredOption("--channel <id>", "a channel of the agreement pack")
      .option("--seal <number...>", "seal numbers")
      .option("--waybill <number>", "waybill")
      .option("--consent <id>", "the originator's permission to use (default: the one granted for it)"),
    true,
  ).action(
    async (
      ref: string,
      options: ActingCommandOptions & {
        channel: string;
        seal?: string[];
        waybill?: string;
        consent?: string;
      },
    ) => {
      const result = await withNodeApp(options, (ctx) =>
        returnCarrier(ctx, {
          actor: actingPerson(options),
          carrier: ref,
          channel: options.channel,
          ...(options.seal ? { sealNumbers: options.seal } : {}),
          ...(options.waybill ? { waybill: options.waybill } : {}),
          ...(options.consent ? { consent: options.consent } : {}),
        }),
      );
      printResult(
        options,
        () =>
          `${result.carrier}/${result.copyNumber} returned to ${result.to.join(", ")} by ${result.channel}`,
        result,
      );
    },
  );

  addNodeOptions(
    carrier
      .command("change-level")
      .description(
        "change the level of a carrier's information and of every copy and derivative (A6.1, A6.3): you and your body cleared for it (A4.2, A1.11); the other Party's information only with its written consent (A4.1.2); the originator notifies every holder (A6.4)",
      )
      .argument("<carrier>", "registration number, number/copy, or id")
      .requiredOption("--level <level>", "the new level: id, rank or marking")
      .option("--consent <id>", "the originator's consent to use (default: the one granted for it)"),
    true,
  ).action(async (ref: string, options: ActingCommandOptions & { level: string; consent?: string }) => {
    const result = await withFlows(options, (ctx) =>
      changeCarrierLevel(ctx, {
        actor: actingPerson(options),
        carrier: ref,
        level: options.level,
        ...(options.consent ? { consent: options.consent } : {}),
      }),
    );
    printResult(
      options,
      () =>
        `level ${result.level}: ${result.carriers.length} carrier(s) re-marked; ${result.notified.length} notice(s) to the other Party`,
      result,
    );
  });

  addNodeOptions(
    carrier
      .command("declassify")
      .description(
        "declassify a carrier's information and every copy and derivative: the restrictions are lifted, the record stays (A1.7, A6.4); the other Party's information only by its agreement; the originator notifies every holder",
      )
      .argument("<carrier>", "registration number, number/copy, or id")
      .option("--consent <id>", "the originator's consent to use (default: the one granted for it)"),
    true,
  ).action(async (ref: string, options: ActingCommandOptions & { consent?: string }) => {
    const result = await withFlows(options, (ctx) =>
      declassifyCarrier(ctx, {
        actor: actingPerson(options),
        carrier: ref,
        ...(options.consent ? { consent: options.consent } : {}),
      }),
    );
    printResult(
      options,
      () =>
        `declassified: ${result.carriers.length} carrier(s); ${result.notified.length} notice(s) to the other Party`,
      result,
    );
  });
}
