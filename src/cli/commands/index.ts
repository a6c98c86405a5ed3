import type { Command } from "commander";
import { registerAgreementCommands } from "./agreement.ts";
import { registerAuditCommands } from "./audit.ts";
import { registerCarrierCommands } from "./carrier.ts";
import { registerContractCommands } from "./contract.ts";
import { registerCourierCommands } from "./courier.ts";
import { registerDemoCommands } from "./demo.ts";
import { registerMarkingCommands } from "./marking.ts";
import { registerNodeCommands } from "./node.ts";
import { registerOrgCommands } from "./org.ts";
import { registerPersonCommands } from "./person.ts";
import { registerPkiCommands } from "./pki.ts";
import { registerSealCommands } from "./seal.ts";
import { registerServeCommands } from "./serve.ts";
import { registerTransferCommands } from "./transfer.ts";

/** Every verb group of the CLI. Add a group by importing its `register…` function here. */
export function registerCommands(program: Command): void {
  void program;
  registerAgreementCommands(program);
  registerMarkingCommands(program);
  registerNodeCommands(program);
  registerOrgCommands(program);
  registerPersonCommands(program);
  registerPkiCommands(program);
  registerSealCommands(program);
  registerContractCommands(program);
  registerCarrierCommands(program);
  registerServeCommands(program);
  registerDemoCommands(program);
  registerAuditCommands(program);
  registerCourierCommands(program);
  registerTransferCommands(program);
}
