// The whole database as Kysely sees it. Each part adds its tables' interface here (ONE line in
// `extends`, one import) beside its migration in `migrations/index.ts`.

import type { AuditTables } from "../audit/tables.ts";
import type { ContentKeyTables } from "../crypto/at-rest/tables.ts";
import type { ExchangeTables } from "../exchange/tables.ts";
import type { AgreementTables } from "./agreement-tables.ts";
import type { AuthTables } from "./auth-tables.ts";
import type { CoreTables } from "./core-tables.ts";
import type { ObligationsTables } from "./obligations-tables.ts";
import type { PredecessorTables } from "./predecessor-tables.ts";
import type { VisitBreachTables } from "./visit-breach-tables.ts";

export interface Database
  extends AgreementTables,
    AuthTables,
    AuditTables,
    ContentKeyTables,
    CoreTables,
    ExchangeTables,
    ObligationsTables,
    PredecessorTables,
    VisitBreachTables {}
