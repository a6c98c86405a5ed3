// The whole database as Kysely sees it. Each part adds its tables' interface here (ONE line in
// `extends`, one import) beside its migration in `migrations/index.ts`.
import type { ExchangeTables } from "../exchange/tables.ts";
import type { CoreTables } from "./core-tables.ts";

export interface Database extends CoreTables, ExchangeTables {}
