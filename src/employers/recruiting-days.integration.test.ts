import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';

const REGION = '10';
let platform: TestPlatform;
let employer: Visitor;
let operator: Visitor;
let dayId: string;
let inPersonId: string;
const DAY = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

async function citizen(givenName: string): Promise<string> {
  const { id } = await platform.db
    .insertInto('users')
    .values({
      region_code: REGION,
      role: 'citizen',
      given_name: givenName,
      family_name: `Recruit${Math.floor(Math.random() * 1e6)}`,
      email: `${randomUUID()}@test.example`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

async function slotsOf(day: string) {
  return platform.db
    .selectFrom('recruiting_day_slots')
    .select(['id', 'starts_at', 'ends_at', 'company_id'])
    .where('region_code', '=', REGION)
    .where('day_id', '=', day)
    .orderBy('starts_at')
    .execute();
}

before(async () => {
  platform = await startTestPlatform();
  employer = await platform.signInAs('employer');
  operator = await platform.signInAs('cpi_operator');
});

after(async () => {
  await platform.stop();
});

test('the operator creates events; bad input is refused with the typed values kept', async () => {
  const page = await platform.get(operator, '/operatore/recruiting-day');
  assert.equal(page.statusCode, 200);

  const bad = await platform.post(operator, '/operatore/recruiting-day', {
    title: 'Fiera del tessile',
    sector: 'Z',
    day: '2026-02-30',
    mode: 'in_person',
    venue: '',
    municipality: '',
    description: 'Colloqui con le aziende',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Fiera del tessile/);
  assert.match(bad.body, /Colloqui con le aziende/);
  assert.match(bad.body, /una data vera/);

  const past = await platform.post(operator, '/operatore/recruiting-day', {
    title: 'Fiera passata',
    sector: 'C',
    day: '2020-01-10',
    mode: 'virtual',
  });
  assert.equal(past.statusCode, 400);
  assert.match(past.body, /già passata/);

  const noVenue = await platform.post(operator, '/operatore/recruiting-day', {
    title: 'Fiera in presenza',
    sector: 'C',
    day: DAY,
    mode: 'in_person',
    venue: '',
    municipality: '054039',
  });
  assert.equal(noVenue.statusCode, 400);
  assert.match(noVenue.body, /scrivi il luogo/);

  const ok = await platform.post(operator, '/operatore/recruiting-day', {
    title: 'Fiera virtuale del tessile',
    sector: 'C',
    day: DAY,
    mode: 'virtual',
    description: 'Colloqui in video con le aziende del tessile umbro.',
  });
  assert.equal(ok.statusCode, 303);
  dayId = String(ok.headers.location).split('/')[3]!.split('?')[0]!;
  const inPerson = await platform.post(operator, '/operatore/recruiting-day', {
    title: 'Recruiting day a Perugia',
    sector: 'I',
    day: DAY,
    mode: 'in_person',
    venue: 'Sala dei Notari',
    municipality: '054039',
  });
  assert.equal(inPerson.statusCode, 303);
  inPersonId = String(inPerson.headers.location).split('/')[3]!.split('?')[0]!;

  // A draft is not public and cannot be joined.
  assert.equal((await platform.get(platform.anonymous(), `/recruiting-day/${dayId}`)).statusCode, 404);
  assert.equal(
    (await platform.post(employer, `/azienda/recruiting-day/${dayId}/partecipa`, {})).statusCode,
    400,
  );

  for (const id of [dayId, inPersonId]) {
    assert.equal(
      (await platform.post(operator, `/operatore/recruiting-day/${id}/pubblica`, {})).statusCode,
      303,
    );
  }
  assert.equal(
    (await platform.post(operator, `/operatore/recruiting-day/${dayId}/pubblica`, {})).statusCode,
    400,
  );
  const list = await platform.get(platform.anonymous(), '/recruiting-day');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Fiera virtuale del tessile/);
  assert.match(list.body, /Sala dei Notari/);
});

test('a company joins and opens slots in a batch; outside the day and overlaps are refused', async () => {
  assert.equal(
    (
      await platform.post(employer, `/azienda/recruiting-day/${dayId}/orari`, {
        from: '09:00',
        to: '12:00',
        length: '20',
        vacancy: '',
      })
    ).statusCode,
    404,
    'slots before joining',
  );
  assert.equal(
    (await platform.post(employer, `/azienda/recruiting-day/${dayId}/partecipa`, {})).statusCode,
    303,
  );
  assert.equal(
    (await platform.post(employer, `/azienda/recruiting-day/${dayId}/partecipa`, {})).statusCode,
    303,
  );

  const ok = await platform.post(employer, `/azienda/recruiting-day/${dayId}/orari`, {
    from: '09:00',
    to: '12:00',
    length: '20',
    vacancy: '',
  });
  assert.equal(ok.statusCode, 303);
  const slots = await slotsOf(dayId);
  assert.equal(slots.length, 9);
  const rome = new Intl.DateTimeFormat('it-IT', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Rome',
  });
  assert.equal(rome.format(slots[0]!.starts_at), '09:00');
  assert.equal(rome.format(slots[8]!.ends_at), '12:00');

  const overlap = await platform.post(employer, `/azienda/recruiting-day/${dayId}/orari`, {
    from: '11:30',
    to: '13:00',
    length: '30',
    vacancy: '',
  });
  assert.equal(overlap.statusCode, 400);
  assert.match(overlap.body, /si sovrappongono/);
  assert.match(overlap.body, /value="11:30"/);

  const outside = await platform.post(employer, `/azienda/recruiting-day/${dayId}/orari`, {
    from: '23:50',
    to: '24:00',
    length: '20',
    vacancy: '',
  });
  assert.equal(outside.statusCode, 400);
  assert.match(outside.body, /dentro la giornata/);

  const badTime = await platform.post(employer, `/azienda/recruiting-day/${dayId}/orari`, {
    from: '25:00',
    to: '26:00',
    length: '20',
    vacancy: '',
  });
  assert.equal(badTime.statusCode, 400);
  const upside = await platform.post(employer, `/azienda/recruiting-day/${dayId}/orari`, {
    from: '15:00',
    to: '14:00',
    length: '20',
    vacancy: '',
  });
  assert.equal(upside.statusCode, 400);
  const foreignVacancy = await platform.post(employer, `/azienda/recruiting-day/${dayId}/orari`, {
    from: '14:00',
    to: '15:00',
    length: '20',
    vacancy: randomUUID(),
  });
  assert.equal(foreignVacancy.statusCode, 400);
  assert.equal((await slotsOf(dayId)).length, 9);

  const afternoon = await platform.post(employer, `/azienda/recruiting-day/${dayId}/orari`, {
    from: '12:00',
    to: '13:00',
    length: '30',
    vacancy: '',
  });
  assert.equal(afternoon.statusCode, 303);
  assert.equal((await slotsOf(dayId)).length, 11);

  const pub = await platform.get(platform.anonymous(), `/recruiting-day/${dayId}`);
  assert.equal(pub.statusCode, 200);
  assert.match(pub.body, /Tessiture del Chiascio/);
  assert.match(pub.body, /11 colloqui liberi/);
});

test('a citizen books a slot, gets an .ics and a video link only they (and the company) see', async () => {
  const giulia = await citizen('Giulia');
  const visitor = await platform.signInAsUser(giulia, REGION);
  const [first, second] = await slotsOf(dayId);
  const company = first!.company_id;
  const none = await platform.post(visitor, `/recruiting-day/${dayId}/prenota`, { company });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Scegli un orario/);

  const ok = await platform.post(visitor, `/recruiting-day/${dayId}/prenota`, {
    company,
    [`slot-${company}`]: first!.id,
  });
  assert.equal(ok.statusCode, 303);
  const booking = await platform.db
    .selectFrom('recruiting_day_bookings')
    .select(['id', 'status'])
    .where('region_code', '=', REGION)
    .where('citizen_id', '=', giulia)
    .executeTakeFirstOrThrow();
  const mail = await platform.lastQueuedEmail(`recruiting-day:booking:${booking.id}:booked`);
  assert.ok(mail?.calendar);
  assert.match(mail.calendar.content, /BEGIN:VEVENT/);
  assert.match(mail.text, /SportelloLavoro-RD-/);

  const mine = await platform.get(visitor, '/recruiting-day');
  assert.match(mine.body, /Le mie prenotazioni/);
  assert.match(mine.body, /SportelloLavoro-RD-/);

  // One interview per company per event.
  const twice = await platform.post(visitor, `/recruiting-day/${dayId}/prenota`, {
    company,
    [`slot-${company}`]: second!.id,
  });
  assert.equal(twice.statusCode, 400);
  assert.match(twice.body, /Hai già un colloquio con questa azienda/);

  // Another person: the slot is taken; no video link of Giulia's booking on their pages.
  const marco = await platform.signInAsUser(await citizen('Marco'), REGION);
  const taken = await platform.post(marco, `/recruiting-day/${dayId}/prenota`, {
    company,
    [`slot-${company}`]: first!.id,
  });
  assert.equal(taken.statusCode, 400);
  assert.match(taken.body, /appena prenotato/);
  assert.doesNotMatch(taken.body, /SportelloLavoro-RD-/);
  assert.doesNotMatch(
    (await platform.get(platform.anonymous(), `/recruiting-day/${dayId}`)).body,
    /SportelloLavoro-RD-/,
  );

  // The company and the operator see the booking, with the link; reading it is audited.
  const companyPage = await platform.get(employer, `/azienda/recruiting-day/${dayId}`);
  assert.match(companyPage.body, /Giulia Recruit/);
  assert.match(companyPage.body, /SportelloLavoro-RD-/);
  const opPage = await platform.get(operator, `/operatore/recruiting-day/${dayId}`);
  assert.match(opPage.body, /Giulia Recruit/);
  const reads = await platform.db
    .selectFrom('audit_log')
    .select('purpose')
    .where('action', '=', 'read.recruiting_day_booking')
    .where('subject_id', '=', giulia)
    .execute();
  assert.ok(reads.length >= 2);
  assert.ok(reads.every((r) => r.purpose === 'recruiting_day'));

  // Attendance only once the interview has started.
  const early = await platform.post(
    operator,
    `/operatore/recruiting-day/prenotazioni/${booking.id}/presenza`,
    {
      status: 'attended',
    },
  );
  assert.equal(early.statusCode, 400);
  await platform.db
    .updateTable('recruiting_day_slots')
    .set({ starts_at: new Date(Date.now() - 3_600_000), ends_at: new Date(Date.now() - 3_000_000) })
    .where('region_code', '=', REGION)
    .where('id', '=', first!.id)
    .execute();
  const attended = await platform.post(
    employer,
    `/azienda/recruiting-day/prenotazioni/${booking.id}/presenza`,
    {
      status: 'no_show',
    },
  );
  assert.equal(attended.statusCode, 303);
  const op = await platform.post(operator, `/operatore/recruiting-day/prenotazioni/${booking.id}/presenza`, {
    status: 'attended',
  });
  assert.equal(op.statusCode, 303);
  const after = await platform.db
    .selectFrom('recruiting_day_bookings')
    .select('status')
    .where('region_code', '=', REGION)
    .where('id', '=', booking.id)
    .executeTakeFirstOrThrow();
  assert.equal(after.status, 'attended');
  assert.equal(
    (
      await platform.post(employer, `/azienda/recruiting-day/prenotazioni/${randomUUID()}/presenza`, {
        status: 'attended',
      })
    ).statusCode,
    404,
  );
});

test('many people trying one slot at once: exactly one wins', async () => {
  const slots = await slotsOf(dayId);
  const target = slots[4]!;
  const visitors = await Promise.all(Array.from({ length: 12 }, (_, i) => citizen(`Corsa${i}`))).then((ids) =>
    Promise.all(ids.map((id) => platform.signInAsUser(id, REGION))),
  );
  const results = await Promise.all(
    visitors.map((v) =>
      platform.post(v, `/recruiting-day/${dayId}/prenota`, {
        company: target.company_id,
        [`slot-${target.company_id}`]: target.id,
      }),
    ),
  );
  assert.equal(results.filter((r) => r.statusCode === 303).length, 1);
  assert.equal(results.filter((r) => r.statusCode === 400).length, 11);
  const live = await platform.db
    .selectFrom('recruiting_day_bookings')
    .select('id')
    .where('region_code', '=', REGION)
    .where('slot_id', '=', target.id)
    .where('status', '<>', 'cancelled')
    .execute();
  assert.equal(live.length, 1);
});

test('one person racing for two slots of one company gets one; cancelling frees the slot', async () => {
  const slots = await slotsOf(dayId);
  const [a, b] = [slots[5]!, slots[6]!];
  const sara = await citizen('Sara');
  const visitor = await platform.signInAsUser(sara, REGION);
  const results = await Promise.all(
    [a, b].map((s) =>
      platform.post(visitor, `/recruiting-day/${dayId}/prenota`, {
        company: s.company_id,
        [`slot-${s.company_id}`]: s.id,
      }),
    ),
  );
  assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 400]);
  const mine = await platform.db
    .selectFrom('recruiting_day_bookings')
    .select(['id', 'slot_id'])
    .where('region_code', '=', REGION)
    .where('citizen_id', '=', sara)
    .where('status', '=', 'booked')
    .execute();
  assert.equal(mine.length, 1);
  const booking = mine[0]!;

  // Someone else cannot cancel it.
  const other = await platform.signInAsUser(await citizen('Altro'), REGION);
  assert.equal(
    (await platform.post(other, `/recruiting-day/prenotazioni/${booking.id}/annulla`, {})).statusCode,
    404,
  );

  const page = await platform.get(visitor, '/recruiting-day');
  assert.match(page.body, new RegExp(`/recruiting-day/prenotazioni/${booking.id}/annulla`));
  const cancel = await platform.post(visitor, `/recruiting-day/prenotazioni/${booking.id}/annulla`, {});
  assert.equal(cancel.statusCode, 303);
  const mail = await platform.lastQueuedEmail(`recruiting-day:booking:${booking.id}:cancelled`);
  assert.match(mail?.calendar?.content ?? '', /METHOD:CANCEL/);
  assert.equal(
    (await platform.post(visitor, `/recruiting-day/prenotazioni/${booking.id}/annulla`, {})).statusCode,
    404,
  );

  // The slot is free again.
  const company = slots[0]!.company_id;
  const again = await platform.post(other, `/recruiting-day/${dayId}/prenota`, {
    company,
    [`slot-${company}`]: booking.slot_id,
  });
  assert.equal(again.statusCode, 303);
});

test('cancelling the event cancels bookings, e-mails participants, and refuses new bookings', async () => {
  const laura = await citizen('Laura');
  const visitor = await platform.signInAsUser(laura, REGION);
  const slots = await slotsOf(dayId);
  const free = slots[9]!;
  const booked = await platform.post(visitor, `/recruiting-day/${dayId}/prenota`, {
    company: free.company_id,
    [`slot-${free.company_id}`]: free.id,
  });
  assert.equal(booked.statusCode, 303);

  assert.equal(
    (await platform.post(operator, `/operatore/recruiting-day/${dayId}/annulla`, {})).statusCode,
    303,
  );
  assert.equal(
    (await platform.post(operator, `/operatore/recruiting-day/${dayId}/annulla`, {})).statusCode,
    400,
  );
  const lauraBooking = await platform.db
    .selectFrom('recruiting_day_bookings')
    .select(['id', 'status'])
    .where('region_code', '=', REGION)
    .where('citizen_id', '=', laura)
    .executeTakeFirstOrThrow();
  assert.equal(lauraBooking.status, 'cancelled');
  const mail = await platform.lastQueuedEmail(`recruiting-day:booking:${lauraBooking.id}:cancelled`);
  assert.ok(mail);
  assert.match(mail.subject, /annullato/);
  assert.match(mail.calendar?.content ?? '', /METHOD:CANCEL/);
  assert.match(mail.calendar?.content ?? '', new RegExp(`UID:rd-${lauraBooking.id}`));
  assert.ok(await platform.lastQueuedEmail(`recruiting-day:${dayId}:cancelled:${employer.userId}`));
  const statuses = await platform.db
    .selectFrom('recruiting_day_bookings as b')
    .innerJoin('recruiting_day_slots as s', (j) =>
      j.onRef('s.region_code', '=', 'b.region_code').onRef('s.id', '=', 'b.slot_id'),
    )
    .select('b.status')
    .where('s.day_id', '=', dayId)
    .where('b.status', '=', 'booked')
    .execute();
  assert.equal(statuses.length, 0);

  const late = await platform.signInAsUser(await citizen('Tardi'), REGION);
  const other = slots[10]!;
  const refused = await platform.post(late, `/recruiting-day/${dayId}/prenota`, {
    company: other.company_id,
    [`slot-${other.company_id}`]: other.id,
  });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /annullato/);
  const page = await platform.get(visitor, `/recruiting-day/${dayId}`);
  assert.match(page.body, /stato annullato/);
  assert.doesNotMatch(
    (await platform.get(platform.anonymous(), '/recruiting-day')).body,
    /Fiera virtuale del tessile/,
  );
});

test('foreign and unknown ids are not found; roles are enforced', async () => {
  const citizenVisitor = await platform.signInAsUser(await citizen('Nina'), REGION);
  assert.equal((await platform.get(platform.anonymous(), `/recruiting-day/${randomUUID()}`)).statusCode, 404);
  assert.equal((await platform.get(platform.anonymous(), '/recruiting-day/abc')).statusCode, 404);
  assert.equal((await platform.get(operator, `/operatore/recruiting-day/${randomUUID()}`)).statusCode, 404);
  assert.equal(
    (await platform.post(operator, `/operatore/recruiting-day/${randomUUID()}/annulla`, {})).statusCode,
    404,
  );
  // Not joined: the company page of another event is not found.
  assert.equal((await platform.get(employer, `/azienda/recruiting-day/${inPersonId}`)).statusCode, 404);
  const slot = (await slotsOf(dayId))[8]!;
  // A slot of one event booked through another event's URL is not found.
  assert.equal(
    (
      await platform.post(citizenVisitor, `/recruiting-day/${inPersonId}/prenota`, {
        company: slot.company_id,
        [`slot-${slot.company_id}`]: slot.id,
      })
    ).statusCode,
    404,
  );
  assert.equal((await platform.get(citizenVisitor, '/operatore/recruiting-day')).statusCode, 403);
  assert.equal((await platform.get(citizenVisitor, '/azienda/recruiting-day')).statusCode, 403);
  assert.equal((await platform.post(employer, `/recruiting-day/${dayId}/prenota`, {})).statusCode, 403);
});

test('every page reads in English and Arabic without raw keys', async () => {
  const citizenVisitor = await platform.signInAsUser(await citizen('Lingua'), REGION);
  await platform.post(employer, `/azienda/recruiting-day/${inPersonId}/partecipa`, {});
  const pages: [Visitor, string][] = [
    [operator, '/operatore/recruiting-day'],
    [operator, `/operatore/recruiting-day/${dayId}`],
    [platform.anonymous(), '/recruiting-day'],
    [platform.anonymous(), `/recruiting-day/${inPersonId}`],
    [citizenVisitor, '/recruiting-day'],
    [citizenVisitor, `/recruiting-day/${dayId}`],
    [employer, '/azienda/recruiting-day'],
    [employer, `/azienda/recruiting-day/${inPersonId}`],
  ];
  for (const lang of ['en', 'ar']) {
    for (const [visitor, url] of pages) {
      const res = await platform.get(visitor, `${url}?lang=${lang}`);
      assert.equal(res.statusCode, 200, `${url} ${lang}`);
      assert.doesNotMatch(res.body, /recruiting\.[a-zA-Z]|profile\.ateco/, `${url} ${lang}`);
    }
  }
  const en = await platform.get(platform.anonymous(), `/recruiting-day/${inPersonId}?lang=en`);
  assert.match(en.body, /Accommodation and food service/);
});

/** An operator of another Region (created here): everything of Region 10 is "not found" for them. */
async function operatorOfAnotherRegion(): Promise<Visitor> {
  const db = platform.db;
  await db
    .insertInto('regions')
    .values({ region_code: '12', name: 'Lazio (prova)' })
    .onConflict((oc) => oc.column('region_code').doNothing())
    .execute();
  const office = await db
    .insertInto('offices')
    .values({
      region_code: '12',
      name: 'CPI Roma (prova)',
      address: 'Via di prova 1, Roma',
      municipality_code: '054039',
      hours: 'lun-ven 9-13',
      email: 'cpi.roma@test.example',
      phone: '+39 06 0000000',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({
      region_code: '12',
      role: 'cpi_operator',
      office_id: office.id,
      given_name: 'Romana',
      family_name: 'Altrove',
      email: `${randomUUID()}@test.example`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return platform.signInAsUser(user.id, '12');
}

test("another Region's operator finds nothing of this Region", async () => {
  const roma = await operatorOfAnotherRegion();
  assert.equal((await platform.get(roma, `/operatore/recruiting-day/${inPersonId}`)).statusCode, 404);
  assert.equal(
    (await platform.post(roma, `/operatore/recruiting-day/${inPersonId}/annulla`, {})).statusCode,
    404,
  );
  assert.doesNotMatch(
    (await platform.get(roma, '/operatore/recruiting-day')).body,
    /Recruiting day a Perugia/,
  );
  const status = await platform.db
    .selectFrom('recruiting_days')
    .select('status')
    .where('region_code', '=', REGION)
    .where('id', '=', inPersonId)
    .executeTakeFirstOrThrow();
  assert.equal(status.status, 'published');
});
