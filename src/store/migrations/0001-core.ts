// Core tables: organisations, people, contracts and the registry of carriers.
// Column conventions (timestamps as ISO text, 0/1 flags, binary, bigint): see `../columns.ts`.
import { type Kysely, sql } from "kysely";
import { bigint, TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  const big = bigint(db);

  await db.schema
    .createTable("node_settings")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("counters")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("organisations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("party", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", TIMESTAMP, (c) => c.notNull())
    .addUniqueConstraint("organisations_party_name_unique", ["party", "name"])
    .execute();

  await db.schema
    .createTable("facility_clearances")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("valid_from", TIMESTAMP, (c) => c.notNull())
    .addColumn("valid_to", TIMESTAMP, (c) => c.notNull())
    .addColumn("issued_by", "text", (c) => c.notNull())
    .addColumn("created_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("revoked_at", TIMESTAMP)
    .execute();
  await db.schema
    .createIndex("facility_clearances_organisation")
    .on("facility_clearances")
    .column("organisation_id")
    .execute();

  await db.schema
    .createTable("people")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("handle", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("disabled_at", TIMESTAMP)
    .execute();
  await db.schema.createIndex("people_organisation").on("people").column("organisation_id").execute();

  await db.schema
    .createTable("personal_clearances")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("valid_from", TIMESTAMP, (c) => c.notNull())
    .addColumn("valid_to", TIMESTAMP, (c) => c.notNull())
    .addColumn("issued_by", "text", (c) => c.notNull())
    .addColumn("created_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("revoked_at", TIMESTAMP)
    .execute();
  await db.schema
    .createIndex("personal_clearances_person")
    .on("personal_clearances")
    .column("person_id")
    .execute();

  await db.schema
    .createTable("person_roles")
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("granted_at", TIMESTAMP, (c) => c.notNull())
    .addPrimaryKeyConstraint("person_roles_pk", ["person_id", "role"])
    .execute();

  await db.schema
    .createTable("contracts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("number", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("counterpart_party", "text", (c) => c.notNull())
    .addColumn("counterpart_name", "text", (c) => c.notNull())
    .addColumn("created_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("activated_at", TIMESTAMP)
    .addColumn("version", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("contract_clauses")
    .addColumn("contract_id", "text", (c) => c.notNull().references("contracts.id"))
    .addColumn("clause", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("contract_clauses_pk", ["contract_id", "clause"])
    .execute();

  await db.schema
    .createTable("contract_information")
    .addColumn("contract_id", "text", (c) => c.notNull().references("contracts.id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("contract_information_pk", ["contract_id", "position"])
    .execute();

  await db.schema
    .createTable("contract_participants")
    .addColumn("contract_id", "text", (c) => c.notNull().references("contracts.id"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addPrimaryKeyConstraint("contract_participants_pk", ["contract_id", "person_id"])
    .execute();
  await db.schema
    .createIndex("contract_participants_person")
    .on("contract_participants")
    .column("person_id")
    .execute();

  await db.schema
    .createTable("carriers")
    // `seq` is the key (on SQLite the rowid itself: rows are stored in registry order, and a
    // registration writes one b-tree less); `id` stays unique for references.
    .addColumn("seq", big, (c) => c.primaryKey())
    .addColumn("id", "text", (c) => c.notNull().unique())
    .addColumn("registration_number", "text", (c) => c.notNull())
    .addColumn("copy_number", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("sheets", "integer")
    .addColumn("size_bytes", big)
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("marking", "text", (c) => c.notNull())
    .addColumn("national_marking", "text")
    .addColumn("originator_party", "text", (c) => c.notNull())
    .addColumn("originator_name", "text", (c) => c.notNull())
    .addColumn("originator_organisation_id", "text", (c) => c.references("organisations.id"))
    .addColumn("custodian_organisation_id", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("contract_id", "text", (c) => c.references("contracts.id"))
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("has_content", "integer", (c) => c.notNull())
    .addColumn("registered_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("registered_by", "text", (c) => c.notNull())
    .addColumn("updated_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("destroyed_at", TIMESTAMP)
    .addColumn("version", "integer", (c) => c.notNull())
    // Copies of one document share its registration number and differ by copy number (A6.2).
    .addUniqueConstraint("carriers_registration_copy_unique", ["registration_number", "copy_number"])
    .execute();
  // The registry lists newest first by `seq` with keyset paging. A body's registry (its custody) is
  // the usual scope: a page walks (custodian, seq) in order and stops after the page; common filters
  // (level: 1 in 3, kind: 1 in 4) are checked on the way, the rare one (a status such as destroyed)
  // has its own index. Every index costs each registration a page write, so there are few.
  for (const columns of [
    ["custodian_organisation_id", "seq"],
    ["custodian_organisation_id", "state", "seq"],
  ]) {
    await db.schema
      .createIndex(`carriers_${columns.map((c) => c.replace("_organisation_id", "")).join("_")}`)
      .on("carriers")
      .columns(columns)
      .execute();
  }
  // Most carriers belong to no contract: a partial index costs their registration nothing.
  await db.schema
    .createIndex("carriers_contract_seq")
    .on("carriers")
    .columns(["contract_id", "seq"])
    .where(sql.ref("contract_id"), "is not", null)
    .execute();

  await db.schema
    .createTable("carrier_sources")
    .addColumn("carrier_id", "text", (c) => c.notNull().references("carriers.id"))
    .addColumn("source_carrier_id", "text", (c) => c.notNull().references("carriers.id"))
    .addColumn("relation", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("carrier_sources_pk", ["carrier_id", "source_carrier_id"])
    .execute();
  await db.schema
    .createIndex("carrier_sources_source")
    .on("carrier_sources")
    .column("source_carrier_id")
    .execute();

  await db.schema
    .createTable("carrier_need_to_know")
    .addColumn("carrier_id", "text", (c) => c.notNull().references("carriers.id"))
    .addColumn("person_id", "text", (c) => c.notNull().references("people.id"))
    .addColumn("granted_by", "text", (c) => c.notNull())
    .addColumn("granted_at", TIMESTAMP, (c) => c.notNull())
    .addPrimaryKeyConstraint("carrier_need_to_know_pk", ["carrier_id", "person_id"])
    .execute();
  await db.schema
    .createIndex("carrier_need_to_know_person")
    .on("carrier_need_to_know")
    .column("person_id")
    .execute();

  await db.schema
    .createTable("carrier_title_words")
    .addColumn("word", "text", (c) => c.notNull())
    .addColumn("carrier_seq", big, (c) => c.notNull())
    .addPrimaryKeyConstraint("carrier_title_words_pk", ["word", "carrier_seq"])
    .execute();
}
