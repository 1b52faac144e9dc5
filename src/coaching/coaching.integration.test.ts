import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { createSession } from '../platform/auth/session.ts';
import { recordActivity } from './use-cases/activity.ts';
import { runDailyCoaching } from './use-cases/daily.ts';
import { runMonthlyPeerFeedback } from './use-cases/peer.ts';

let platform: TestPlatform;
let giulia: Visitor;
let operator: Visitor;
let officeId: string;
const region = '10';
const DAY = 86_400_000;

function multipart(visitor: Visitor, file: { name: string; type: string; data: Buffer }) {
  const boundary = '----coaching-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${visitor.csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return {
    headers: { cookie: visitor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  };
}

async function newCitizen(name: string, email: string | null = null): Promise<string> {
  const row = await platform.db
    .insertInto('users')
    .values({ region_code: region, role: 'citizen', given_name: name, family_name: 'Prova', email })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function pactFor(citizenId: string, coachId: string, createdAt = new Date()) {
  const pact = await platform.db
    .insertInto('pacts')
    .values({
      region_code: region,
      citizen_id: citizenId,
      office_id: officeId,
      coach_id: coachId,
      status: 'signed',
      current_version: 1,
      created_by: coachId,
      created_at: createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await platform.db
    .insertInto('pact_versions')
    .values({ region_code: region, pact_id: pact.id, version: 1, content: '{}', created_by: coachId })
    .execute();
  return pact.id;
}

before(async () => {
  platform = await startTestPlatform();
  giulia = await platform.signInAs('citizen');
  operator = await platform.signInAs('cpi_operator');
  const op = await platform.db
    .selectFrom('users')
    .select('office_id')
    .where('id', '=', operator.userId as string)
    .executeTakeFirstOrThrow();
  officeId = op.office_id as string;
  await pactFor(giulia.userId as string, operator.userId as string);
});
after(async () => platform.stop());

test('the operator adds actions; bad input is refused and kept', async () => {
  const url = `/operatore/persone/${giulia.userId}/piano`;
  const page = await platform.get(operator, url);
  assert.equal(page.statusCode, 200);
  const bad = await platform.post(operator, url, {
    kind: 'apply_vacancies',
    title: 'Candidature di novembre',
    target: '0',
    dueDate: '2026-02-31',
    appointmentId: '',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Scrivi un numero da 1 a 100/);
  assert.match(bad.body, /Scrivi una data valida/);
  assert.match(bad.body, /value="Candidature di novembre"/);
  const ok = await platform.post(operator, url, {
    kind: 'apply_vacancies',
    title: 'Candidati a 3 offerte',
    target: '3',
    dueDate: '2026-12-20',
    appointmentId: '',
  });
  assert.equal(ok.statusCode, 303);
  const rows = await platform.db
    .selectFrom('plan_actions')
    .selectAll()
    .where('citizen_id', '=', giulia.userId as string)
    .execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.target, 3);
  assert.equal(rows[0]?.coach_id, operator.userId);
  const editUrl = `${url}/${rows[0]?.id}/modifica`;
  const badEdit = await platform.post(operator, editUrl, {
    title: 'Nuovo titolo',
    target: '3',
    dueDate: 'domani',
  });
  assert.equal(badEdit.statusCode, 400);
  assert.match(badEdit.body, /value="Nuovo titolo"/);
  const edited = await platform.post(operator, editUrl, {
    title: 'Candidati a 3 offerte',
    target: '3',
    dueDate: '2026-12-21',
  });
  assert.equal(edited.statusCode, 303);
  const plan = await platform.get(giulia, '/piano');
  assert.equal(plan.statusCode, 200);
  assert.match(plan.body, /Candidati a 3 offerte/);
  assert.match(plan.body, /0 di 3/);
  assert.match(plan.body, /Entro il 21 dicembre 2026/, 'the due date, read back from the page’s JSON');
  // Another person is not the citizen's to open; a random id is not found for the operator.
  const other = await platform.get(operator, '/operatore/persone/00000000-0000-4000-8000-000000000000/piano');
  assert.equal(other.statusCode, 404);
});

test('the citizen adds link and PDF evidence; other files and other people’s actions are refused', async () => {
  const action = await platform.db
    .selectFrom('plan_actions')
    .select('id')
    .where('citizen_id', '=', giulia.userId as string)
    .executeTakeFirstOrThrow();
  const badLink = await platform.post(giulia, `/piano/${action.id}/link`, { url: 'javascript:alert(1)' });
  assert.equal(badLink.statusCode, 400);
  assert.match(badLink.body, /http:\/\/ o https:\/\//);
  const link = await platform.post(giulia, `/piano/${action.id}/link`, {
    url: 'https://example.org/candidatura',
  });
  assert.equal(link.statusCode, 303);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const up = await platform.app.inject({
    method: 'POST',
    url: `/piano/${action.id}/file`,
    ...multipart(giulia, { name: 'ricevuta.pdf', type: 'application/pdf', data: pdf }),
  });
  assert.equal(up.statusCode, 303);
  const exe = await platform.app.inject({
    method: 'POST',
    url: `/piano/${action.id}/file`,
    ...multipart(giulia, { name: 'finto.pdf', type: 'application/pdf', data: Buffer.from('MZ not a pdf') }),
  });
  assert.equal(exe.statusCode, 400);
  assert.match(exe.body, /PDF, un JPEG o un PNG/);
  const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
  pdf.copy(big, 0);
  const tooBig = await platform.app.inject({
    method: 'POST',
    url: `/piano/${action.id}/file`,
    ...multipart(giulia, { name: 'scansione.pdf', type: 'application/pdf', data: big }),
  });
  assert.equal(tooBig.statusCode, 400);
  assert.match(tooBig.body, /Il file è troppo grande: al massimo 10 MB/);
  const evidence = await platform.db
    .selectFrom('plan_evidence')
    .select(['kind', 'sha256', 'url'])
    .where('action_id', '=', action.id)
    .orderBy('created_at')
    .execute();
  assert.deepEqual(
    evidence.map((e) => e.kind),
    ['link', 'upload'],
  );
  assert.match(evidence[1]?.sha256 ?? '', /^[0-9a-f]{64}$/);

  const marco = await newCitizen('Marco');
  const foreign = await platform.db
    .insertInto('plan_actions')
    .values({
      region_code: region,
      citizen_id: marco,
      kind: 'custom',
      title: 'Di Marco',
      due_date: '2026-12-01',
      created_by: operator.userId as string,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const stolen = await platform.post(giulia, `/piano/${foreign.id}/link`, { url: 'https://example.org' });
  assert.equal(stolen.statusCode, 404);
  const stolenFile = await platform.app.inject({
    method: 'POST',
    url: `/piano/${foreign.id}/file`,
    ...multipart(giulia, { name: 'a.pdf', type: 'application/pdf', data: pdf }),
  });
  assert.equal(stolenFile.statusCode, 404);
  assert.equal((await platform.post(giulia, `/piano/${foreign.id}/fatto`, {})).statusCode, 404);

  // Both see the evidence on the plan; the file opens for Giulia and, audited, for the e-coach.
  const uploaded = await platform.db
    .selectFrom('plan_evidence')
    .select('id')
    .where('action_id', '=', action.id)
    .where('kind', '=', 'upload')
    .executeTakeFirstOrThrow();
  const mine = await platform.get(giulia, '/piano');
  assert.match(mine.body, /href="https:\/\/example.org\/candidatura"/);
  assert.match(mine.body, new RegExp(`href="/piano/prove/${uploaded.id}">documento «ricevuta.pdf»`));
  const own = await platform.get(giulia, `/piano/prove/${uploaded.id}`);
  assert.equal(own.statusCode, 200);
  assert.equal(own.rawPayload.subarray(0, 5).toString(), '%PDF-');
  assert.match(String(own.headers['content-disposition']), /attachment; filename="ricevuta.pdf"/);
  const coachPage = await platform.get(operator, `/operatore/persone/${giulia.userId}/piano`);
  const coachHref = `/operatore/persone/${giulia.userId}/piano/prove/${uploaded.id}`;
  assert.ok(coachPage.body.includes(`href="${coachHref}"`));
  assert.equal((await platform.get(operator, coachHref)).statusCode, 200);
  const read = await platform.db
    .selectFrom('audit_log')
    .select(['actor_id', 'subject_id'])
    .where('action', '=', 'coaching.evidence_read')
    .executeTakeFirstOrThrow();
  assert.deepEqual([read.actor_id, read.subject_id], [operator.userId, giulia.userId]);
  // Nobody else: another citizen, a wrong person in the path, an unknown id.
  const marcoVisitor = await platform.signInAsUser(marco, region);
  assert.equal((await platform.get(marcoVisitor, `/piano/prove/${uploaded.id}`)).statusCode, 404);
  assert.equal(
    (await platform.get(operator, `/operatore/persone/${marco}/piano/prove/${uploaded.id}`)).statusCode,
    404,
  );
  assert.equal((await platform.get(giulia, '/piano/prove/not-a-uuid')).statusCode, 404);
});

test('recordActivity advances "apply to 3 vacancies" to done after 3 applications', async () => {
  const action = await platform.db
    .selectFrom('plan_actions')
    .select('id')
    .where('citizen_id', '=', giulia.userId as string)
    .executeTakeFirstOrThrow();
  // An application in another month does not count.
  await recordActivity(platform.db, {
    regionCode: region,
    citizenId: giulia.userId as string,
    kind: 'application_sent',
    at: new Date('2026-11-30T10:00:00Z'),
    ref: 'v0',
  });
  for (const ref of ['v1', 'v2', 'v3'])
    await recordActivity(platform.db, {
      regionCode: region,
      citizenId: giulia.userId as string,
      kind: 'application_sent',
      at: new Date('2026-12-05T10:00:00Z'),
      ref,
      details: { distanceKm: 5 },
    });
  const row = await platform.db
    .selectFrom('plan_actions')
    .select(['status', 'progress', 'done_at'])
    .where('id', '=', action.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.progress, 3);
  assert.equal(row.status, 'done');
  assert.ok(row.done_at);
  const auto = await platform.db
    .selectFrom('plan_evidence')
    .select('id')
    .where('action_id', '=', action.id)
    .where('kind', '=', 'automatic')
    .execute();
  assert.equal(auto.length, 3);
});

test('the daily job opens each alert kind once, closes nothing, and sends the kind message once', async () => {
  const luca = await newCitizen('Luca', 'luca@example.org');
  const start = new Date('2027-01-01T06:00:00Z');
  await pactFor(luca, operator.userId as string, new Date(start.getTime() - 60 * DAY));
  await platform.db
    .insertInto('citizen_profiles')
    .values({ region_code: region, user_id: luca, availability: JSON.stringify({ maxCommuteKm: 10 }) })
    .execute();
  await platform.db
    .insertInto('plan_actions')
    .values({
      region_code: region,
      citizen_id: luca,
      kind: 'update_cv',
      title: 'Aggiorna il CV',
      due_date: '2026-12-01',
      created_by: operator.userId as string,
      created_at: new Date(start.getTime() - 50 * DAY),
      updated_at: new Date(start.getTime() - 50 * DAY),
    })
    .execute();
  for (let i = 0; i < 10; i++)
    await recordActivity(platform.db, {
      regionCode: region,
      citizenId: luca,
      kind: 'application_sent',
      at: new Date(start.getTime() - 40 * DAY),
      ref: `old${i}`,
      details: { distanceKm: 3 },
    });
  for (let i = 0; i < 3; i++)
    await recordActivity(platform.db, {
      regionCode: region,
      citizenId: luca,
      kind: 'application_sent',
      at: new Date(start.getTime() - 2 * DAY),
      ref: `far${i}`,
      details: { distanceKm: 80 },
    });
  // A booked appointment that he missed, and one that he attended (picked up as activity once).
  const appt = await platform.db
    .selectFrom('appointments')
    .select('id')
    .where('region_code', '=', region)
    .limit(1)
    .executeTakeFirst();
  const apptId = appt?.id ?? '11111111-1111-4111-8111-111111111111';
  await platform.db
    .insertInto('agenda_events')
    .values([
      {
        region_code: region,
        appointment_id: apptId,
        citizen_id: luca,
        event: 'no_show',
        at: new Date(start.getTime() - 3600_000),
      },
      {
        region_code: region,
        appointment_id: apptId,
        citizen_id: luca,
        event: 'attended',
        at: new Date(start.getTime() - 7200_000),
      },
    ])
    .execute();

  await runDailyCoaching({ db: platform.db, notifier: platform.notifier }, start);
  await runDailyCoaching({ db: platform.db, notifier: platform.notifier }, new Date(start.getTime() + DAY));
  const alerts = await platform.db
    .selectFrom('coach_alerts')
    .select(['kind', 'closed_at', 'coach_id'])
    .where('citizen_id', '=', luca)
    .orderBy('kind')
    .execute();
  assert.deepEqual(
    alerts.map((a) => a.kind),
    [
      'cv_review',
      'inconsistent_distance',
      'missed_appointment',
      'no_progress',
      'no_sign_in',
      'overdue_action',
    ],
  );
  assert.ok(alerts.every((a) => a.closed_at === null && a.coach_id === operator.userId));
  const attended = await platform.db
    .selectFrom('citizen_activity')
    .select('id')
    .where('citizen_id', '=', luca)
    .where('kind', '=', 'appointment_attended')
    .execute();
  assert.equal(attended.length, 1);
  const mails = await platform.pool.query(
    "select count(*)::int as n from pgboss.job where name = 'send-email' and data->>'to' = 'luca@example.org'",
  );
  assert.equal(mails.rows[0].n, 2, 'one kind message for the overdue action and one for the CV review');
  const mail = await platform.lastQueuedEmail('coaching-alert:%');
  assert.ok(mail);
  assert.match(mail.text, /Luca/);

  // The e-coach sees the queue and closes one alert with a note; a short note is refused.
  const page = await platform.get(operator, '/operatore/coaching');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Luca Prova/);
  const open = await platform.db
    .selectFrom('coach_alerts')
    .select('id')
    .where('citizen_id', '=', luca)
    .where('kind', '=', 'missed_appointment')
    .executeTakeFirstOrThrow();
  const noNote = await platform.post(operator, `/operatore/coaching/allerte/${open.id}/chiudi`, { note: '' });
  assert.equal(noNote.statusCode, 400);
  const closed = await platform.post(operator, `/operatore/coaching/allerte/${open.id}/chiudi`, {
    note: 'Sentito al telefono',
  });
  assert.equal(closed.statusCode, 303);
});

test('peer feedback: a group of 25 gets percentiles, a group of 10 nothing, an opt-out nothing, and no names', async () => {
  const now = new Date('2027-03-01T06:00:00Z');
  const mkGroup = async (n: number, tier: number, prefix: string) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const id = await newCitizen(`${prefix}${i}`, `${prefix}${i}@example.org`);
      ids.push(id);
      await pactFor(id, operator.userId as string);
      await platform.db
        .insertInto('tier_assignments')
        .values({ region_code: region, user_id: id, tier, source: 'model' })
        .execute();
      for (let k = 0; k < i % 5; k++)
        await platform.db
          .insertInto('citizen_activity')
          .values({
            region_code: region,
            citizen_id: id,
            kind: 'application_sent',
            at: new Date('2027-02-10T10:00:00Z'),
          })
          .execute();
    }
    return ids;
  };
  const big = await mkGroup(25, 3, 'Grande');
  const small = await mkGroup(10, 1, 'Piccolo');
  // Opted out: in the big group's situation, but never gets a message.
  const [outId] = await mkGroup(1, 3, 'Riservato');
  await platform.db
    .insertInto('peer_feedback_optouts')
    .values({ region_code: region, user_id: outId as string })
    .execute();

  const deps = { db: platform.db, notifier: platform.notifier };
  await runMonthlyPeerFeedback(deps, now);
  await runMonthlyPeerFeedback(deps, now);
  const messages = await platform.db
    .selectFrom('peer_feedback_messages')
    .select(['user_id', 'payload', 'month'])
    .where('month', '=', sql<Date>`date '2027-02-01'`)
    .execute();
  const got = new Set(messages.map((m) => m.user_id));
  assert.ok(big.every((id) => got.has(id)));
  assert.ok(small.every((id) => !got.has(id)));
  assert.equal(got.has(outId as string), false);
  const first = messages.find((m) => m.user_id === big[0])?.payload as {
    percentile: number;
    groupSize: number;
  };
  assert.equal(first.percentile, 10);
  assert.equal(first.groupSize, 25);
  const mail = await platform.lastQueuedEmail(`peer-feedback:${region}:${big[4]}:%`);
  assert.ok(mail);
  assert.match(mail.text, /25/);
  for (const name of ['Grande', 'Piccolo', 'Riservato', 'Prova'])
    assert.equal(mail.text.includes(`${name}1`), false);
  assert.equal(mail.text.includes('Prova'), false);
  const count = await platform.pool.query(
    "select count(*)::int as n from pgboss.job where name = 'send-email' and data->>'key' like 'peer-feedback:%'",
  );
  assert.equal(count.rows[0].n, 25, 'one message per person and month');

  // The plan page shows the person's latest comparison, or that they opted out.
  const withFeedback = await platform.get(await platform.signInAsUser(big[0]!, region), '/piano');
  assert.match(withFeedback.body, /delle 25 persone con una situazione simile alla tua/);
  const optedOut = await platform.get(await platform.signInAsUser(outId as string, region), '/piano');
  assert.match(optedOut.body, /Hai scelto di non ricevere il confronto\./);
  assert.doesNotMatch(optedOut.body, /persone con una situazione simile alla tua/);
});

test('a sign-in is remembered after its session is gone: no "no sign-in" alert until the configured days pass', async () => {
  const anna = await newCitizen('Anna', 'anna@example.org');
  const start = new Date('2027-02-01T06:00:00Z');
  await pactFor(anna, operator.userId as string, new Date(start.getTime() - 60 * DAY));
  // A real sign-in writes users.last_signed_in_at; the session is then deleted (expired).
  await createSession(platform.db, { userId: anna, regionCode: region, stage: 'active', authMethod: 'test' });
  await platform.db.deleteFrom('sessions').where('user_id', '=', anna).execute();
  const { last_signed_in_at } = await platform.db
    .selectFrom('users')
    .select('last_signed_in_at')
    .where('id', '=', anna)
    .executeTakeFirstOrThrow();
  assert.ok(last_signed_in_at);
  const kinds = async () =>
    (
      await platform.db.selectFrom('coach_alerts').select('kind').where('citizen_id', '=', anna).execute()
    ).map((a) => a.kind);
  await platform.db
    .updateTable('users')
    .set({ last_signed_in_at: new Date(start.getTime() - 2 * DAY) })
    .where('id', '=', anna)
    .execute();
  await runDailyCoaching({ db: platform.db, notifier: platform.notifier }, start);
  assert.ok(!(await kinds()).includes('no_sign_in'));
  await platform.db
    .updateTable('users')
    .set({ last_signed_in_at: new Date(start.getTime() - 45 * DAY) })
    .where('id', '=', anna)
    .execute();
  await runDailyCoaching({ db: platform.db, notifier: platform.notifier }, new Date(start.getTime() + DAY));
  assert.ok((await kinds()).includes('no_sign_in'));
});
