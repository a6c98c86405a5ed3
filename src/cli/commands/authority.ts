// `kelisim authority …`: the competent authority's own verbs. A letter to the other Party's competent
// authority (A3.2 a change of legislation, A3.3 a change of authority, its name or functions, A8.1 a
// request for consultations, A8.2 the regulations, sent with the document attached) goes into the
// outbox as a signed, encrypted message (`kelisim exchange serve` or `kelisim courier export` carries
// it); the notices are what the agreement says the competent authority is informed of (A5.5, A6.7).
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import {
  type AuthorityLetter,
  LETTER_ARTICLES,
  LETTER_SUBJECTS,
  type LetterSubject,
  listAuthorityLetters,
  readLetterAttachment,
  sendAuthorityLetter,
} from "../../app/authorities/authority-letters.ts";
import {
  type AuthorityNotice,
  listAuthorityNotices,
  markAuthorityNoticesRead,
} from "../../app/authorities/informed.ts";
import { printResult } from "../output.ts";
import { withFlows } from "./courier.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions, withNodeApp } from "./node.ts";

function describeLetter(l: AuthorityLetter): string {
  const state =
    l.state === "refused" && l.refusal
      ? `refused (${l.refusal.code}${l.refusal.articles.length ? `, ${l.refusal.articles.join(", ")}` : ""})`
      : l.state;
  return [
    `${l.id}  ${l.direction === "out" ? "sent to" : "received from"} ${l.direction === "out" ? "the other Party" : l.fromParty}  ${l.subject} (${LETTER_ARTICLES[l.subject].join(", ")})  ${state}`,
    `  title: ${l.title}`,
    ...(l.body ? [`  body: ${l.body}`] : []),
    ...(l.authority
      ? [`  new authority: ${l.authority.name}${l.authority.functions ? ` — ${l.authority.functions}` : ""}`]
      : []),
    ...(l.attachment
      ? [`  document: ${l.attachment.name} (${l.attachment.size} bytes, sha256 ${l.attachment.sha256})`]
      : []),
    `  sent ${l.sentAt}${l.receivedAt ? `, received ${l.receivedAt}` : ""}`,
  ].join("\n");
}

function describeNotice(n: AuthorityNotice): string {
  const details = Object.entries(n.data)
    .filter(([k]) => k !== "message")
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
  return `${n.readAt ? " " : "*"} ${n.at}  ${n.event} (${n.articles.join(", ")})  ${n.object ?? "-"}${details ? `  ${details}` : ""}`;
}

export function registerAuthorityCommands(program: Command): void {
  const authority = program
    .command("authority")
    .description(
      "the competent authority: letters to the other Party's (A3, A8) and what it is informed of (A5.5, A6.7)",
    );

  addNodeOptions(
    authority
      .command("letter")
      .description(
        "(competent authority) write to the other Party's competent authority: legislation-change (A3.2), authority-change (A3.3, with --name), consultation-request (A8.1), regulations (A8.2, with --file); goes through the outbox",
      )
      .requiredOption("--subject <subject>", `one of ${LETTER_SUBJECTS.join(", ")}`)
      .requiredOption("--title <text>", "the letter's title")
      .option("--body <text>", "the letter's text")
      .option("--name <text>", "A3.3: the authority's new name")
      .option("--functions <text>", "A3.3: its functions")
      .option("--file <path>", "a document to attach (A8.2: required for regulations)"),
    true,
  ).action(
    async (
      o: ActingCommandOptions & {
        subject: string;
        title: string;
        body?: string;
        name?: string;
        functions?: string;
        file?: string;
      },
    ) => {
      const attachment = o.file
        ? { name: basename(o.file), bytes: new Uint8Array(readFileSync(o.file)) }
        : undefined;
      await withFlows(o, async (ctx) => {
        const r = await sendAuthorityLetter(ctx, {
          actor: actingPerson(o),
          // The use case refuses an unknown subject, naming the ones there are.
          subject: o.subject as LetterSubject,
          title: o.title,
          ...(o.body !== undefined ? { body: o.body } : {}),
          ...(o.name !== undefined || o.functions !== undefined
            ? {
                authority: {
                  name: o.name ?? "",
                  ...(o.functions !== undefined ? { functions: o.functions } : {}),
                },
              }
            : {}),
          ...(attachment ? { attachment } : {}),
        });
        printResult(
          o,
          () => `letter queued for the other Party's competent authority\n${describeLetter(r)}`,
          r,
        );
      });
    },
  );

  addNodeOptions(
    authority
      .command("letters")
      .description(
        "(competent authority) the letters between the competent authorities, newest first (A3, A8)",
      ),
    true,
  ).action(async (o: ActingCommandOptions) => {
    await withNodeApp(o, async (ctx) => {
      const r = await listAuthorityLetters(ctx, { actor: actingPerson(o) });
      printResult(o, () => (r.length ? r.map(describeLetter).join("\n\n") : "no letters"), r);
    });
  });

  addNodeOptions(
    authority
      .command("attachment")
      .description("(competent authority) write the document attached to a letter to a file (A8.2); audited")
      .requiredOption("--letter <id>", "the letter")
      .requiredOption("--out <file>", "the file to write (mode 0600; must not exist)"),
    true,
  ).action(async (o: ActingCommandOptions & { letter: string; out: string }) => {
    await withNodeApp(o, async (ctx) => {
      const doc = await readLetterAttachment(ctx, { actor: actingPerson(o), letter: o.letter });
      writeFileSync(o.out, doc.bytes, { mode: 0o600, flag: "wx" });
      const r = {
        letter: o.letter,
        name: doc.name,
        size: doc.bytes.byteLength,
        sha256: doc.sha256,
        out: o.out,
      };
      printResult(o, () => `${doc.name} (${r.size} bytes, sha256 ${doc.sha256}) written to ${o.out}`, r);
    });
  });

  addNodeOptions(
    authority
      .command("notices")
      .description(
        "(competent authority) what it was informed of (A5.5 transfers, A6.7 consents and returns), newest first; * marks the unread",
      )
      .option("--unread", "only the unread notices")
      .option("--limit <n>", "at most this many (1–500, default 100)", (v) => Number.parseInt(v, 10))
      .option("--mark-read", "mark the notices shown read"),
    true,
  ).action(async (o: ActingCommandOptions & { unread?: boolean; limit?: number; markRead?: boolean }) => {
    await withNodeApp(o, async (ctx) => {
      const actor = actingPerson(o);
      const r = await listAuthorityNotices(ctx, {
        actor,
        unreadOnly: o.unread === true,
        ...(o.limit !== undefined ? { limit: o.limit } : {}),
      });
      // Only what was shown is marked read: a notice that arrived meanwhile stays unread.
      const shownUnread = r.notices.filter((n) => n.readAt === null).map((n) => n.id);
      const marked =
        o.markRead && shownUnread.length > 0
          ? (await markAuthorityNoticesRead(ctx, { actor, ids: shownUnread })).marked
          : 0;
      printResult(
        o,
        () =>
          [
            ...(r.notices.length ? r.notices.map(describeNotice) : ["no notices"]),
            `unread: ${r.unread - marked}${o.markRead ? ` (${marked} marked read)` : ""}`,
          ].join("\n"),
        { ...r, ...(o.markRead ? { marked, unread: r.unread - marked } : {}) },
      );
    });
  });
}
