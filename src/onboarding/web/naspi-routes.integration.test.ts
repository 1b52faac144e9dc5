import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../app/testing/test-platform.ts';
import { createApiToken } from '../../platform/api/api.ts';
import { addDays, todayInRome } from '../domain/naspi.ts';

let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform();
});
after(async () => {
  await platform.stop();
});

const today = todayInRome();
const endDate = addDays(today, -10);

// €48,036.95 over 208 weeks = €1,000.00 a month → €750.00, 24 months, reduced from month 6
const valid = {
  employment: 'private',
  termination: 'dismissal',
  endDate,
  weeks: '208',
  weeksUsed: '0',
  pay: '48.036,95',
  age: '40',
  recentExit: 'no',
  weeksSinceExit: '',
};

const get = (url: string) => platform.app.inject({ method: 'GET', url });
const qs = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('NASpI pages', () => {
  test('the form is public and works without signing in', async () => {
    const res = await get('/sostegni/naspi');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="get" action="\/sostegni\/naspi\/risultato"/);
    assert.match(res.body, /name="termination"/);
  });

  test('a valid query answers with the schedule, in Italian', async () => {
    const res = await get(`/sostegni/naspi/risultato?${qs(valid)}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html lang="it"/);
    assert.match(res.body, /Probabilmente ti spetta la NASpI/);
    assert.match(res.body, /750,00\s€/);
    assert.match(res.body, /727,50\s€/); // month 6: 3% less
    assert.match(res.body, /<caption>Importi lordi mese per mese<\/caption>/);
    assert.match(res.body, /<th scope="row">24° mese<\/th>/);
    assert.doesNotMatch(res.body, /25° mese/);
    assert.match(res.headers['cache-control'] as string, /no-store/);
  });

  test('and in English', async () => {
    const res = await get(`/sostegni/naspi/risultato?${qs({ ...valid, lang: 'en' })}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<html lang="en"/);
    assert.match(res.body, /You are probably entitled to NASpI/);
    assert.match(res.body, /€750\.00/);
    assert.match(res.body, /Gross amounts month by month/);
    assert.match(res.body, /Month 24/);
  });

  test('explains why not, without amounts', async () => {
    const res = await get(
      `/sostegni/naspi/risultato?${qs({ ...valid, termination: 'resignation', employment: 'publicPermanent' })}`,
    );
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Probabilmente la NASpI non ti spetta/);
    assert.match(res.body, /Le dimissioni volontarie non danno diritto/);
    assert.match(res.body, /dipendenti pubblici a tempo indeterminato non hanno la NASpI/);
    assert.doesNotMatch(res.body, /Importi lordi mese per mese/);
  });

  test('bad input gets 400, a message per field and the typed values', async () => {
    const res = await get(
      `/sostegni/naspi/risultato?${qs({
        employment: 'private',
        termination: '<script>alert(1)</script>',
        endDate: addDays(today, 5),
        weeks: 'tredici',
        weeksUsed: '',
        pay: '-500',
        age: 'x'.repeat(200),
        recentExit: 'yes',
        weeksSinceExit: '',
      })}`,
    );
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<html lang="it"/);
    assert.match(res.body, /Ci sono errori da correggere/);
    assert.match(res.body, /Scegli una delle opzioni/); // termination
    assert.match(res.body, /La data non può essere nel futuro/);
    assert.match(res.body, /Scrivi un numero intero di settimane da 0 a 208/);
    assert.match(res.body, /Scrivi un importo in euro senza segno meno/);
    assert.match(res.body, /Scrivi la tua età in anni/);
    assert.match(res.body, /value="tredici"/);
    assert.match(res.body, /value="-500"/);
    assert.match(res.body, new RegExp(`value="${'x'.repeat(200)}"`));
    assert.match(res.body, /aria-invalid="true"/);
    assert.doesNotMatch(res.body, /<script>alert\(1\)<\/script>/);
  });

  test('the conditional question is asked when needed; messages follow the language', async () => {
    const res = await get(`/sostegni/naspi/risultato?${qs({ ...valid, recentExit: 'yes', lang: 'en' })}`);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /You answered “Yes”: write the weeks of contributions since then/);
  });

  test('the answers can be changed: the form is filled from the query', async () => {
    const res = await get(`/sostegni/naspi?${qs(valid)}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /value="48.036,95"/);
    assert.match(res.body, /value="dismissal" checked/);
  });

  test('the assumptions page lists every year with its source', async () => {
    const res = await get('/sostegni/naspi/ipotesi');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /non una decisione dell'INPS|non una decisione dell&#39;INPS/);
    assert.match(res.body, /<caption>/);
    for (const year of ['2023', '2024', '2025', '2026'])
      assert.match(res.body, new RegExp(`<th scope="row">${year}</th>`));
    assert.match(res.body, /circolare n\. 25 del 29 gennaio 2025/);
  });
});

describe('NASpI API', () => {
  let bearer = '';
  before(async () => {
    const citizen = await platform.signInAs('citizen');
    const token = await createApiToken(platform.db, {
      regionCode: citizen.regionCode!,
      userId: citizen.userId!,
      name: 'naspi test',
      days: 1,
    });
    bearer = `Bearer ${token}`;
  });

  const post = (payload: unknown, auth = true) =>
    platform.app.inject({
      method: 'POST',
      url: '/api/v1/naspi/estimate',
      headers: auth ? { authorization: bearer } : {},
      payload: payload as Record<string, unknown>,
    });

  const body = {
    termination: 'dismissal',
    employment: 'private',
    endDate,
    contributionWeeks: 208,
    taxablePayCents: 4_803_695,
    ageAtClaim: 55,
  };

  test('returns the estimate', async () => {
    const res = await post(body);
    assert.equal(res.statusCode, 200, res.body);
    const json = res.json();
    assert.equal(json.eligible, 'probably');
    assert.deepEqual(json.reasons, []);
    assert.equal(json.claimDeadline, addDays(endDate, 68));
    assert.equal(json.estimate.monthlyAmountCents, 75_000);
    assert.equal(json.estimate.reductionFromMonth, 8);
    assert.equal(json.estimate.schedule.length, 24);
    assert.equal(json.estimate.schedule[7].amountCents, 72_750);
    assert.equal(json.parameters.requestedYear, Number(endDate.slice(0, 4)));
  });

  test('validates the input', async () => {
    for (const bad of [
      { ...body, taxablePayCents: -1 },
      { ...body, contributionWeeks: 'tredici' },
      { ...body, endDate: addDays(today, 3) },
      { ...body, endDate: '2025-02-30' },
      { ...body, termination: 'quit' },
      { ...body, recentVoluntaryExit: true },
      { ...body, weeksAlreadyUsed: 300 },
    ]) {
      const res = await post(bad);
      assert.equal(res.statusCode, 400, JSON.stringify(bad));
      assert.equal(res.json().error, 'invalid_input');
    }
  });

  test('needs a token', async () => {
    const res = await post(body, false);
    assert.equal(res.statusCode, 401);
  });

  test('is listed in the OpenAPI document', async () => {
    const res = await get('/api/openapi.json');
    const doc = res.json();
    const op = doc.paths['/api/v1/naspi/estimate']?.post;
    assert.ok(op, 'endpoint missing from /api/openapi.json');
    assert.equal(op.requestBody.content['application/json'].schema.$ref, '#/$defs/NaspiEstimateInput');
    assert.equal(op.responses['200'].content['application/json'].schema.$ref, '#/$defs/NaspiEstimate');
    assert.match(op.description, /citizen/);
  });
});
