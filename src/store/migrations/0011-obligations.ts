// 0011-obligations: a person's acknowledgements of the obligations under their state's law (A4.4),
// recorded before their first access: the person, the Party and version of the text, the language it
// was shown in and the instant. One row per (person, Party, version); a new version is a new row.
// Column conventions (timestamps as ISO text): see `../columns.ts`.
import type { Kysely } from "kysely";
import { TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("obligations_acknowledgements")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("party", "text", (c) => c.notNull())
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("language", "text", (c) => c.notNull())
    .addColumn("acknowledged_at", TIMESTAMP, (c) => c.notNull())
    // The actor is loaded with their acknowledgements on every use case: the person comes first.
    .addUniqueConstraint("obligations_acknowledgements_once", ["person_id", "party", "version"])
    .execute();
}
