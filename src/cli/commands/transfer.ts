// `kelisim transfer …` (Article 5) and `kelisim consent …` (Article 6: the originator's written
// consent, asked and answered; the holder then acts with `kelisim carrier copy|translate|destroy|
// return|release|change-level|declassify`). Messages to the other Party go to the outbox and are
// carried by `kelisim exchange serve` (online) or `kelisim courier export` (offline).
import type { Command } from "commander";
import { answerConsent, requestConsent } from "../../app/consent/consent-flow.ts";
import { listConsents } from "../../app/consent/list-consents.ts";
import { listTransfers } from "../../app/transfer/list-transfers.ts";
import {
  answerClearanceConfirmation,
  decideTransfer,
  dispatchTransfer,
  receivePhysicalCarrier,
  requestCarrierTransfer,
  takeBackReturnedCarrier,
} from "../../app/transfer/transfer-flow.ts";
import { printResult } from "../output.ts";
import { withFlows } from "./courier.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions } from "./node.ts";

const human = (value: unknown) => () =>
  Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join("\n");

export function registerTransferCommands(program: Command): void {
  const transfer = program.command("transfer").description("transfer of carriers to the other Party (A5)");

  addNodeOptions(
    transfer
      .command("request")
      .description(
        "ask to transfer a carrier under an active contract to an authorized body of the other Party (A5.1)",
      )
      .requiredOption("--carrier <ref>", "registration number or id")
      .requiredOption("--to <org>", "the receiving body (id or name in the peer's directory)")
      .option("--contract <ref>", "the contract (default: the carrier's)"),
    true,
  ).action(async (o: ActingCommandOptions & { carrier: string; to: string; contract?: string }) => {
    await withFlows(o, async (ctx) => {
      const r = await requestCarrierTransfer(ctx, {
        actor: actingPerson(o),
        carrier: o.carrier,
        to: o.to,
        ...(o.contract ? { contract: o.contract } : {}),
      });
      printResult(o, human(r), r);
    });
  });

  for (const decision of ["consent", "refuse"] as const) {
    addNodeOptions(
      transfer
        .command(decision)
        .description(
          decision === "consent"
            ? "the own competent authority consents in writing and asks the other Party to confirm the facility clearance (A5.2, A5.3)"
            : "the own competent authority refuses (A5.2)",
        )
        .requiredOption("--transfer <id>", "the transfer")
        .option("--reason <text>", "why"),
      true,
    ).action(async (o: ActingCommandOptions & { transfer: string; reason?: string }) => {
      await withFlows(o, async (ctx) => {
        const r = await decideTransfer(ctx, {
          actor: actingPerson(o),
          transfer: o.transfer,
          decision,
          ...(o.reason ? { reason: o.reason } : {}),
        });
        printResult(o, human(r), r);
      });
    });
  }

  addNodeOptions(
    transfer
      .command("confirm-clearance")
      .description(
        "(receiving Party's competent authority) confirm in writing the receiving body's facility clearance, or refuse (A5.3)",
      )
      .requiredOption("--transfer <id>", "the transfer")
      .option("--refuse", "refuse to confirm")
      .option("--reason <text>", "why"),
    true,
  ).action(async (o: ActingCommandOptions & { transfer: string; refuse?: boolean; reason?: string }) => {
    await withFlows(o, async (ctx) => {
      const r = await answerClearanceConfirmation(ctx, {
        actor: actingPerson(o),
        transfer: o.transfer,
        refuse: o.refuse ?? false,
        ...(o.reason ? { reason: o.reason } : {}),
      });
      printResult(o, human(r), r);
    });
  });

  addNodeOptions(
    transfer
      .command("dispatch")
      .description(
        "send the carrier: electronically as a sealed package, or physically with a dispatch record (A5.6, A5.7)",
      )
      .requiredOption("--transfer <id>", "the transfer")
      .requiredOption("--channel <id>", "a channel of the agreement pack")
      .option("--seal <number...>", "seal numbers (physical)")
      .option("--waybill <number>", "waybill (physical)")
      .option("--receipt-due-days <n>", "days allowed for the receipt notice", "14"),
    true,
  ).action(
    async (
      o: ActingCommandOptions & {
        transfer: string;
        channel: string;
        seal?: string[];
        waybill?: string;
        receiptDueDays: string;
      },
    ) => {
      await withFlows(o, async (ctx) => {
        const r = await dispatchTransfer(ctx, {
          actor: actingPerson(o),
          transfer: o.transfer,
          channel: o.channel,
          ...(o.seal ? { sealNumbers: o.seal } : {}),
          ...(o.waybill ? { waybill: o.waybill } : {}),
          receiptDueDays: Number(o.receiptDueDays),
        });
        printResult(o, human(r), r);
      });
    },
  );

  addNodeOptions(
    transfer
      .command("receive")
      .description(
        "a physical carrier has arrived: take it in against its dispatch record, register it and send the receipt notice (A5.6, A6.1, A6.2)",
      )
      .requiredOption("--transfer <id>", "the transfer")
      .option("--seals-intact", "I confirm the seals are intact and match the dispatch record (required)")
      .option(
        "--seals-broken",
        "the seals are broken or do not match (A11.1): take it in all the same, held in quarantine, and record a breach (needs --what)",
      )
      .option("--what <text>", "with --seals-broken: what was found (the breach's description)"),
    true,
  ).action(
    async (
      o: ActingCommandOptions & {
        transfer: string;
        sealsIntact?: boolean;
        sealsBroken?: boolean;
        what?: string;
      },
    ) => {
      await withFlows(o, async (ctx) => {
        const r = await receivePhysicalCarrier(ctx, {
          actor: actingPerson(o),
          transfer: o.transfer,
          sealsIntact: o.sealsIntact === true && o.sealsBroken !== true,
          ...(o.sealsBroken ? { breach: { what: o.what ?? "" } } : {}),
        });
        printResult(o, human(r), r);
      });
    },
  );

  addNodeOptions(
    transfer
      .command("take-back")
      .description(
        "(originator) take back in a carrier the holder returned with our written permission (A6.6, A6.2)",
      )
      .requiredOption("--carrier <ref>", "our carrier (registration number, number/copy, or id)")
      .option("--consent <id>", "the return permission, when more than one was granted")
      .option("--seals-intact", "I confirm the seals of the returned carrier are intact (physical carrier)"),
    true,
  ).action(async (o: ActingCommandOptions & { carrier: string; consent?: string; sealsIntact?: boolean }) => {
    await withFlows(o, async (ctx) => {
      const r = await takeBackReturnedCarrier(ctx, {
        actor: actingPerson(o),
        carrier: o.carrier,
        ...(o.consent ? { consent: o.consent } : {}),
        sealsIntact: o.sealsIntact === true,
      });
      printResult(o, human(r), r);
    });
  });

  addNodeOptions(
    transfer
      .command("list")
      .description("the transfers you take part in, with the steps you may take now")
      .option("--overdue", "only those whose receipt notice is late (A5.6)"),
    true,
  ).action(async (o: ActingCommandOptions & { overdue?: boolean }) => {
    await withFlows(o, async (ctx) => {
      const rows = await listTransfers(ctx, { actor: actingPerson(o), overdue: o.overdue ?? false });
      printResult(
        o,
        () =>
          rows
            .map(
              (r) =>
                `${r.id} ${r.direction} ${r.state}${r.overdue ? " OVERDUE" : ""} ${r.levelId} ${r.registrationNumber || r.carrierTitle} ${r.sendingBody} → ${r.receivingBody}${r.actions.length > 0 ? `  [${r.actions.join(", ")}]` : ""}`,
            )
            .join("\n") || "no transfers",
        rows,
      );
    });
  });

  const consent = program
    .command("consent")
    .description("the originator's written consent for Article 6 actions");
  addNodeOptions(
    consent
      .command("request")
      .description("ask the originator's written consent (A6.3–A6.7, A4.1.5)")
      .requiredOption("--carrier <ref>", "the received carrier")
      .requiredOption(
        "--action <action>",
        "copy | translate | reclassify | declassify | destroy | return | third-party-release",
      )
      .requiredOption("--reason <text>", "why")
      .option("--level <id>", "the new level (reclassify)")
      .option("--language <code>", "target language (translate)")
      .option("--third-party <name>", "who would receive it (third-party-release)"),
    true,
  ).action(
    async (
      o: ActingCommandOptions & {
        carrier: string;
        action: string;
        reason: string;
        level?: string;
        language?: string;
        thirdParty?: string;
      },
    ) => {
      await withFlows(o, async (ctx) => {
        const r = await requestConsent(ctx, {
          actor: actingPerson(o),
          carrier: o.carrier,
          action: o.action as "copy",
          reason: o.reason,
          ...(o.level ? { newLevel: o.level } : {}),
          ...(o.language ? { language: o.language } : {}),
          ...(o.thirdParty ? { thirdParty: o.thirdParty } : {}),
        });
        printResult(o, human(r), r);
      });
    },
  );
  for (const decision of ["grant", "refuse"] as const) {
    addNodeOptions(
      consent
        .command(decision)
        .description(`(originator) ${decision} a consent request in writing`)
        .requiredOption("--consent <id>", "the request")
        .option("--reason <text>", "why"),
      true,
    ).action(async (o: ActingCommandOptions & { consent: string; reason?: string }) => {
      await withFlows(o, async (ctx) => {
        const r = await answerConsent(ctx, {
          actor: actingPerson(o),
          consent: o.consent,
          decision,
          ...(o.reason ? { reason: o.reason } : {}),
        });
        printResult(o, human(r), r);
      });
    });
  }
  addNodeOptions(
    consent.command("list").description("consent requests you take part in, asked and answered"),
    true,
  ).action(async (o: ActingCommandOptions) => {
    await withFlows(o, async (ctx) => {
      const rows = await listConsents(ctx, { actor: actingPerson(o) });
      printResult(
        o,
        () =>
          rows
            .map(
              (r) =>
                `${r.id} ${r.direction} ${r.action} ${r.state} ${r.carrierLabel}${r.actions.length > 0 ? `  [${r.actions.join(", ")}]` : ""}`,
            )
            .join("\n") || "no consent requests",
        rows,
      );
    });
  });
}
