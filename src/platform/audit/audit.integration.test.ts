import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { type TestDatabase, testDb } from '../testing/test-database.ts';
import { makeAuditLog, verifyAuditChains } from './audit.ts';

let database: TestDatabase;
before(async () => {
  database = await testDb();
});
after(async () => {
  await database.close();
});

const actor = {
  id: '11111111-1111-4111-8111-111111111111',
  role: 'cpi_operator',
  regionCode: '10',
  officeId: null,
  agencyId: null,
};

test('entries chain per Region and verify as intact', async () => {
  const audit = makeAuditLog(database.db, database.pool);
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      audit.record({
        regionCode: i % 2 ? '10' : '00',
        action: 'read.person',
        outcome: 'ok',
        actor,
        purpose: 'interview',
        details: { i, nested: { b: 2, a: 1 } },
      }),
    ),
  );
  const results = await verifyAuditChains(database.db);
  assert.equal(results.length, 2);
  for (const r of results) {
    assert.equal(r.ok, true);
    assert.equal(r.entries, 10);
  }
});

test('the log refuses UPDATE, DELETE and TRUNCATE', async () => {
  await assert.rejects(sql`update audit_log set action = 'x'`.execute(database.db), /append-only/);
  await assert.rejects(sql`delete from audit_log`.execute(database.db), /append-only/);
  await assert.rejects(sql`truncate audit_log`.execute(database.db), /append-only/);
});

test('a tampered entry is detected by verify', async () => {
  // A superuser can bypass triggers; verify must still notice.
  await sql`alter table audit_log disable trigger audit_log_no_update`.execute(database.db);
  await sql`update audit_log set purpose = 'tampered' where region_code = '10' and seq = 3`.execute(
    database.db,
  );
  await sql`alter table audit_log enable trigger audit_log_no_update`.execute(database.db);
  const results = await verifyAuditChains(database.db);
  const region10 = results.find((r) => r.regionCode === '10');
  assert.equal(region10?.ok, false);
  assert.equal(region10?.brokenAt, '3');
});

test('a page of reads is appended in one go, in order, and the chain stays intact alongside single entries', async () => {
  const audit = makeAuditLog(database.db, database.pool);
  // Another Region than the tests above (one of them tampers with Region 10's chain).
  const reader = { ...actor, regionCode: '20' };
  const subjects = Array.from({ length: 5 }, (_, i) => `22222222-2222-4222-8222-22222222222${i}`);
  await Promise.all([
    audit.recordReads(
      reader,
      'person',
      'interview',
      subjects.map((s) => ({ subjectId: s, objectId: s })),
    ),
    audit.record({
      regionCode: '20',
      action: 'read.person',
      outcome: 'ok',
      actor: reader,
      purpose: 'interview',
    }),
    audit.recordReads(
      reader,
      'person',
      'appointment',
      subjects.slice(0, 2).map((s) => ({ subjectId: s, objectId: s })),
    ),
  ]);
  const rows = await database.db
    .selectFrom('audit_log')
    .select(['seq', 'subject_id', 'purpose'])
    .where('region_code', '=', '20')
    .where('subject_id', 'in', subjects)
    .orderBy('seq')
    .execute();
  assert.equal(rows.length, 7);
  const interview = rows.filter((r) => r.purpose === 'interview').map((r) => r.subject_id);
  assert.deepEqual(interview, subjects, 'the reads keep the order of the page');
  const seqs = rows.filter((r) => r.purpose === 'interview').map((r) => Number(r.seq));
  assert.deepEqual(
    seqs,
    seqs.map((_, i) => (seqs[0] ?? 0) + i),
    'one batch takes consecutive places in the chain',
  );
  const chain = (await verifyAuditChains(database.db)).find((r) => r.regionCode === '20');
  assert.equal(chain?.ok, true);
  assert.equal(chain?.entries, 8);
});

test('appends made at once share commits (group commit), each caller whole, and a bad entry fails only its caller', async () => {
  const audit = makeAuditLog(database.db, database.pool);
  const reader = { ...actor, regionCode: '30' };
  const subject = (i: number, j: number) => `33333333-3333-4333-8333-${String(i * 10 + j).padStart(12, '0')}`;
  const page = (i: number) =>
    audit.recordReads(
      reader,
      'person',
      `page-${i}`,
      [0, 1, 2].map((j) => ({ subjectId: subject(i, j), objectId: subject(i, j) })),
    );
  const first = Array.from({ length: 20 }, (_, i) => i);
  const second = Array.from({ length: 20 }, (_, i) => 20 + i);
  // 20 pages of 3 reads each at once.
  await Promise.all(first.map(page));
  const rowsOf = () =>
    database.db
      .selectFrom('audit_log')
      .select(['seq', 'purpose', 'subject_id', 'at'])
      .where('region_code', '=', '30')
      .orderBy('seq')
      .execute();
  // Fewer commits than pages: the pages that arrived while one committed went in together.
  const commits = new Set((await rowsOf()).map((r) => r.at.toISOString())).size;
  assert.ok(commits < first.length, `${commits} commits for ${first.length} pages`);
  // 20 more, with an entry PostgreSQL refuses (a NUL character in text) among them.
  const results = await Promise.allSettled([
    ...second.map(page),
    audit.record({ regionCode: '30', action: 'bad\u0000entry', outcome: 'ok', actor: reader }),
  ]);
  assert.deepEqual(
    results.map((r) => r.status),
    [...second.map(() => 'fulfilled'), 'rejected'],
  );
  const rows = await rowsOf();
  assert.equal(rows.length, 120, 'every read of every page, nothing of the refused entry');
  for (const i of [...first, ...second]) {
    const mine = rows.filter((r) => r.purpose === `page-${i}`);
    assert.deepEqual(
      mine.map((r) => r.subject_id),
      [0, 1, 2].map((j) => subject(i, j)),
    );
    const seqs = mine.map((r) => Number(r.seq));
    assert.deepEqual(seqs, [seqs[0], (seqs[0] ?? 0) + 1, (seqs[0] ?? 0) + 2], 'a page stays together');
  }
  const chain = (await verifyAuditChains(database.db)).find((r) => r.regionCode === '30');
  assert.equal(chain?.ok, true);
  assert.equal(chain?.entries, 120);
});

test('appends from several processes and business transactions at once keep one intact chain', async () => {
  const region = '50';
  const reader = { ...actor, regionCode: region };
  const processes = [
    makeAuditLog(database.db, database.pool),
    makeAuditLog(database.db, database.pool),
    makeAuditLog(database.db, database.pool),
  ];
  const work: Promise<unknown>[] = [];
  for (let i = 0; i < 30; i++) {
    for (const [p, audit] of processes.entries()) {
      work.push(audit.record({ regionCode: region, action: `read.${p}.${i}`, outcome: 'ok', actor: reader }));
    }
    if (i % 5 === 0) {
      work.push(
        database.db.transaction().execute(async (trx) => {
          await processes[0]?.record(
            { regionCode: region, action: `write.${i}`, outcome: 'ok', actor: reader },
            trx,
          );
          await sql`select pg_sleep(0.01)`.execute(trx);
        }),
      );
    }
  }
  await Promise.all(work);
  const rows = await database.db
    .selectFrom('audit_log')
    .select(['seq', 'action'])
    .where('region_code', '=', region)
    .orderBy('seq')
    .execute();
  assert.equal(rows.length, 96, 'every entry, once');
  assert.equal(new Set(rows.map((r) => r.action)).size, 96);
  assert.deepEqual(
    rows.map((r) => Number(r.seq)),
    rows.map((_, i) => i + 1),
  );
  const chain = (await verifyAuditChains(database.db)).find((r) => r.regionCode === region);
  assert.equal(chain?.ok, true);
  assert.equal(chain?.entries, 96);
});
