import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { form, startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';
import { ATTITUDE_ITEMS } from '../domain/attitude.ts';
import { newState } from '../domain/digital-check.ts';

let platform: TestPlatform;
let citizen: Visitor;
before(async () => {
  platform = await startTestPlatform();
  citizen = await platform.signInAs('citizen');
  // A completed profile and a finished digital check, as the earlier steps leave them.
  await platform.db
    .insertInto('citizen_profiles')
    .values({
      region_code: '10',
      user_id: citizen.userId!,
      email: 'giulia@example.org',
      email_verified_at: new Date(),
      mobile: '3331234567',
      mobile_verified_at: new Date(),
      domicile_code: (
        await platform.db
          .selectFrom('municipalities')
          .select('istat_code')
          .where('name', '=', 'Perugia')
          .executeTakeFirstOrThrow()
      ).istat_code,
      education_eqf: 2,
      work_history: JSON.stringify([
        { from: '2015-01', to: '2019-06', occupation: 'Magazziniera', iscoGroup: '9', sector: 'H' },
      ]),
      unemployed_since: '2023-01-15',
      benefits: ['adi_sfl'],
      languages: JSON.stringify([]),
      availability: JSON.stringify({
        hours: 'any',
        contracts: ['determinato'],
        maxCommuteKm: 20,
        remote: 'no',
      }),
      completed_at: new Date(),
    })
    .execute();
  await platform.db
    .insertInto('digital_check_attempts')
    .values({
      region_code: '10',
      user_id: citizen.userId!,
      state: JSON.stringify(newState(1)),
      finished_at: new Date(),
      overall_level: 1,
      area_levels: JSON.stringify({
        information: 1,
        communication: 1,
        content: 0,
        safety: 1,
        problem_solving: 1,
      }),
    })
    .execute();
});
after(async () => {
  await platform.stop();
});

const post = (visitor: Visitor, url: string, fields: Record<string, string>) =>
  platform.app.inject({
    method: 'POST',
    url,
    headers: { cookie: visitor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(visitor, fields),
  });

test('the attitude questionnaire asks every item and keeps the answers given', async () => {
  const res = await post(citizen, '/profilo/atteggiamento', { m1: '5', m2: '9' });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Manca la risposta alla frase 2/);
  assert.match(res.body, /value="5" checked/);
});

test('after the questionnaire the home page shows the tier, three reasons, the channel plan and next steps', async () => {
  const answers = Object.fromEntries(ATTITUDE_ITEMS.map((i) => [i.id, '3']));
  const res = await post(citizen, '/profilo/atteggiamento', answers);
  assert.equal(res.statusCode, 303);
  const home = await platform.app.inject({ method: 'GET', url: '/', headers: { cookie: citizen.cookie } });
  assert.match(home.body, /Il tuo percorso: (Accompagnamento|Sostegno intensivo)/);
  const reasons = /Perché ti proponiamo questo percorso<\/h3><ul>(.*?)<\/ul>/.exec(home.body)?.[1] ?? '';
  assert.equal((reasons.match(/<li>/g) ?? []).length, 3);
  assert.match(home.body, /Ricerca attiva/);
  const english = await platform.app.inject({
    method: 'GET',
    url: '/?lang=en',
    headers: { cookie: citizen.cookie },
  });
  assert.match(english.body, /Your path:/);
});

test("a person's channel choice is recorded and wins over the suggestion", async () => {
  const res = await post(citizen, '/profilo/canali', { phase: 'search', channel: 'remote' });
  assert.equal(res.statusCode, 303);
  const home = await platform.app.inject({ method: 'GET', url: '/', headers: { cookie: citizen.cookie } });
  assert.match(
    home.body,
    /Ricerca attiva<\/th><td>A distanza \(online, telefono, video\)<span class="d-block small text-muted">Scelto da te/,
  );
  const bad = await post(citizen, '/profilo/canali', { phase: 'search', channel: 'carrier pigeon' });
  assert.equal(bad.headers.location, '/?error=channel');
  const rows = await platform.db
    .selectFrom('channel_choices')
    .select(['phase', 'channel', 'source'])
    .where('source', '=', 'person')
    .execute();
  assert.deepEqual(rows, [{ phase: 'search', channel: 'remote', source: 'person' }]);
});

test('an operator overrides the tier only with a reason; the person sees it and the read', async () => {
  const operator = await platform.signInAs('cpi_operator');
  const url = `/operatore/persone/${citizen.userId}/livello`;
  const short = await post(operator, url, { tier: '1', reason: 'no' });
  assert.equal(short.statusCode, 400);
  assert.match(short.body, /almeno 10 caratteri/);
  const ok = await post(operator, url, { tier: '1', reason: "Ha già un colloquio fissato con un'azienda" });
  assert.equal(ok.statusCode, 303);
  const audit = await platform.db
    .selectFrom('audit_log')
    .select('action')
    .where('subject_id', '=', citizen.userId)
    .where('action', '=', 'tier.override')
    .execute();
  assert.equal(audit.length, 1);
  const home = await platform.app.inject({ method: 'GET', url: '/', headers: { cookie: citizen.cookie } });
  assert.match(home.body, /Ricerca in autonomia/);
  assert.match(home.body, /Il tuo operatore Chiara Baldelli ha scelto questo livello/);
  const reads = await platform.app.inject({
    method: 'GET',
    url: '/i-miei-dati/accessi',
    headers: { cookie: citizen.cookie },
  });
  assert.match(reads.body, /Chiara Baldelli/);
  // An APL operator cannot override.
  const apl = await platform.signInAs('apl_operator');
  assert.equal((await post(apl, url, { tier: '3', reason: 'tentativo non permesso' })).statusCode, 403);
});
