// 0005-person-handles: a person's handle names one person whatever its letter case — `alice` and
// `ALICE` cannot both exist, since access is decided and audited per person (A4.2). A unique
// expression index on lower(handle), the same on SQLite and PostgreSQL (handles are ASCII, so both
// fold them alike). A database that already holds such a pair is not changed: the migration stops
// and names the handles, for the administrator to rename one (which one is the same person is not
// for the store to guess).
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  const clashing = await sql<{ handle: string }>`
    select handle from people
    where lower(handle) in (select lower(handle) from people group by lower(handle) having count(*) > 1)
    order by lower(handle), handle`.execute(db);
  if (clashing.rows.length > 0) {
    const handles = clashing.rows.map((r) => r.handle).join(", ");
    throw new Error(
      `people with handles differing only in letter case (${handles}): rename all but one of each before upgrading (A4.2)`,
    );
  }
  await db.schema
    .createIndex("people_handle_lower")
    .on("people")
    .unique()
    .expression(sql`lower(handle)`)
    .execute();
}
