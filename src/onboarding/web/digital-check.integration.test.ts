import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { form, startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';
import { AREAS, ITEM_BANK, MAX_ITEMS } from '../domain/digital-check.ts';

let platform: TestPlatform;
before(async () => {
  platform = await startTestPlatform();
});
after(async () => {
  await platform.stop();
});

const CITIZEN = '/profilo/competenze-digitali';
const operatorBase = (personId: string) => `/operatore/persone/${personId}/competenze-digitali`;

async function get(visitor: Visitor, url: string) {
  return platform.app.inject({ method: 'GET', url, headers: { cookie: visitor.cookie } });
}

async function post(visitor: Visitor, url: string, fields: Record<string, string>) {
  return platform.app.inject({
    method: 'POST',
    url,
    headers: { cookie: visitor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(visitor, fields),
  });
}

function shownItem(html: string) {
  const id = /name="itemId" value="([a-z0-9-]+)"/.exec(html)?.[1];
  assert.ok(id, 'no question on the page');
  const item = ITEM_BANK.byId.get(id);
  assert.ok(item, `unknown item ${id}`);
  return item;
}

function wrong(itemId: string): string {
  const item = ITEM_BANK.byId.get(itemId)!;
  return item.options.find((o) => o.id !== item.correct)!.id;
}

/** Answer `count` questions (or all of them), correctly or not; returns the last redirect. */
async function answerQuestions(visitor: Visitor, base: string, correct: boolean, count = MAX_ITEMS + 1) {
  let location = '';
  for (let n = 0; n < count; n++) {
    const page = await get(visitor, `${base}/domanda`);
    if (page.statusCode === 303) return String(page.headers.location);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<fieldset/);
    assert.match(page.body, /<legend/);
    const item = shownItem(page.body);
    const res = await post(visitor, `${base}/domanda`, {
      itemId: item.id,
      answer: correct ? item.correct : wrong(item.id),
    });
    assert.equal(res.statusCode, 303);
    location = String(res.headers.location);
    if (location.endsWith('/risultato')) return location;
  }
  return location;
}

async function openAttempts(userId: string) {
  return platform.db
    .selectFrom('digital_check_attempts')
    .select(['id', 'state', 'administered_by'])
    .where('user_id', '=', userId)
    .where('finished_at', 'is', null)
    .execute();
}

async function openAnswers(userId: string) {
  const [attempt, ...others] = await openAttempts(userId);
  assert.ok(attempt, 'no open attempt');
  assert.equal(others.length, 0);
  return (attempt.state as { answers: { itemId: string; correct: boolean }[] }).answers;
}

async function latest(userId: string) {
  return platform.db
    .selectFrom('digital_check_attempts')
    .selectAll()
    .where('user_id', '=', userId)
    .where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .executeTakeFirstOrThrow();
}

test('a citizen who answers everything correctly reaches level 3 in every area', async () => {
  const citizen = await platform.signInAs('citizen');
  const intro = await get(citizen, CITIZEN);
  assert.equal(intro.statusCode, 200);
  assert.match(intro.body, /10 minuti/);
  assert.match(intro.body, /Inizia il test/);
  const start = await post(citizen, `${CITIZEN}/inizia`, {});
  assert.equal(start.statusCode, 303);
  assert.equal(start.headers.location, `${CITIZEN}/domanda`);
  assert.equal(await answerQuestions(citizen, CITIZEN, true), `${CITIZEN}/risultato`);

  const row = await latest(citizen.userId!);
  assert.equal(row.overall_level, 3);
  assert.deepEqual(row.area_levels, Object.fromEntries(AREAS.map((a) => [a, 3])));
  assert.equal(row.administered_by, null);
  assert.equal((row.state as { answers: unknown[] }).answers.length, MAX_ITEMS);

  const page = await get(citizen, `${CITIZEN}/risultato`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /3 su 3 — avanzato/);
  assert.match(page.body, /Cosa significa per te/);
  const en = await get(citizen, `${CITIZEN}/risultato?lang=en`);
  assert.match(en.body, /3 out of 3 — advanced/);
});

test('a citizen who answers everything wrong gets level 0 after the five basic questions', async () => {
  const citizen = await platform.signInAs('citizen');
  await post(citizen, `${CITIZEN}/inizia`, {});
  assert.equal(await answerQuestions(citizen, CITIZEN, false), `${CITIZEN}/risultato`);
  const row = await latest(citizen.userId!);
  assert.equal(row.overall_level, 0);
  assert.equal((row.state as { answers: unknown[] }).answers.length, AREAS.length);
  const page = await get(citizen, `${CITIZEN}/risultato`);
  assert.match(page.body, /0 su 3 — da costruire/);
  assert.match(page.body, /facilitazione digitale/);
});

test('the check can be stopped and resumed; a repeated submission is not counted twice', async () => {
  const citizen = await platform.signInAs('citizen');
  await post(citizen, `${CITIZEN}/inizia`, {});
  await answerQuestions(citizen, CITIZEN, true, 2);

  // Later: the introduction offers to continue, and "start" again resumes the same attempt.
  const intro = await get(citizen, CITIZEN);
  assert.match(intro.body, /Continua il test/);
  assert.match(intro.body, /hai già risposto a 2 domande/);
  await post(citizen, `${CITIZEN}/inizia`, {});
  const open = await openAttempts(citizen.userId!);
  assert.equal(open.length, 1);

  const page = await get(citizen, `${CITIZEN}/domanda`);
  assert.match(page.body, /Domanda 3 di al massimo 15/);
  const item = shownItem(page.body);
  const first = await post(citizen, `${CITIZEN}/domanda`, { itemId: item.id, answer: item.correct });
  assert.equal(first.statusCode, 303);
  // The same form sent again (double click, back button): a gentle redirect, nothing changes.
  const again = await post(citizen, `${CITIZEN}/domanda`, { itemId: item.id, answer: wrong(item.id) });
  assert.equal(again.statusCode, 303);
  assert.equal(again.headers.location, `${CITIZEN}/domanda?stato=gia-registrata`);
  const notice = await get(citizen, String(again.headers.location));
  assert.match(notice.body, /era già stata registrata/);
  const answers = await openAnswers(citizen.userId!);
  assert.equal(answers.length, 3);
  assert.equal(answers[2]?.correct, true);

  assert.equal(await answerQuestions(citizen, CITIZEN, true), `${CITIZEN}/risultato`);
});

test('forged, missing and hostile answers are refused with a message, and nothing is lost', async () => {
  const citizen = await platform.signInAs('citizen');
  await post(citizen, `${CITIZEN}/inizia`, {});
  await answerQuestions(citizen, CITIZEN, true, 1);
  const page = await get(citizen, `${CITIZEN}/domanda`);
  const item = shownItem(page.body);
  const notPresented = ITEM_BANK.items.find((i) => i.difficulty === 3)!;

  const cases: [Record<string, string>, RegExp][] = [
    [{ itemId: notPresented.id, answer: notPresented.correct }, /non corrisponde alla domanda attuale/],
    [{ itemId: 'no-such-item', answer: 'a' }, /non corrisponde alla domanda attuale/],
    [{ itemId: '<script>alert(1)</script>', answer: 'a' }, /non corrisponde alla domanda attuale/],
    [{ itemId: item.id, answer: 'z' }, /Scegli una delle opzioni/],
    [{ itemId: item.id }, /Scegli una delle opzioni/],
    [{ itemId: item.id, answer: '<script>alert(1)</script>' }, /Scegli una delle opzioni/],
    [{ itemId: item.id, answer: 'x'.repeat(5000) }, /Scegli una delle opzioni/],
  ];
  for (const [fields, message] of cases) {
    const res = await post(citizen, `${CITIZEN}/domanda`, fields);
    assert.equal(res.statusCode, 400, JSON.stringify(fields).slice(0, 80));
    assert.match(res.body, message);
    assert.match(res.body, /<html lang="it"/);
    assert.doesNotMatch(res.body, /<script>alert\(1\)<\/script>/);
    assert.equal(shownItem(res.body).id, item.id, 'the same question is shown again');
  }
  assert.equal((await openAnswers(citizen.userId!)).length, 1);
  // The check goes on normally afterwards.
  assert.equal(await answerQuestions(citizen, CITIZEN, false), `${CITIZEN}/risultato`);
});

test('a CPI operator runs the check with a person: recorded as administered by the operator, reads audited', async () => {
  const citizen = await platform.signInAs('citizen');
  const operator = await platform.signInAs('cpi_operator');
  const base = operatorBase(citizen.userId!);

  const intro = await get(operator, base);
  assert.equal(intro.statusCode, 200);
  assert.match(intro.body, /Modalità assistita/);
  const start = await post(operator, `${base}/inizia`, {});
  assert.equal(start.statusCode, 303);
  assert.equal(await answerQuestions(operator, base, true), `${base}/risultato`);
  const row = await latest(citizen.userId!);
  assert.equal(row.administered_by, operator.userId);
  assert.equal(row.overall_level, 3);
  const result = await get(operator, `${base}/risultato`);
  assert.equal(result.statusCode, 200);
  assert.match(result.body, /con l&#39;aiuto di un operatore|con l'aiuto di un operatore/);

  const reads = await platform.db
    .selectFrom('audit_log')
    .select(['action', 'purpose', 'actor_id', 'subject_id'])
    .where('subject_id', '=', citizen.userId)
    .where('actor_id', '=', operator.userId)
    .where('action', '=', 'read.person')
    .where('purpose', '=', 'digital_check')
    .execute();
  assert.ok(
    reads.length >= 3,
    `expected the intro, the start and the result to be audited, got ${reads.length}`,
  );

  // The person sees the assisted result as their latest one.
  const own = await get(citizen, `${CITIZEN}/risultato`);
  assert.match(own.body, /con l&#39;aiuto di un operatore|con l'aiuto di un operatore/);
});

test('other roles are refused; a person of another Region or unknown is not found', async () => {
  const citizen = await platform.signInAs('citizen');
  const apl = await platform.signInAs('apl_operator');
  const employer = await platform.signInAs('employer');
  assert.equal((await get(apl, operatorBase(citizen.userId!))).statusCode, 403);
  assert.equal((await get(employer, CITIZEN)).statusCode, 403);
  assert.equal((await get(citizen, operatorBase(citizen.userId!))).statusCode, 403);

  const operator = await platform.signInAs('cpi_operator');
  const foreign = await platform.db
    .insertInto('users')
    .values({ region_code: '00', role: 'citizen', given_name: 'Altra', family_name: 'Regione' })
    .returning('id')
    .executeTakeFirstOrThrow();
  assert.equal((await get(operator, operatorBase(foreign.id))).statusCode, 404);
  assert.equal((await post(operator, `${operatorBase(foreign.id)}/inizia`, {})).statusCode, 404);
  assert.equal((await get(operator, operatorBase('not-a-uuid'))).statusCode, 404);
  const none = await platform.db
    .selectFrom('digital_check_attempts')
    .select('id')
    .where('user_id', '=', foreign.id)
    .execute();
  assert.deepEqual(none, []);
});

test('whatever the answer form receives, never a server error and never a lost answer', async () => {
  const citizen = await platform.signInAs('citizen');
  await post(citizen, `${CITIZEN}/inizia`, {});
  await answerQuestions(citizen, CITIZEN, true, 1);
  const hostile = fc.oneof(
    fc.string({ maxLength: 50 }),
    fc.string({ minLength: 5000, maxLength: 20000 }),
    fc.constantFrom('<script>alert(1)</script>', "' or 1=1 --", '\u0000\u0001', '{{constructor}}', '%00', ''),
  );
  await fc.assert(
    fc.asyncProperty(fc.record({ itemId: hostile, answer: hostile }), async (fields) => {
      const res = await post(citizen, `${CITIZEN}/domanda`, fields);
      assert.ok(res.statusCode < 500, `answered ${res.statusCode}`);
      assert.doesNotMatch(res.body, /<script>alert\(1\)<\/script>/);
    }),
    { numRuns: 40 },
  );
  assert.equal((await openAnswers(citizen.userId!)).length, 1);
});
