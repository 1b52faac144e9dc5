import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type TestDatabase, testDb } from '../testing/test-database.ts';
import { createDb, PREPARED_PER_CONNECTION } from './database.ts';

let database: TestDatabase;
before(async () => {
  database = await testDb();
});
after(async () => {
  await database.close();
});

/** The statements this connection holds prepared on the server. */
const preparedOnServer = sql<{ statement: string }>`select statement from pg_prepared_statements`;

test('a parameterised read is prepared once per connection; writes and reads without values are not', async () => {
  // One connection, so that every query below runs on it.
  const { db } = createDb(database.url, 1);
  try {
    for (let i = 0; i < 3; i++) {
      const row = await db
        .selectFrom('regions')
        .select('region_code')
        .where('region_code', '=', `no-such-${i}`)
        .executeTakeFirst();
      assert.equal(row, undefined);
    }
    await sql`select 1 as one`.execute(db);
    await db.updateTable('regions').set({ name: sql`name` }).where('region_code', '=', 'no-such').execute();
    const statements = (await preparedOnServer.execute(db)).rows.map((r) => r.statement);
    assert.equal(statements.filter((s) => /from "regions"/.test(s) && /^select/.test(s)).length, 1);
    assert.equal(statements.filter((s) => /^update/.test(s)).length, 0, 'writes stay unnamed');
    assert.equal(statements.filter((s) => /select 1 as one/.test(s)).length, 0);
  } finally {
    await db.destroy();
  }
});

test('a connection prepares at most its bound of texts, and a text past it still runs', async () => {
  const { db } = createDb(database.url, 1);
  try {
    // Texts that differ by their number of parameters, as an `in (…)` list of every length would.
    for (let n = 1; n <= PREPARED_PER_CONNECTION + 5; n++) {
      const codes = Array.from({ length: n }, (_, i) => `x${i}`);
      const rows = await db
        .selectFrom('regions')
        .select('region_code')
        .where('region_code', 'in', codes)
        .execute();
      assert.deepEqual(rows, []);
    }
    const count = (await preparedOnServer.execute(db)).rows.length;
    assert.equal(count, PREPARED_PER_CONNECTION);
  } finally {
    await db.destroy();
  }
});
