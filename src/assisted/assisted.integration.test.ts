import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { todayInRome } from '../agenda/use-cases/templates.ts';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import type { SessionUser } from '../platform/auth/session.ts';
import { endOfRomeDay } from './domain/assisted.ts';
import { onBehalfMarks, startAssisted } from './use-cases/assisted.ts';

let platform: TestPlatform;
let operator: Visitor;
let giulia: { id: string; email: string };

before(async () => {
  platform = await startTestPlatform();
  operator = await platform.signInAs('cpi_operator');
  giulia = await platform.db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('email', '=', 'cittadino@demo.sportello.example')
    .executeTakeFirstOrThrow()
    .then((u) => ({ id: u.id, email: u.email ?? '' }));
  // Weekly hours on Tuesdays for the next weeks: slots to book.
  const hours = await platform.post(operator, '/operatore/agenda/modelli', {
    weekday: '2',
    start: '09:00',
    end: '12:00',
    slot: '30',
    mode: 'both',
    services: ['accoglienza'],
    from: todayInRome(),
    to: '',
  });
  assert.equal(hours.statusCode, 303);
});
after(async () => {
  await platform.stop();
});

let seq = 0;
/** A new citizen of a Region (created for the test), with e-mail and mobile. */
async function newCitizen(regionCode = '10') {
  seq += 1;
  if (regionCode !== '10')
    await platform.pool.query(
      'insert into regions (region_code, name, is_national) values ($1, $2, false) on conflict do nothing',
      [regionCode, `Regione di prova ${regionCode}`],
    );
  return platform.db
    .insertInto('users')
    .values({
      region_code: regionCode,
      role: 'citizen',
      given_name: 'Marta',
      family_name: `Prova${seq}`,
      email: `marta.prova${seq}.${regionCode}@example.test`,
      phone: `+39 333 11100${String(seq).padStart(2, '0')}`,
    })
    .returning(['id', 'email', 'region_code'])
    .executeTakeFirstOrThrow();
}

const valid = { canale: 'phone', durata: '60', identita: 'yes', consenso: 'yes' };
const sessionsOfPerson = (id: string) =>
  platform.db.selectFrom('assisted_sessions').selectAll().where('citizen_id', '=', id).execute();

/** The first free slot the operator's picker offers for a person (by phone). */
async function firstSlot(personId: string): Promise<{ slotId: string; body: string }> {
  const picker = await platform.get(
    operator,
    `/operatore/persone/${personId}/appuntamento?servizio=accoglienza&canale=phone`,
  );
  assert.equal(picker.statusCode, 200);
  const slotId = /name="slot"[^>]*value="([0-9a-f-]{36})"/.exec(picker.body)?.[1];
  assert.ok(slotId, 'no slot offered');
  return { slotId, body: picker.body };
}

test('starting needs the consent and an identity check, a channel and a duration offered; typed values are kept', async () => {
  const page = await platform.get(operator, `/operatore/persone/${giulia.id}/assistenza`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Dichiarazione da leggere alla persona/);
  assert.match(page.body, /Sono Chiara Baldelli di /);
  assert.match(page.body, /Versione della dichiarazione: v1/);

  const noConsent = await platform.post(operator, `/operatore/persone/${giulia.id}/assistenza`, {
    ...valid,
    consenso: [],
  });
  assert.equal(noConsent.statusCode, 400);
  assert.match(noConsent.body, /Registra il consenso della persona/);
  assert.match(noConsent.body, /value="phone"[^>]*checked/);
  assert.match(noConsent.body, /id="identita"[^>]*checked|checked[^>]*id="identita"/);

  const noIdentity = await platform.post(operator, `/operatore/persone/${giulia.id}/assistenza`, {
    ...valid,
    identita: [],
  });
  assert.equal(noIdentity.statusCode, 400);
  assert.match(noIdentity.body, /Verifica l&#39;identità|Verifica l'identità/);

  for (const durata of ['0', '45', '600', '99999', '', 'sempre']) {
    const bad = await platform.post(operator, `/operatore/persone/${giulia.id}/assistenza`, {
      ...valid,
      durata,
    });
    assert.equal(bad.statusCode, 400, durata);
    assert.match(bad.body, /al massimo fino a fine giornata/);
  }
  const badChannel = await platform.post(operator, `/operatore/persone/${giulia.id}/assistenza`, {
    ...valid,
    canale: 'fax',
  });
  assert.equal(badChannel.statusCode, 400);
  assert.match(badChannel.body, /al telefono o allo sportello/);
  const nul = await platform.post(operator, `/operatore/persone/${giulia.id}/assistenza`, {
    ...valid,
    canale: 'phone\u0000',
  });
  assert.equal(nul.statusCode, 400);
  assert.equal((await sessionsOfPerson(giulia.id)).length, 0, 'nothing recorded');
});

test('booking without assisted mode works as before: not on the person behalf, not marked', async () => {
  const { slotId, body } = await firstSlot(giulia.id);
  assert.doesNotMatch(body, /Stai operando per conto di/);
  const res = await platform.post(operator, `/operatore/persone/${giulia.id}/appuntamento`, {
    slot: slotId,
    servizio: 'accoglienza',
    canale: 'phone',
  });
  assert.equal(res.headers.location, `/operatore/persone/${giulia.id}?purpose=appointment&ok=booked`);
  const onBehalf = await platform.db
    .selectFrom('audit_log')
    .select('action')
    .where('on_behalf_of', '=', giulia.id)
    .execute();
  assert.equal(onBehalf.length, 0);
  assert.equal((await platform.db.selectFrom('assisted_actions').selectAll().execute()).length, 0);
});

test('the operator starts by phone: the statement is recorded, the start audited, the person told at once', async () => {
  const before = Date.now();
  const res = await platform.post(operator, `/operatore/persone/${giulia.id}/assistenza`, valid);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/operatore/persone/${giulia.id}/assistenza?ok=started`);
  const [s] = await sessionsOfPerson(giulia.id);
  assert.ok(s);
  assert.equal(s.channel, 'phone');
  assert.equal(s.consent_version, 'v1');
  assert.equal(s.consent_lang, 'it');
  assert.match(s.consent_text, /^Sono Chiara Baldelli di .+Giulia Conti/);
  assert.equal(s.identity_checked, true);
  assert.equal(s.ended_at, null);
  const expected = Math.min(before + 60 * 60_000, endOfRomeDay(new Date(before)).getTime());
  assert.ok(Math.abs(s.expires_at.getTime() - expected) < 60_000, 'one hour, or until midnight');

  const audit = await platform.db
    .selectFrom('audit_log')
    .select(['actor_role', 'subject_id', 'object_id', 'details'])
    .where('action', '=', 'assisted.started')
    .executeTakeFirstOrThrow();
  assert.deepEqual([audit.actor_role, audit.subject_id, audit.object_id], ['cpi_operator', giulia.id, s.id]);
  assert.equal(audit.details.consentVersion, 'v1');

  const email = await platform.lastQueuedEmail(`assisted:${s.id}:started`);
  assert.ok(email, 'the e-mail is queued with the session');
  assert.equal(email.to, giulia.email);
  assert.match(email.text, /Chiara Baldelli/);
  assert.match(email.text, /\/i-miei-dati\/per-tuo-conto/);
  const sms = await platform.pool.query(
    "select data from pgboss.job where name = 'send-sms' and data->>'key' = $1",
    [`assisted:${s.id}:started`],
  );
  assert.equal(sms.rowCount, 1);

  const page = await platform.get(operator, `/operatore/persone/${giulia.id}/assistenza?ok=started`);
  assert.match(page.body, /Stai operando per conto di Giulia Conti/);
  assert.match(page.body, /Termina la modalità assistita/);
  assert.doesNotMatch(page.body, /Inizia a operare per suo conto/);

  // Starting again while active records nothing new.
  const again = await platform.post(operator, `/operatore/persone/${giulia.id}/assistenza`, valid);
  assert.equal(again.statusCode, 303);
  assert.equal((await sessionsOfPerson(giulia.id)).length, 1);
});

test('booking in assisted mode: the banner on the picker, the audit on the person behalf, the appointment marked', async () => {
  const { slotId, body } = await firstSlot(giulia.id);
  assert.match(body, /Stai operando per conto di Giulia Conti/);
  // The slot of the booking done before assisted mode is taken by Giulia already: pick another.
  const res = await platform.post(operator, `/operatore/persone/${giulia.id}/appuntamento`, {
    slot: slotId,
    servizio: 'accoglienza',
    canale: 'phone',
  });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/operatore/persone/${giulia.id}/assistenza?ok=booked`);
  const appt = await platform.db
    .selectFrom('appointments')
    .select(['id', 'booked_by'])
    .where('slot_id', '=', slotId)
    .where('citizen_id', '=', giulia.id)
    .executeTakeFirstOrThrow();
  const audit = await platform.db
    .selectFrom('audit_log')
    .select(['action', 'actor_role', 'on_behalf_of', 'object_type', 'object_id', 'purpose'])
    .where('on_behalf_of', '=', giulia.id)
    .execute();
  assert.deepEqual(audit, [
    {
      action: 'appointment.booked',
      actor_role: 'cpi_operator',
      on_behalf_of: giulia.id,
      object_type: 'appointment',
      object_id: appt.id,
      purpose: 'assisted_mode',
    },
  ]);
  const marks = await onBehalfMarks(platform.db, '10', giulia.id, [appt.id]);
  assert.equal(marks.get(appt.id), 'Chiara Baldelli');
  const page = await platform.get(operator, `/operatore/persone/${giulia.id}/assistenza?ok=booked`);
  assert.match(page.body, /Appuntamento prenotato per conto della persona/);
  assert.match(page.body, /Fatto in questa sessione/);
  assert.match(page.body, /prenotato per conto della persona da Chiara Baldelli/);
});

test('the person sees the sessions and what was done for them, and ends the active one', async () => {
  const citizen = await platform.signInAs('citizen');
  const page = await platform.get(citizen, '/i-miei-dati/per-tuo-conto');
  assert.equal(page.statusCode, 200);
  assert.match(page.headers['cache-control'] ?? '', /no-store/);
  assert.match(page.body, /Fatto per tuo conto/);
  assert.match(page.body, /Chiara Baldelli di .+ può operare per tuo conto fino a/);
  assert.match(
    page.body,
    /Appuntamento «Accoglienza e prime informazioni» del .+: prenotato per tuo conto da Chiara Baldelli/,
  );
  assert.match(page.body, /Cosa ti ha letto l&#39;operatore|Cosa ti ha letto l'operatore/);
  const [s] = await sessionsOfPerson(giulia.id);
  assert.ok(s);

  // Another person cannot end it; a malformed id is not found either.
  const marta = await newCitizen();
  const martaVisitor = await platform.signInAsUser(marta.id, '10');
  const foreign = await platform.post(martaVisitor, `/i-miei-dati/per-tuo-conto/${s.id}/termina`, {});
  assert.equal(foreign.statusCode, 404);
  const martaPage = await platform.get(martaVisitor, '/i-miei-dati/per-tuo-conto');
  assert.match(martaPage.body, /Non hai mai dato questo permesso/);
  assert.doesNotMatch(martaPage.body, /Giulia/);
  assert.equal((await platform.post(citizen, '/i-miei-dati/per-tuo-conto/nope/termina', {})).statusCode, 404);

  const appointments = await platform.get(citizen, '/appuntamenti');
  assert.match(
    appointments.body,
    /href="\/i-miei-dati\/per-tuo-conto">Prenotato per tuo conto da Chiara Baldelli</,
  );

  const end = await platform.post(citizen, `/i-miei-dati/per-tuo-conto/${s.id}/termina`, {});
  assert.equal(end.statusCode, 303);
  assert.equal(end.headers.location, '/i-miei-dati/per-tuo-conto?ok=ended');
  const ended = await platform.db
    .selectFrom('assisted_sessions')
    .select(['ended_by', 'ended_at'])
    .where('id', '=', s.id)
    .executeTakeFirstOrThrow();
  assert.equal(ended.ended_by, 'person');
  assert.ok(ended.ended_at);
  const after = await platform.get(citizen, '/i-miei-dati/per-tuo-conto?ok=ended');
  assert.match(after.body, /Hai tolto il permesso/);
  assert.match(after.body, /Tolto da te/);
  assert.match(after.body, /Nessun operatore può operare per tuo conto in questo momento/);
  const twice = await platform.post(citizen, `/i-miei-dati/per-tuo-conto/${s.id}/termina`, {});
  assert.equal(twice.headers.location, '/i-miei-dati/per-tuo-conto?ok=already');
  const audit = await platform.db
    .selectFrom('audit_log')
    .select(['actor_role', 'details'])
    .where('action', '=', 'assisted.ended')
    .executeTakeFirstOrThrow();
  assert.equal(audit.actor_role, 'citizen');
  assert.equal(audit.details.by, 'person');

  // Once ended, the operator's bookings are theirs again, and the page offers a new start.
  const { slotId, body } = await firstSlot(giulia.id);
  assert.doesNotMatch(body, /Stai operando per conto di/);
  const res = await platform.post(operator, `/operatore/persone/${giulia.id}/appuntamento`, {
    slot: slotId,
    servizio: 'accoglienza',
    canale: 'phone',
  });
  assert.equal(res.headers.location, `/operatore/persone/${giulia.id}?purpose=appointment&ok=booked`);
  const onBehalf = await platform.db
    .selectFrom('audit_log')
    .select('action')
    .where('on_behalf_of', '=', giulia.id)
    .execute();
  assert.equal(onBehalf.length, 1, 'still only the booking done in assisted mode');
  const op = await platform.get(operator, `/operatore/persone/${giulia.id}/assistenza`);
  assert.match(op.body, /Inizia a operare per suo conto/);
  assert.match(op.body, /Le tue sessioni precedenti con questa persona/);
});

test('the operator ends the session; ending when none is active says so', async () => {
  const marta = await newCitizen();
  const start = await platform.post(operator, `/operatore/persone/${marta.id}/assistenza`, {
    ...valid,
    canale: 'desk',
    durata: 'day',
  });
  assert.equal(start.statusCode, 303);
  const [s] = await sessionsOfPerson(marta.id);
  assert.ok(s);
  assert.equal(s.channel, 'desk');
  assert.ok(Math.abs(s.expires_at.getTime() - endOfRomeDay(s.started_at).getTime()) < 1000);
  const end = await platform.post(operator, `/operatore/persone/${marta.id}/assistenza/termina`, {});
  assert.equal(end.headers.location, `/operatore/persone/${marta.id}/assistenza?ok=ended`);
  const [e] = await sessionsOfPerson(marta.id);
  assert.equal(e?.ended_by, 'operator');
  const again = await platform.post(operator, `/operatore/persone/${marta.id}/assistenza/termina`, {});
  assert.equal(again.headers.location, `/operatore/persone/${marta.id}/assistenza?ok=already`);
});

test('duration bounds: never past midnight in Rome; an expired session is closed by the next start', async () => {
  const marta = await newCitizen();
  const op = (await platform.db
    .selectFrom('users')
    .select(['id', 'role', 'region_code', 'office_id', 'agency_id', 'given_name', 'family_name'])
    .where('email', '=', 'operatore.cpi@demo.sportello.example')
    .executeTakeFirstOrThrow()
    .then((u) => ({
      id: u.id,
      role: u.role,
      regionCode: u.region_code,
      officeId: u.office_id,
      agencyId: u.agency_id,
      givenName: u.given_name,
      familyName: u.family_name,
    }))) as Pick<
    SessionUser,
    'id' | 'role' | 'regionCode' | 'officeId' | 'agencyId' | 'givenName' | 'familyName'
  >;
  const person = { id: marta.id, given_name: 'Marta', family_name: 'Prova' };
  const input = {
    channel: 'phone' as const,
    identityChecked: true,
    consentConfirmed: true,
    lang: 'it' as const,
  };
  // 23:30 in Rome, yesterday: two hours are cut at midnight.
  const late = new Date(endOfRomeDay(new Date(Date.now() - 86_400_000)).getTime() - 30 * 60_000);
  const r = await startAssisted(platform, op, person, { ...input, duration: '120' }, late);
  assert.ok(r.ok);
  assert.equal(r.expiresAt.getTime(), late.getTime() + 30 * 60_000);
  assert.deepEqual(await startAssisted(platform, op, person, { ...input, duration: '480' }), {
    ok: false,
    reason: 'duration',
  });
  assert.deepEqual(
    await startAssisted(platform, op, person, { ...input, duration: '30', consentConfirmed: false }),
    { ok: false, reason: 'consent' },
  );
  // The expired one does not count as active: the operator page offers a start, and starting closes it.
  const page = await platform.get(operator, `/operatore/persone/${marta.id}/assistenza`);
  assert.match(page.body, /Inizia a operare per suo conto/);
  const now = await startAssisted(platform, op, person, { ...input, duration: '15' });
  assert.ok(now.ok);
  const rows = await platform.db
    .selectFrom('assisted_sessions')
    .select(['id', 'ended_by'])
    .where('citizen_id', '=', marta.id)
    .orderBy('started_at')
    .execute();
  assert.deepEqual(
    rows.map((x) => x.ended_by),
    ['expired', null],
  );
  // The database refuses a session longer than a day whatever the caller.
  await assert.rejects(
    platform.pool.query(
      `insert into assisted_sessions (region_code, citizen_id, operator_id, operator_role, channel, consent_version,
        consent_lang, consent_text, identity_checked, consent_confirmed_at, started_at, expires_at)
       values ('10', $1, $2, 'cpi_operator', 'phone', 'v1', 'it', 'x', true, now(), now() - interval '1 day', now() + interval '1 hour')`,
      [marta.id, op.id],
    ),
    /check/,
  );
});

test('Region scope and roles: another Region, a person not referred to the agency, a citizen — not found or refused', async () => {
  const other = await newCitizen('20');
  for (const url of [
    `/operatore/persone/${other.id}/assistenza`,
    '/operatore/persone/not-a-uuid/assistenza',
    '/operatore/persone/00000000-0000-4000-8000-000000000000/assistenza',
  ])
    assert.equal((await platform.get(operator, url)).statusCode, 404, url);
  assert.equal(
    (await platform.post(operator, `/operatore/persone/${other.id}/assistenza`, valid)).statusCode,
    404,
  );
  assert.equal(
    (await platform.post(operator, `/operatore/persone/${other.id}/assistenza/termina`, {})).statusCode,
    404,
  );
  assert.equal((await sessionsOfPerson(other.id)).length, 0);
  // An APL operator sees only the people referred to their agency: Giulia is not.
  const apl = await platform.signInAs('apl_operator');
  assert.equal((await platform.get(apl, `/operatore/persone/${giulia.id}/assistenza`)).statusCode, 404);
  assert.equal(
    (await platform.post(apl, `/operatore/persone/${giulia.id}/assistenza`, valid)).statusCode,
    404,
  );
  const citizen = await platform.signInAs('citizen');
  assert.equal((await platform.get(citizen, `/operatore/persone/${giulia.id}/assistenza`)).statusCode, 403);
  assert.equal((await platform.get(operator, '/i-miei-dati/per-tuo-conto')).statusCode, 403);
  assert.equal((await platform.get(platform.anonymous(), '/i-miei-dati/per-tuo-conto')).statusCode, 303);
});

test('an APL operator acts for a person referred to their agency; the person is told in their own language', async () => {
  const marta = await newCitizen();
  await platform.db
    .updateTable('users')
    .set({ preferred_language: 'en' })
    .where('id', '=', marta.id)
    .execute();
  const apl = await platform.signInAs('apl_operator');
  const aplUser = await platform.db
    .selectFrom('users')
    .select(['id', 'agency_id'])
    .where('id', '=', apl.userId ?? '')
    .executeTakeFirstOrThrow();
  assert.ok(aplUser.agency_id);
  // Not referred yet: not found.
  assert.equal((await platform.get(apl, `/operatore/persone/${marta.id}/assistenza`)).statusCode, 404);
  const cpi = await platform.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'operatore.cpi@demo.sportello.example')
    .executeTakeFirstOrThrow();
  await platform.pool.query(
    `insert into agency_referrals (region_code, citizen_id, agency_id, service, starts_on, referred_by)
     values ('10', $1, $2, (agency_service_codes())[1], current_date, $3)`,
    [marta.id, aplUser.agency_id, cpi.id],
  );
  const page = await platform.get(apl, `/operatore/persone/${marta.id}/assistenza`);
  assert.equal(page.statusCode, 200);
  const res = await platform.post(apl, `/operatore/persone/${marta.id}/assistenza`, {
    ...valid,
    canale: 'desk',
  });
  assert.equal(res.statusCode, 303);
  const [s] = await sessionsOfPerson(marta.id);
  assert.equal(s?.operator_role, 'apl_operator');
  assert.equal(s?.agency_id, aplUser.agency_id);
  const email = await platform.lastQueuedEmail(`assisted:${s?.id}:started`);
  assert.equal(email?.subject, 'An operator is using Sportello Lavoro on your behalf');
  // The CPI operator's own session with the same person is separate: none is active for them.
  const cpiPage = await platform.get(operator, `/operatore/persone/${marta.id}/assistenza`);
  assert.match(cpiPage.body, /Inizia a operare per suo conto/);
  const martaVisitor = await platform.signInAsUser(marta.id, '10');
  const mine = await platform.get(martaVisitor, '/i-miei-dati/per-tuo-conto?lang=en');
  assert.match(mine.body, /can act on your behalf until/);
  // The referral closes: the agency no longer opens the person, but still ends its own session.
  await platform.pool.query(
    "update agency_referrals set status = 'closed', ended_at = now() where citizen_id = $1",
    [marta.id],
  );
  assert.equal((await platform.get(apl, `/operatore/persone/${marta.id}/assistenza`)).statusCode, 404);
  const end = await platform.post(apl, `/operatore/persone/${marta.id}/assistenza/termina`, {});
  assert.equal(end.headers.location, `/operatore/persone/${marta.id}/assistenza?ok=ended`);
  assert.equal((await sessionsOfPerson(marta.id))[0]?.ended_by, 'operator');
  assert.equal(
    (await platform.post(apl, `/operatore/persone/${marta.id}/assistenza/termina`, {})).statusCode,
    404,
  );
});
