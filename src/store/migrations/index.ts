// Every migration of the node's database, in order. One set for SQLite and PostgreSQL, applied by
// `openDatabase` on start. To add one: write `NNNN-name.ts` exporting `up(db: Kysely<any>)` (use the
// column helpers of `../columns.ts`), import it here and add ONE line to `migrations`.
// Numbers taken: 0001 core (store), 0002 audit, 0003 auth, 0004 exchange, 0005 person handles,
// 0006 visits and breaches, 0007 the competent authorities, 0008 records of the 2015 agreement,
// 0009 amendment protocols (A14), 0010 sign-in accounts (A4.2), 0011 obligations acknowledged
// (A4.4), 0012 consent on 2015 carriers (D3) and contract participants sent back (A7.1), 0013
// content-key buckets for cryptographic erasure (A1.8).
import type { Migration } from "kysely";
import * as m0001 from "./0001-core.ts";
import * as m0002 from "./0002-audit.ts";
import * as m0003 from "./0003-auth.ts";
import * as m0004 from "./0004-exchange.ts";
import * as m0005 from "./0005-person-handles.ts";
import * as m0006 from "./0006-visits-breaches.ts";
import * as m0007 from "./0007-authorities.ts";
import * as m0008 from "./0008-predecessor-records.ts";
import * as m0009 from "./0009-amendments.ts";
import * as m0010 from "./0010-accounts.ts";
import * as m0011 from "./0011-obligations.ts";
import * as m0012 from "./0012-import-consent.ts";
import * as m0013 from "./0013-content-key-buckets.ts";

export const migrations: Record<string, Migration> = {
  "0001-core": m0001,
  "0002-audit": m0002,
  "0003-auth": m0003,
  "0004-exchange": m0004,
  "0005-person-handles": m0005,
  "0006-visits-breaches": m0006,
  "0007-authorities": m0007,
  "0008-predecessor-records": m0008,
  "0009-amendments": m0009,
  "0010-accounts": m0010,
  "0011-obligations": m0011,
  "0012-import-consent": m0012,
  "0013-content-key-buckets": m0013,
};
