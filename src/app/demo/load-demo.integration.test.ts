import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verify } from '@node-rs/argon2';
import { sql } from 'kysely';
import { ageOn, validateCodiceFiscale } from '../../identity/domain/codice-fiscale.ts';
import type { Role } from '../../platform/db/schema.ts';
import { type TestDatabase, testDb } from '../../platform/testing/test-database.ts';
import { DEMO_CITIZEN, DEMO_MUNICIPALITIES, DEMO_OFFICES } from './demo-region.ts';
import { DEMO_PASSWORD, loadDemoRegion, loadSyntheticCitizens } from './load-demo.ts';

const ROLES: Role[] = [
  'citizen',
  'employer',
  'cpi_operator',
  'apl_operator',
  'regional_manager',
  'national_manager',
  'admin',
];

const TODAY = '2026-06-15';

let t: TestDatabase;
before(async () => {
  t = await testDb();
});
after(async () => {
  await t?.close();
});

async function count(
  table: 'regions' | 'municipalities' | 'offices' | 'agencies' | 'accreditations' | 'companies',
) {
  const row = await t.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('loadDemoRegion', () => {
  it('loads once, even when started twice at the same time and again later', async () => {
    const [first, second] = await Promise.all([loadDemoRegion(t.db), loadDemoRegion(t.db)]);
    const third = await loadDemoRegion(t.db);
    assert.deepEqual(first, second);
    assert.deepEqual(first, third);

    assert.equal(await count('regions'), 2);
    assert.equal(await count('municipalities'), DEMO_MUNICIPALITIES.length);
    assert.equal(await count('offices'), DEMO_OFFICES.length);
    assert.equal(await count('agencies'), 1);
    assert.equal(await count('accreditations'), 1);
    assert.equal(await count('companies'), 1);
    const national = await t.db
      .selectFrom('regions')
      .selectAll()
      .where('region_code', '=', '00')
      .executeTakeFirstOrThrow();
    assert.equal(national.is_national, true);
  });

  it('creates exactly one account per role, listed in the returned table', async () => {
    const accounts = await loadDemoRegion(t.db);
    assert.deepEqual(accounts.map((a) => a.role).sort(), [...ROLES].sort());
    const users = await t.db
      .selectFrom('users')
      .selectAll()
      .where('email', 'like', '%@demo.sportello.example')
      .execute();
    for (const role of ROLES) {
      const mine = users.filter((u) => u.role === role);
      assert.equal(mine.length, 1, role);
      const u = mine[0]!;
      assert.equal(u.email, accounts.find((a) => a.role === role)?.email);
      assert.ok(u.sms_second_factor, `${role} has a second factor`);
      assert.match(u.phone ?? '', /^\+39 3\d{2} \d{7}$/);
      assert.equal(u.region_code, role === 'national_manager' ? '00' : '10');
    }
    const byRole = (r: Role) => users.find((u) => u.role === r)!;
    assert.ok(byRole('cpi_operator').office_id);
    assert.ok(byRole('apl_operator').agency_id);
    assert.ok(byRole('employer').company_id);
    const citizen = byRole('citizen');
    assert.equal(citizen.fiscal_code, DEMO_CITIZEN.fiscalCode);
    assert.ok(validateCodiceFiscale(citizen.fiscal_code ?? '').ok);

    const office = await t.db
      .selectFrom('offices')
      .select('name')
      .where('id', '=', byRole('cpi_operator').office_id!)
      .executeTakeFirstOrThrow();
    assert.equal(office.name, 'CPI Perugia');
  });

  it('stores argon2id hashes of the published password', async () => {
    const admin = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    assert.match(admin.password_hash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verify(admin.password_hash ?? '', DEMO_PASSWORD), true);
  });
});

describe('loadSyntheticCitizens', () => {
  it('loads 1,000 valid citizens, reports progress, and is idempotent', async () => {
    const progress: [number, number][] = [];
    const first = await loadSyntheticCitizens(t.db, {
      count: 1000,
      seed: 11,
      today: TODAY,
      batchSize: 300,
      onProgress: (done, total) => progress.push([done, total]),
    });
    assert.deepEqual(first, { generated: 1000, inserted: 1000 });
    assert.deepEqual(progress, [
      [300, 1000],
      [600, 1000],
      [900, 1000],
      [1000, 1000],
    ]);

    const rows = await t.db
      .selectFrom('users')
      .select([
        'fiscal_code',
        'birth_date',
        'sex',
        'birth_place_code',
        'is_minor',
        'password_hash',
        'region_code',
      ])
      .where('role', '=', 'citizen')
      .where('email', 'like', '%.%.%@demo.sportello.example')
      .execute();
    assert.equal(rows.length, 1000);
    for (const r of rows) {
      const cf = validateCodiceFiscale(r.fiscal_code ?? '', TODAY);
      assert.ok(cf.ok, r.fiscal_code ?? 'null');
      const birthDate = r.birth_date?.toISOString().slice(0, 10);
      assert.equal(cf.birthDate, birthDate);
      assert.equal(cf.sex, r.sex);
      assert.equal(cf.birthPlaceCode, r.birth_place_code);
      assert.equal(r.is_minor, ageOn(cf.birthDate, TODAY) < 18);
      assert.equal(r.password_hash, null);
      assert.equal(r.region_code, '10');
    }
    assert.ok(rows.some((r) => r.is_minor));

    const again = await loadSyntheticCitizens(t.db, { count: 1000, seed: 11, today: TODAY });
    assert.deepEqual(again, { generated: 1000, inserted: 0 });
    const total = await sql<{ n: string }>`select count(*) as n from users where role = 'citizen'`.execute(
      t.db,
    );
    // 1,000 synthetic people plus the demo citizen.
    assert.equal(Number(total.rows[0]?.n), 1001);
  });
});
