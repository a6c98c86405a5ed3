// Child process of the store tests: increments counter `name` `times` times, each as a read-then-write
// transaction through withTransaction, on the SQLite node at `dataDir`.
//   node --import tsx test/support/sqlite-counter-worker.ts <dataDir> <name> <times>
import { openDatabase } from "../../src/store/open-database.ts";
import { withTransaction } from "../../src/store/transaction.ts";

const [dataDir, name, timesText] = process.argv.slice(2);
if (!dataDir || !name || !timesText) throw new Error("usage: sqlite-counter-worker <dataDir> <name> <times>");
const { db, close } = await openDatabase({ dataDir, migrate: false });
for (let i = 0; i < Number(timesText); i++) {
  await withTransaction(db, async (trx) => {
    const row = await trx.selectFrom("counters").select("value").where("name", "=", name).executeTakeFirst();
    await trx
      .updateTable("counters")
      .set({ value: (row?.value ?? 0) + 1 })
      .where("name", "=", name)
      .execute();
  });
}
await close();
