import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../app/testing/test-platform.ts';
import { recommendCourses } from './domain/recommend.ts';
import { ensureDemoCatalogue } from './use-cases/demo-catalogue.ts';
import { loadCandidates } from './use-cases/recommend.ts';

/** The demo catalogue: loaded once, every skill known to the curated ESCO set, courses in the future. */
let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform();
});
after(async () => {
  await platform.stop();
});

test('the demo catalogue loads once, with known skills and future dates, and serves a would-be waiter', async () => {
  const now = new Date('2027-03-01T09:00:00Z');
  assert.equal(await ensureDemoCatalogue(platform.db, '10', now), 12);
  assert.equal(await ensureDemoCatalogue(platform.db, '10', now), 0);
  const courses = await platform.db.selectFrom('courses').select(['id', 'title', 'starts_on']).execute();
  assert.equal(courses.length, 12);
  assert.ok(courses.every((c) => c.starts_on > now));
  const skills = await platform.db.selectFrom('course_skills').select(['course_id']).execute();
  assert.ok(
    courses.every((c) => skills.some((s) => s.course_id === c.id)),
    'every course has skills',
  );
  const missing = [
    {
      uri: 'urn:sportello:skill:take-orders',
      label: 'prendere le ordinazioni',
      relation: 'essential' as const,
    },
    {
      uri: 'urn:sportello:skill:serve-food',
      label: 'servire cibi e bevande',
      relation: 'essential' as const,
    },
  ];
  const candidates = await loadCandidates(platform.db, '10', missing, '2027-03-01');
  const ranked = recommendCourses({ missing, home: null, today: '2027-03-01', candidates });
  assert.equal(ranked[0]?.course.title, 'Sala e servizio ai tavoli');
});
