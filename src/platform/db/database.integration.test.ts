import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type TestDatabase, testDb } from '../testing/test-database.ts';
import { compiledOnce } from './compiled.ts';
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
    // A read made of common table expressions is prepared too; one that writes is not.
    for (let i = 0; i < 2; i++) {
      const read = await sql`with r as (select region_code from regions where region_code = ${'no-such'})
        select count(*)::int as n from r`.execute(db);
      assert.deepEqual(read.rows, [{ n: 0 }]);
      await sql`with r as (select region_code from regions where region_code = ${'no-such'})
        update regions set name = name where region_code in (select region_code from r)`.execute(db);
    }
    const statements = (await preparedOnServer.execute(db)).rows.map((r) => r.statement);
    assert.equal(statements.filter((s) => /from "regions"/.test(s) && /^select/.test(s)).length, 1);
    assert.equal(statements.filter((s) => /^with r as/.test(s) && /count/.test(s)).length, 1, 'a CTE read');
    assert.equal(statements.filter((s) => /update/.test(s)).length, 0, 'writes stay unnamed');
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

test('a query compiled once runs with the values of each call, keeps the constants it was built with, and refuses what it cannot keep', async () => {
  const { db } = createDb(database.url, 1);
  try {
    await db
      .insertInto('regions')
      .values([
        { region_code: '91', name: 'Prima' },
        { region_code: '92', name: 'Seconda' },
      ])
      .onConflict((o) => o.doNothing())
      .execute();
    let built = 0;
    const byCode = compiledOnce((d, v: { code: string; other: string }) => {
      built++;
      return d
        .selectFrom('regions')
        .select(['region_code', 'name'])
        .where((eb) => eb.or([eb('region_code', '=', v.code), eb('region_code', '=', v.other)]))
        .where('name', '<>', 'nessuna')
        .orderBy('region_code')
        .limit(5);
    });
    assert.deepEqual(await byCode(db, { code: '91', other: 'zz' }), [{ region_code: '91', name: 'Prima' }]);
    assert.deepEqual(await byCode(db, { other: '92', code: '91' }), [
      { region_code: '91', name: 'Prima' },
      { region_code: '92', name: 'Seconda' },
    ]);
    assert.deepEqual(await byCode(db, { code: 'none', other: 'none' }), []);
    assert.equal(built, 1, 'the builder ran once');

    const frozenTime = compiledOnce((d, v: { code: string }) =>
      d
        .selectFrom('regions')
        .select('name')
        .where('region_code', '=', v.code)
        .where(sql<boolean>`${new Date()} > now()`),
    );
    await assert.rejects(frozenTime(db, { code: '91' }), /a Date written in the query would be frozen/);
    const unused = compiledOnce((d, _v: { code: string }) => d.selectFrom('regions').select('name'));
    await assert.rejects(unused(db, { code: '91' }), /"code" is not used by the query/);
    const inlined = compiledOnce((d, v: { code: string }) =>
      d.selectFrom('regions').select('name').where('region_code', '=', sql.lit(v.code)),
    );
    await assert.rejects(inlined(db, { code: '91' }), /"code" was written into the text/);
  } finally {
    await db.deleteFrom('regions').where('region_code', 'in', ['91', '92']).execute();
    await db.destroy();
  }
});
