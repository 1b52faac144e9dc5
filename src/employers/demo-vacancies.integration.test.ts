/** The demo Region's vacancies: published, with the occupation's ESCO skills, once, and found by the matcher. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPlatform } from '../app/testing/test-platform.ts';
import { ensureDemoVacancies } from './use-cases/demo-vacancies.ts';

describe('demo vacancies', () => {
  let t: Awaited<ReturnType<typeof startTestPlatform>>;
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => t.stop());

  it('publishes a handful of vacancies with skills once, and the live index serves them', async () => {
    const made = await ensureDemoVacancies(t.db, '10');
    assert.equal(made, 8);
    assert.equal(await ensureDemoVacancies(t.db, '10'), 0, 'idempotent');
    const withSkills = await t.db
      .selectFrom('vacancy_skills')
      .select(({ fn }) => fn.count<string>('vacancy_id').distinct().as('n'))
      .where('region_code', '=', '10')
      .executeTakeFirstOrThrow();
    assert.equal(Number(withSkills.n), 8, 'every demo occupation exists in the curated ESCO set');
    const company = await t.db
      .selectFrom('companies')
      .select(['public_slug', 'ateco_section'])
      .where('region_code', '=', '10')
      .executeTakeFirstOrThrow();
    assert.deepEqual(company, { public_slug: 'tessiture-del-chiascio', ateco_section: 'C' });
    const page = await t.get(t.anonymous(), '/aziende/tessiture-del-chiascio');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Operatore\/operatrice di telai/);
    await t.matcher.settled();
    assert.equal(t.matcher.sizes.vacancies >= 8, true);
  });
});
