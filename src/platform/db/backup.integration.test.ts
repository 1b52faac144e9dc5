import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { loadDemoRegion, loadSyntheticCitizens } from '../../app/demo/load-demo.ts';
import { ensureDemoVacancies } from '../../employers/use-cases/demo-vacancies.ts';
import { makeAuditLog, verifyAuditChains } from '../audit/audit.ts';
import { testDb } from '../testing/test-database.ts';
import { backup, restore } from './backup.ts';

/** Every row of a table as JSON text, in key order: compared byte for byte between the two databases. */
async function rowsOf(
  db: Awaited<ReturnType<typeof testDb>>['db'],
  table: string,
  order: string,
): Promise<string[]> {
  const r = await sql<{
    j: string;
  }>`select row_to_json(t)::text as j from ${sql.table(table)} t order by ${sql.raw(order)}`.execute(db);
  return r.rows.map((x) => x.j);
}

test('backup then restore into an empty database gives back the same data', async () => {
  const source = await testDb();
  const target = await testDb();
  const dir = mkdtempSync(path.join(tmpdir(), 'sportello-backup-'));
  try {
    await loadDemoRegion(source.db);
    await loadSyntheticCitizens(source.db, { count: 300, seed: 7 });
    // Tables with generated columns (identity keys, a stored full-text vector) and JSON documents.
    await ensureDemoVacancies(source.db, '10');
    const citizens = await source.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'citizen')
      .limit(20)
      .execute();
    await source.db
      .insertInto('citizen_profiles')
      .values(
        citizens.map((c, i) => ({
          region_code: '10',
          user_id: c.id,
          domicile_code: '054039',
          languages: JSON.stringify([{ code: 'it', level: 'native' }]),
          work_history: JSON.stringify([{ from: '2020-01', to: '2021-06', title: `Lavoro ${i}` }]),
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
    const audit = makeAuditLog(source.db, source.pool);
    for (let i = 0; i < 5; i++)
      await audit.record({ regionCode: '10', action: 'signin', outcome: 'ok', details: { i } });
    await source.db
      .insertInto('dev_outbox')
      .values({
        idempotency_key: 'k1',
        channel: 'sms',
        recipient: '+39',
        body: 'riga 1\nriga 2\ttab \\ slash',
      })
      .execute();
    const file = path.join(dir, 'backup.gz');
    await backup(source.pool, file);
    await restore(target.pool, file);
    for (const table of ['users', 'offices', 'audit_log', 'dev_outbox', 'municipalities'] as const) {
      const a = await source.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const b = await target.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(b.n, a.n, `${table} row count`);
    }
    const body = await target.db
      .selectFrom('dev_outbox')
      .select('body')
      .where('idempotency_key', '=', 'k1')
      .executeTakeFirstOrThrow();
    assert.equal(body.body, 'riga 1\nriga 2\ttab \\ slash');
    // A sample of dossiers, byte for byte: people, profiles, vacancies with their skills and events.
    for (const [table, order] of [
      ['users', 'id'],
      ['citizen_profiles', 'user_id'],
      ['vacancies', 'id'],
      ['vacancy_skills', 'vacancy_id, skill_uri'],
      ['vacancy_events', 'id'],
      ['companies', 'id'],
    ] as const) {
      assert.deepEqual(await rowsOf(target.db, table, order), await rowsOf(source.db, table, order), table);
    }
    const chains = await verifyAuditChains(target.db);
    assert.ok(chains.every((c) => c.ok));
    // New rows still get fresh identities after a restore.
    await target.db
      .insertInto('dev_outbox')
      .values({ idempotency_key: 'k2', channel: 'sms', recipient: '+39', body: 'x' })
      .execute();
    // Identity keys continue after the restored ones (the matching index relies on them).
    const company = await target.db.selectFrom('companies').select(['id']).executeTakeFirstOrThrow();
    const employer = await target.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'employer')
      .executeTakeFirstOrThrow();
    const restoredMax = await target.db
      .selectFrom('vacancies')
      .select((eb) => eb.fn.max('match_seq').as('m'))
      .executeTakeFirstOrThrow();
    const fresh = await target.db
      .insertInto('vacancies')
      .values({
        region_code: '10',
        company_id: company.id,
        title: 'Dopo il ripristino',
        description: 'Una posizione inserita dopo il ripristino del backup.',
        municipality_code: '054039',
        contract_type: 'determinato',
        hours: 'full_time',
        expires_on: '2099-01-01',
        created_by: employer.id,
      })
      .returning('match_seq')
      .executeTakeFirstOrThrow();
    assert.ok(fresh.match_seq > Number(restoredMax.m), 'a new vacancy gets a new key');
    // A second restore into a database with data is refused.
    await assert.rejects(restore(target.pool, file), /not empty/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await source.close();
    await target.close();
  }
});
