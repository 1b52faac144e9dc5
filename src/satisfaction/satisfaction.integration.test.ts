import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureServiceCatalogue } from '../agenda/use-cases/catalogue.ts';
import { createRegionObjects, type RegionObjects } from '../app/testing/other-region.ts';
import { startTestPlatform, type TestPlatform } from '../app/testing/test-platform.ts';
import { recordAnswer } from './use-cases/answers.ts';
import { runSatisfactionInvitations, type SatisfactionDeps } from './use-cases/invitations.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TOKEN_IN = /\/valuta\/([A-Za-z0-9_-]{43})/;

describe('satisfaction after every service', () => {
  let platform: TestPlatform;
  let deps: SatisfactionDeps;
  let other: RegionObjects;
  let giulia: { id: string; region_code: string };
  let operator: { id: string; office_id: string };
  const now = new Date();
  const giuliaAppointments: string[] = [];

  /** An appointment of the demo Region that took place `ago` milliseconds before `at`, marked attended. */
  const attended = async (citizenId: string, startsAt: Date) => {
    const db = platform.db;
    const slot = await db
      .insertInto('agenda_slots')
      .values({
        region_code: '10',
        operator_id: operator.id,
        office_id: operator.office_id,
        starts_at: startsAt,
        ends_at: new Date(startsAt.getTime() + 30 * 60_000),
        mode: 'in_person',
        services: ['accoglienza'],
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const appt = await db
      .insertInto('appointments')
      .values({
        region_code: '10',
        slot_id: slot.id,
        citizen_id: citizenId,
        service_code: 'accoglienza',
        channel: 'in_person',
        status: 'attended',
        booked_by: citizenId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('agenda_events')
      .values({
        region_code: '10',
        appointment_id: appt.id,
        citizen_id: citizenId,
        event: 'attended',
        actor_id: operator.id,
        at: new Date(startsAt.getTime() + 30 * 60_000),
      })
      .execute();
    return appt.id;
  };

  const invitationFor = (serviceId: string) =>
    platform.db
      .selectFrom('satisfaction_invitations')
      .selectAll()
      .where('service_id', '=', serviceId)
      .executeTakeFirst();

  const linkOf = async (invitationId: string, regionCode = '10') => {
    const mail = await platform.lastQueuedEmail(`satisfaction:${regionCode}:${invitationId}`);
    assert.ok(mail, 'an e-mail was queued');
    const m = TOKEN_IN.exec(mail.text);
    assert.ok(m, mail.text);
    return { mail, token: m[1]! };
  };

  before(async () => {
    platform = await startTestPlatform();
    deps = { db: platform.db, notifier: platform.notifier, config: platform.config };
    await ensureServiceCatalogue(platform.db, '10');
    giulia = await platform.db
      .selectFrom('users')
      .select(['id', 'region_code'])
      .where('email', '=', 'cittadino@demo.sportello.example')
      .executeTakeFirstOrThrow();
    const op = await platform.db
      .selectFrom('users')
      .select(['id', 'office_id'])
      .where('email', '=', 'operatore.cpi@demo.sportello.example')
      .executeTakeFirstOrThrow();
    operator = { id: op.id, office_id: op.office_id! };
    other = await createRegionObjects(platform, '20', '7731');
  });
  after(async () => {
    await platform?.stop();
  });

  test('the job invites once per service and respondent: e-mail in their language, or SMS without e-mail', async () => {
    for (let i = 0; i < 12; i++)
      giuliaAppointments.push(await attended(giulia.id, new Date(now.getTime() - (3 + i) * HOUR)));
    // Too old (outside the 14 days looked back) and not yet over: neither is surveyed.
    const old = await attended(giulia.id, new Date(now.getTime() - 20 * DAY));
    const notYet = await attended(giulia.id, new Date(now.getTime() + 2 * HOUR));
    // A person without e-mail, who reads English: an SMS in English.
    const ahmed = await platform.db
      .insertInto('users')
      .values({
        region_code: '10',
        role: 'citizen',
        given_name: 'Ahmed',
        family_name: 'Karimi',
        phone: '+39 333 7654321',
        preferred_language: 'en',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ahmedAppointment = await attended(ahmed.id, new Date(now.getTime() - 5 * HOUR - 7 * 60_000));

    const first = await runSatisfactionInvitations(deps, now);
    assert.ok(first.invited >= 13, `invited ${first.invited}`);
    for (const id of giuliaAppointments) {
      const inv = await invitationFor(id);
      assert.ok(inv);
      assert.equal(inv.service_kind, 'appointment');
      assert.equal(inv.respondent_side, 'person');
      assert.equal(inv.office_id, operator.office_id);
      assert.equal(inv.channel, 'email');
      assert.equal(inv.expires_at.getTime() - inv.invited_at.getTime(), 30 * DAY);
      assert.match(inv.token_hash, /^[0-9a-f]{64}$/);
    }
    assert.equal(await invitationFor(old), undefined);
    assert.equal(await invitationFor(notYet), undefined);

    const inv = (await invitationFor(giuliaAppointments[0]!))!;
    const { mail, token } = await linkOf(inv.id);
    assert.equal(mail.to, 'cittadino@demo.sportello.example');
    assert.equal(mail.subject, "Com'è andata? Rispondi a una domanda");
    assert.match(mail.text, /Accoglienza e prime informazioni/);
    assert.match(mail.text, /Non serve accedere/);
    // The token is stored only as its hash.
    const { rows: clear } = await platform.pool.query(
      'select 1 from satisfaction_invitations where token_hash = $1',
      [token],
    );
    assert.equal(clear.length, 0);

    const ahmedInv = (await invitationFor(ahmedAppointment))!;
    assert.equal(ahmedInv.channel, 'sms');
    assert.equal(ahmedInv.language, 'en');
    const { rows: sms } = await platform.pool.query<{ data: { to: string; text: string } }>(
      "select data from pgboss.job where name = 'send-sms' and data->>'key' = $1",
      [`satisfaction:10:${ahmedInv.id}`],
    );
    assert.equal(sms.length, 1);
    assert.equal(sms[0]!.data.to, '+39 333 7654321');
    assert.match(sms[0]!.data.text, /^Sportello Lavoro: how did it go\? .*\/valuta\/[A-Za-z0-9_-]{43}$/);

    // Idempotent: a second run, and a later one, invite nobody again.
    assert.equal((await runSatisfactionInvitations(deps, now)).invited, 0);
    assert.equal((await runSatisfactionInvitations(deps, new Date(now.getTime() + HOUR))).invited, 0);
    const { rows } = await platform.pool.query(
      'select service_id, count(*) from satisfaction_invitations group by service_id having count(*) > 1',
    );
    assert.equal(rows.length, 0);
    const { rows: mails } = await platform.pool.query(
      "select count(*)::int as n from pgboss.job where name = 'send-email' and data->>'key' = $1",
      [`satisfaction:10:${inv.id}`],
    );
    assert.equal(mails[0].n, 1);
  });

  test('pacts, courses, application outcomes for the person; shortlists and recruiting days for the company', async () => {
    const db = platform.db;
    const r = '20';
    const hourAgo = new Date(now.getTime() - HOUR);
    await db
      .updateTable('agenda_slots')
      .set({ starts_at: new Date(now.getTime() - 4 * HOUR), ends_at: new Date(now.getTime() - 3.5 * HOUR) })
      .where('region_code', '=', r)
      .where('id', '=', (qb) =>
        qb
          .selectFrom('appointments')
          .select('slot_id')
          .where('region_code', '=', r)
          .where('id', '=', other.appointmentId),
      )
      .execute();
    await db
      .updateTable('appointments')
      .set({ status: 'attended' })
      .where('region_code', '=', r)
      .where('id', '=', other.appointmentId)
      .execute();
    await db
      .updateTable('pacts')
      .set({ status: 'signed' })
      .where('region_code', '=', r)
      .where('id', '=', other.pactId)
      .execute();
    await db
      .insertInto('pact_signatures')
      .values({
        region_code: r,
        pact_id: other.pactId,
        version: other.pactVersion,
        party: 'citizen',
        signer_id: other.users.citizen.id,
        method: 'sms_code',
        document_sha256: 'a'.repeat(64),
        signed_at: hourAgo,
      })
      .execute();
    await db
      .updateTable('course_enrolments')
      .set({ status: 'completed', completed_at: hourAgo, updated_at: hourAgo })
      .where('region_code', '=', r)
      .where('id', '=', other.enrolmentId)
      .execute();
    await db
      .updateTable('applications')
      .set({ status: 'rejected', updated_at: hourAgo })
      .where('region_code', '=', r)
      .where('id', '=', other.applicationId)
      .execute();
    await db
      .updateTable('shortlist_requests')
      .set({ status: 'sent', sent_at: hourAgo })
      .where('region_code', '=', r)
      .where('id', '=', other.shortlistId)
      .execute();
    const yesterday = new Date(now.getTime() - DAY).toISOString().slice(0, 10);
    await db
      .updateTable('recruiting_days')
      .set({ day: yesterday })
      .where('region_code', '=', r)
      .where('id', '=', other.recruitingDayId)
      .execute();

    await runSatisfactionInvitations(deps, now);
    const rows = await db
      .selectFrom('satisfaction_invitations')
      .select(['service_kind', 'service_id', 'respondent_id', 'respondent_side', 'office_id'])
      .where('region_code', '=', r)
      .orderBy('service_kind')
      .execute();
    const byKind = Object.fromEntries(rows.map((x) => [x.service_kind, x]));
    assert.deepEqual(Object.keys(byKind).sort(), [
      'application',
      'appointment',
      'course',
      'pact',
      'recruiting_day',
      'shortlist',
    ]);
    for (const kind of ['appointment', 'pact', 'course', 'application'] as const) {
      assert.equal(byKind[kind]!.respondent_id, other.users.citizen.id, kind);
      assert.equal(byKind[kind]!.respondent_side, 'person');
    }
    // A course or an application is counted at the office of the person's pact.
    assert.equal(byKind.course!.office_id, other.officeId);
    for (const kind of ['shortlist', 'recruiting_day'] as const) {
      assert.equal(byKind[kind]!.respondent_id, other.users.employer.id, kind);
      assert.equal(byKind[kind]!.respondent_side, 'company');
      assert.equal(byKind[kind]!.office_id, other.officeId);
    }
    assert.equal(byKind.shortlist!.service_id, other.shortlistId);
  });

  test('the link: no sign-in, one answer, bad input refused with the values kept', async () => {
    const inv = (await invitationFor(giuliaAppointments[0]!))!;
    const { token } = await linkOf(inv.id);
    const visitor = platform.anonymous();
    const page = await platform.get(visitor, `/valuta/${token}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Com&#39;è andata\?<\/h1>|<h1>Com'è andata\?<\/h1>/);
    assert.match(
      page.body,
      /<legend class="sl-label">Quanto sei soddisfatto o soddisfatta di questo servizio\?<\/legend>/,
    );
    assert.match(page.body, /1 — Per niente soddisfatto/);
    assert.match(page.body, /5 — Molto soddisfatto/);
    assert.match(page.body, /name="problems"/);

    const bad = await platform.post(visitor, `/valuta/${token}`, {
      comment: 'Tutto bene\u0007',
      problems: ['waiting', 'not-a-category'],
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="error-summary"/);
    assert.match(bad.body, /Scegli un voto da 1 a 5\./);
    assert.match(bad.body, /Il testo contiene caratteri non ammessi\./);
    assert.match(bad.body, /Scegli una delle opzioni\./);
    assert.match(bad.body, /value="waiting" checked/);
    assert.match(bad.body, /Tutto bene/);
    const long = await platform.post(visitor, `/valuta/${token}`, { score: '4', comment: 'x'.repeat(1001) });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /Il commento può avere al massimo 1000 caratteri\./);
    assert.match(long.body, /value="4" checked/);
    const outOfRange = await platform.post(visitor, `/valuta/${token}`, { score: '9' });
    assert.equal(outOfRange.statusCode, 400);
    assert.equal((await invitationFor(giuliaAppointments[0]!))!.answered_at, null);

    const ok = await platform.post(visitor, `/valuta/${token}`, {
      score: '2',
      problems: ['waiting', 'information'],
      comment: 'Ho aspettato mezz’ora. Sono Giulia Conti, chiamatemi al 333 1234567.',
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/valuta/grazie');
    const thanks = await platform.get(visitor, '/valuta/grazie');
    assert.equal(thanks.statusCode, 200);
    assert.match(thanks.body, /Grazie per la tua risposta/);
    const answer = await platform.db
      .selectFrom('satisfaction_answers')
      .selectAll()
      .where('invitation_id', '=', inv.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([answer.score, answer.problems, answer.via], [2, ['waiting', 'information'], 'link']);

    // Single use: the page and a second answer both say it was already answered.
    const again = await platform.get(visitor, `/valuta/${token}`);
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Hai già risposto/);
    const second = await platform.post(visitor, `/valuta/${token}`, { score: '5' });
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /Ogni collegamento vale una sola volta/);
    const count = await platform.db
      .selectFrom('satisfaction_answers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('invitation_id', '=', inv.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
    // Directly, too: the use case refuses a second answer.
    const direct = await recordAnswer(
      platform.db,
      { regionCode: '10', id: inv.id },
      { score: 5, comment: '', problems: [] },
      'page',
      new Date(),
    );
    assert.deepEqual(direct, { ok: false, reason: 'answered' });
  });

  test('unknown, malformed and expired links get a clear page, never an error', async () => {
    const visitor = platform.anonymous();
    for (const bad of ['A'.repeat(43), 'abc', 'x'.repeat(90), '..%2F..%2Fadmin']) {
      const res = await platform.get(visitor, `/valuta/${bad}`);
      assert.equal(res.statusCode, 404, bad);
      assert.match(res.body, /Collegamento non valido/);
      const post = await platform.post(visitor, `/valuta/${bad}`, { score: '3' });
      assert.equal(post.statusCode, 404, bad);
    }
    // A NUL in the address is refused by the server before the page (a 400, never a 5xx).
    assert.equal((await platform.get(visitor, '/valuta/%00%00')).statusCode, 400);
    // Invited 40 days ago (for a service delivered just before): the link expired 10 days ago.
    const past = new Date(now.getTime() - 40 * DAY);
    const expiredAppt = await attended(giulia.id, new Date(past.getTime() - 2 * HOUR));
    await runSatisfactionInvitations(deps, past);
    const inv = (await invitationFor(expiredAppt))!;
    assert.ok(inv);
    const { token } = await linkOf(inv.id);
    const res = await platform.get(visitor, `/valuta/${token}`);
    assert.equal(res.statusCode, 410);
    assert.match(res.body, /Collegamento scaduto/);
    const post = await platform.post(visitor, `/valuta/${token}`, { score: '5' });
    assert.equal(post.statusCode, 410);
    assert.equal((await invitationFor(expiredAppt))!.answered_at, null);
    // In English, for a visitor who chose it.
    const en = await platform.get(visitor, `/valuta/${token}?lang=en`);
    assert.match(en.body, /Link expired/);
  });

  test('in the page: the pending surveys, an answer, a second one refused, others’ surveys not found', async () => {
    const visitor = await platform.signInAsUser(giulia.id, '10');
    const list = await platform.get(visitor, '/valutazioni');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Le mie valutazioni/);
    const ids = [...list.body.matchAll(/href="\/valutazioni\?invito=([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    // Twelve appointments, the first answered by link, the expired one not listed.
    assert.equal(ids.length, 11);
    const target = (await invitationFor(giuliaAppointments[1]!))!;
    assert.ok(ids.includes(target.id));

    const form = await platform.get(visitor, `/valutazioni?invito=${target.id}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, new RegExp(`name="invito" value="${target.id}"`));
    const bad = await platform.post(visitor, '/valutazioni', { invito: target.id, score: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Scegli un voto da 1 a 5\./);
    const ok = await platform.post(visitor, '/valutazioni', {
      invito: target.id,
      score: '5',
      comment: 'Gentilissimi',
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/valutazioni?ok=inviata');
    const after = await platform.get(visitor, '/valutazioni?ok=inviata');
    assert.match(after.body, /Grazie, la tua risposta è stata registrata\./);
    assert.doesNotMatch(after.body, new RegExp(target.id));
    const twice = await platform.post(visitor, '/valutazioni', { invito: target.id, score: '1' });
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /Hai già risposto/);
    const answer = await platform.db
      .selectFrom('satisfaction_answers')
      .select(['score', 'via'])
      .where('invitation_id', '=', target.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(answer, { score: 5, via: 'page' });

    // Another person (the demo employer), or a person of another Region, cannot see or answer it.
    const employer = await platform.signInAs('employer');
    assert.equal((await platform.get(employer, `/valutazioni?invito=${target.id}`)).statusCode, 404);
    assert.equal(
      (await platform.post(employer, '/valutazioni', { invito: target.id, score: '1' })).statusCode,
      404,
    );
    const stranger = await platform.signInAsUser(other.users.citizen.id, '20');
    assert.equal((await platform.get(stranger, `/valutazioni?invito=${target.id}`)).statusCode, 404);
    assert.equal((await platform.get(stranger, '/valutazioni?invito=not-a-uuid')).statusCode, 404);
    assert.equal((await platform.post(stranger, '/valutazioni', {})).statusCode, 404);
    // The company's user sees the company's surveys in the same page.
    const company = await platform.signInAsUser(other.users.employer.id, '20');
    const companyList = await platform.get(company, '/valutazioni');
    assert.equal(companyList.statusCode, 200);
    assert.match(companyList.body, /la preselezione dei candidati/);
    assert.match(companyList.body, /il recruiting day/);
    // An operator has no such page.
    assert.equal(
      (await platform.get(await platform.signInAs('cpi_operator'), '/valutazioni')).statusCode,
      403,
    );
  });

  test('the manager page: rates and averages per kind, cells under 10 suppressed, comments stripped, filters', async () => {
    // Ten answers in all for the appointments (one by link, one in the page, eight more here).
    for (const id of giuliaAppointments.slice(2, 10)) {
      const inv = (await invitationFor(id))!;
      const saved = await recordAnswer(
        platform.db,
        { regionCode: '10', id: inv.id },
        {
          score: 4,
          comment: id === giuliaAppointments[2] ? 'Scrivetemi a giulia@example.it, CF CNTGLI85M41G478Z' : '',
          problems: [],
        },
        'page',
        new Date(),
      );
      assert.deepEqual(saved, { ok: true });
    }
    const manager = await platform.signInAs('regional_manager');
    const res = await platform.get(manager, '/regione/soddisfazione');
    assert.equal(res.statusCode, 200);
    const body = res.body;
    const row = (label: string) => {
      const m = new RegExp(`<th scope="row">${label}</th>(.*?)</tr>`).exec(body);
      assert.ok(m, label);
      return [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]);
    };
    const appointments = row('Appuntamenti');
    // Invited in the last 90 days: Giulia's 12, Ahmed's 1 and the one invited 40 days ago.
    assert.equal(appointments[0], '14');
    assert.equal(appointments[1], '10');
    assert.equal(appointments[2], '71,4 %');
    // (2 + 5 + 8 × 4) / 10
    assert.equal(appointments[3], '3,9');
    // Per office: all of them at CPI Perugia.
    assert.match(body, /Risposte e voto medio per ufficio/);
    assert.deepEqual(row('CPI Perugia'), ['14', '10', '71,4 %', '3,9']);
    // Under ten answers: only the invitations are shown.
    assert.deepEqual(row('Patti di servizio firmati'), ['0', 'Meno di 10 risposte: non mostrato']);
    assert.match(body, /<th scope="row">Ho aspettato troppo<\/th><td>1<\/td>/);
    // Comments: names, phone, e-mail and fiscal code stripped.
    assert.match(body, /Ho aspettato mezz’ora\. Sono \[nome\] \[nome\], chiamatemi al \[telefono\]\./);
    assert.match(body, /Scrivetemi a \[e-mail\], CF \[codice fiscale\]/);
    assert.match(body, /Gentilissimi/);
    assert.doesNotMatch(body, /Giulia|Conti|1234567|giulia@example\.it|CNTGLI85M41G478Z/);

    // Filters in the query string: another office has no answers; the values stay in the form.
    const otherOffice = await platform.db
      .selectFrom('offices')
      .select('id')
      .where('region_code', '=', '10')
      .where('id', '!=', operator.office_id)
      .executeTakeFirstOrThrow();
    const byOffice = await platform.get(manager, `/regione/soddisfazione?ufficio=${otherOffice.id}`);
    assert.equal(byOffice.statusCode, 200);
    assert.match(
      byOffice.body,
      /<th scope="row">Appuntamenti<\/th><td>0<\/td><td colSpan="3">|<th scope="row">Appuntamenti<\/th><td>0<\/td><td colspan="3">/,
    );
    assert.match(byOffice.body, new RegExp(`<option value="${otherOffice.id}" selected`));
    const oldPeriod = await platform.get(manager, '/regione/soddisfazione?dal=2020-01-01&al=2020-12-31');
    assert.equal(oldPeriod.statusCode, 200);
    assert.match(oldPeriod.body, /<th scope="row">Appuntamenti<\/th><td>0<\/td>/);
    assert.match(oldPeriod.body, /Nessun commento da mostrare\./);

    // Bad filters: a clear message, the typed values kept, no figures.
    const upside = await platform.get(manager, '/regione/soddisfazione?dal=2026-05-01&al=2026-04-01');
    assert.equal(upside.statusCode, 400);
    assert.match(upside.body, /La data di fine viene prima della data di inizio/);
    assert.match(upside.body, /value="2026-05-01"/);
    assert.match(upside.body, /value="2026-04-01"/);
    assert.doesNotMatch(upside.body, /Risposte e voto medio per servizio<\/h2>/);
    const nonsense = await platform.get(
      manager,
      '/regione/soddisfazione?dal=ieri&al=2026-02-30&ufficio=nope',
    );
    assert.equal(nonsense.statusCode, 400);
    assert.match(nonsense.body, /Scrivi una data esistente/);
    assert.match(nonsense.body, /value="ieri"/);
    assert.match(nonsense.body, /Scegli una delle opzioni\./);
    const repeated = await platform.get(manager, '/regione/soddisfazione?dal=2026-01-01&dal=2026-02-01');
    assert.ok(repeated.statusCode < 500);
    // Only the end given, and not a date: the start is not computed from it.
    for (const al of ['abcdefghij', '2026-02-30', '9999-99-99']) {
      const res = await platform.get(manager, `/regione/soddisfazione?al=${al}`);
      assert.equal(res.statusCode, 400, al);
      assert.match(res.body, new RegExp(`value="${al}"`));
    }

    // Only regional managers.
    assert.equal(
      (await platform.get(await platform.signInAs('cpi_operator'), '/regione/soddisfazione')).statusCode,
      403,
    );
    assert.equal((await platform.get(platform.anonymous(), '/regione/soddisfazione')).statusCode, 303);
  });

  test("Region scoping: each Region's manager sees only its own invitations and answers", async () => {
    const managerOf20 = await platform.signInAsUser(other.users.regional_manager.id, '20');
    const res = await platform.get(managerOf20, '/regione/soddisfazione');
    assert.equal(res.statusCode, 200);
    // Region 20 has one appointment invitation, unanswered; none of Region 10's answers or comments.
    assert.match(res.body, /<th scope="row">Appuntamenti<\/th><td>1<\/td>/);
    assert.match(res.body, /<th scope="row">Preselezioni per le imprese<\/th><td>1<\/td>/);
    assert.doesNotMatch(res.body, /Gentilissimi|\[nome\]/);
    // Region 10's office is not an office of Region 20.
    const foreign = await platform.get(managerOf20, `/regione/soddisfazione?ufficio=${operator.office_id}`);
    assert.equal(foreign.statusCode, 400);
    // And Region 10's manager does not count Region 20's shortlist.
    const own = await platform.get(await platform.signInAs('regional_manager'), '/regione/soddisfazione');
    assert.match(own.body, /<th scope="row">Preselezioni per le imprese<\/th><td>0<\/td>/);
  });
});
