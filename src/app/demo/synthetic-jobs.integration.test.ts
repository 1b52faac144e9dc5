import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { validatePartitaIva } from '../../employers/domain/partita-iva.ts';
import { loadPeople, loadVacancies } from '../../matching/adapters/facts.ts';
import { type TestDatabase, testDb } from '../../platform/testing/test-database.ts';
import { DEMO_REGION } from './demo-region.ts';
import { loadDemoRegion, loadSyntheticCitizens } from './load-demo.ts';
import { loadSyntheticJobMarket, syntheticPartitaIva } from './synthetic-jobs.ts';

let t: TestDatabase;
before(async () => {
  t = await testDb();
  await loadDemoRegion(t.db);
  await loadSyntheticCitizens(t.db, { count: 300, seed: 7, today: '2026-06-15' });
});
after(async () => {
  await t?.close();
});

const n = async (query: ReturnType<typeof sql<{ n: number }>>) =>
  (await query.execute(t.db)).rows[0]?.n ?? -1;

describe('the synthetic job market (load tests)', () => {
  it('makes valid partite IVA', () => {
    for (const i of [1, 2, 999, 2000, 99_999]) {
      assert.equal(validatePartitaIva(syntheticPartitaIva(i)).ok, true, syntheticPartitaIva(i));
    }
  });

  it('adds companies with published vacancies carrying their skills, and profiles the matcher can read', async () => {
    const result = await loadSyntheticJobMarket(t.db, {
      regionCode: DEMO_REGION.code,
      vacancies: 95,
      seed: 3,
    });
    assert.equal(result.companies, 10);
    assert.equal(result.vacancies, 95);
    const adults = await n(sql<{ n: number }>`
      select count(*)::int as n from users
       where region_code = '10' and role = 'citizen' and password_hash is null and not is_minor`);
    assert.equal(result.profiles, adults);

    assert.equal(
      await n(sql<{ n: number }>`
        select count(*)::int as n from vacancies v join companies c on c.region_code = v.region_code and c.id = v.company_id
         where c.public_slug like 'sintetica-%' and v.status = 'published' and v.expires_on > current_date
           and exists (select 1 from vacancy_skills k where k.region_code = v.region_code and k.vacancy_id = v.id and k.essential)`),
      95,
    );
    const remoteWithoutPlace = await n(sql<{ n: number }>`
      select count(*)::int as n from vacancies where municipality_code is null and remote <> 'full'`);
    assert.equal(remoteWithoutPlace, 0);

    // The matcher's own loaders see them: vacancies with essential skills, people with skills and a place.
    const vacancies = await loadVacancies(t.db, { all: true, afterSeq: 0, limit: 1000 });
    assert.ok(vacancies.length >= 95);
    const people = await loadPeople(t.db, { all: true, afterSeq: 0, limit: 1000 });
    const located = people.filter((p) => p.located);
    assert.ok(located.length >= adults, `${located.length} located of ${adults}`);
    assert.ok(
      located.filter((p) => p.profile.skills.length > 0).length > adults / 2,
      'most synthetic people have assessed skills',
    );
  });

  it('adds nothing when run again', async () => {
    const again = await loadSyntheticJobMarket(t.db, {
      regionCode: DEMO_REGION.code,
      vacancies: 95,
      seed: 3,
    });
    assert.deepEqual(again, { companies: 0, vacancies: 0, profiles: 0 });
  });
});
