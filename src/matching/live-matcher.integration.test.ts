/**
 * The live matcher against real PostgreSQL: the index follows commits through LISTEN/NOTIFY, ranks in
 * both directions with the same score as the explanation, keeps to the Region, respects consent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPlatform } from '../app/testing/test-platform.ts';
import { explainPeopleForVacancy, explainVacanciesForPerson } from './contract.ts';

const SKILL = 'http://test.sportello/matching/skill/';
const REGION = '10';

describe('LiveMatcher', () => {
  let t: Awaited<ReturnType<typeof startTestPlatform>>;
  let companyId: string;
  let employerId: string;

  before(async () => {
    t = await startTestPlatform();
    await t.db
      .insertInto('esco_skills')
      .values(
        ['weave', 'dye', 'sew'].map((k) => ({
          uri: `${SKILL}${k}`,
          skill_type: 'skill/competence' as const,
          label_it: `Abilità ${k}`,
          label_en: `Skill ${k}`,
          search_text: k,
        })),
      )
      .execute();
    const company = await t.db
      .selectFrom('companies')
      .select('id')
      .where('region_code', '=', REGION)
      .executeTakeFirstOrThrow();
    companyId = company.id;
    const employer = await t.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'employer')
      .where('region_code', '=', REGION)
      .executeTakeFirstOrThrow();
    employerId = employer.id;
  });
  after(async () => t.stop());

  async function person(
    name: string,
    municipality: string,
    skills: string[],
    visible: boolean,
  ): Promise<string> {
    const user = await t.db
      .insertInto('users')
      .values({ region_code: REGION, role: 'citizen', given_name: name, family_name: 'Prova' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('citizen_profiles')
      .values({
        region_code: REGION,
        user_id: user.id,
        domicile_code: municipality,
        education_eqf: 4,
        languages: JSON.stringify([{ code: 'it', level: 'native' }]),
        driving_licences: ['B'],
        availability: JSON.stringify({
          hours: 'any',
          contracts: ['determinato'],
          maxCommuteKm: 40,
          remote: 'no',
        }),
      })
      .execute();
    const a = await t.db
      .insertInto('skill_assessments')
      .values({ region_code: REGION, citizen_id: user.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (skills.length > 0) {
      await t.db
        .insertInto('skill_assessment_skills')
        .values(
          skills.map((k) => ({
            region_code: REGION,
            assessment_id: a.id,
            skill_uri: `${SKILL}${k}`,
            self_level: 3,
          })),
        )
        .execute();
    }
    await t.db
      .insertInto('candidate_visibility')
      .values({ region_code: REGION, citizen_id: user.id, visible })
      .execute();
    return user.id;
  }

  async function vacancy(title: string, municipality: string, skills: string[]): Promise<string> {
    const v = await t.db
      .insertInto('vacancies')
      .values({
        region_code: REGION,
        company_id: companyId,
        title,
        description: 'Descrizione di prova della posizione aperta.',
        municipality_code: municipality,
        contract_type: 'determinato',
        hours: 'full_time',
        expires_on: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        eqf_required: 3,
        status: 'published',
        created_by: employerId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('vacancy_skills')
      .values(skills.map((k) => ({ region_code: REGION, vacancy_id: v.id, skill_uri: `${SKILL}${k}` })))
      .execute();
    return v.id;
  }

  it('finds a vacancy right after its commit, ranks both ways with the explained score, and follows changes', async () => {
    const giulia = await person('Giulia', '054039', ['weave', 'dye'], true); // Perugia
    const marco = await person('Marco', '054024', ['weave'], true); // Gubbio
    const hidden = await person('Nascosta', '054039', ['weave', 'dye', 'sew'], false);
    const near = await vacancy('Tessitore a Perugia', '054039', ['weave', 'dye']);
    const far = await vacancy('Tessitore a Terni', '055032', ['weave', 'sew']);
    await t.matcher.settled();

    const forGiulia = await t.matcher.rankVacanciesForPerson(REGION, giulia, { radiusKm: 100, limit: 10 });
    assert.deepEqual(
      forGiulia.map((r) => r.vacancyId),
      [near, far],
    );
    const explained = await explainVacanciesForPerson(t.db, REGION, giulia, [near, far], 'it');
    for (const r of forGiulia) assert.equal(explained.get(r.vacancyId)?.score, r.score);
    const e = explained.get(far);
    assert.deepEqual(
      e?.skillsMissing.map((s) => s.label),
      ['Abilità sew'],
    );
    assert.ok(e && e.distanceKm !== null && e.distanceKm > 50 && e.distanceKm < 70, String(e?.distanceKm));

    // Radius: Terni is ~60 km from Perugia.
    const within30 = await t.matcher.rankVacanciesForPerson(REGION, giulia, { radiusKm: 30, limit: 10 });
    assert.deepEqual(
      within30.map((r) => r.vacancyId),
      [near],
    );

    // People for the vacancy: only those who agreed to be found, best first.
    const people = await t.matcher.rankPeopleForVacancy(REGION, near, { radiusKm: 50, limit: 10 });
    assert.deepEqual(
      people.map((p) => p.citizenId),
      [giulia, marco],
    );
    assert.ok(!people.some((p) => p.citizenId === hidden));
    const why = await explainPeopleForVacancy(t.db, REGION, near, [giulia, marco], 'it');
    for (const p of people) assert.equal(why.get(p.citizenId)?.score, p.score);

    // Another Region sees none of it.
    assert.deepEqual(await t.matcher.rankPeopleForVacancy('12', near, { radiusKm: 50, limit: 10 }), []);

    // Changes follow: consent given, vacancy withdrawn.
    await t.db
      .updateTable('candidate_visibility')
      .set({ visible: true })
      .where('citizen_id', '=', hidden)
      .execute();
    await t.db
      .updateTable('vacancies')
      .set({ status: 'closed', outcome: 'not_filled' })
      .where('id', '=', far)
      .execute();
    await t.matcher.settled();
    const after = await t.matcher.rankPeopleForVacancy(REGION, near, { radiusKm: 50, limit: 10 });
    // Giulia and the newly visible person tie (same skills, same town): the lower key, Giulia's, comes first.
    assert.deepEqual(
      after.map((p) => p.citizenId),
      [giulia, hidden, marco],
    );
    const vacanciesNow = await t.matcher.rankVacanciesForPerson(REGION, giulia, { radiusKm: 100, limit: 10 });
    assert.deepEqual(
      vacanciesNow.map((r) => r.vacancyId),
      [near],
    );
  });
});
