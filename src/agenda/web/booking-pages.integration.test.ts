import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';

let platform: TestPlatform;
let citizen: Visitor;
let slotIds: string[];
before(async () => {
  platform = await startTestPlatform();
  citizen = await platform.signInAs('citizen');
  const operator = await platform.db
    .selectFrom('users')
    .select(['id', 'office_id'])
    .where('role', '=', 'cpi_operator')
    .executeTakeFirstOrThrow();
  const base = Date.now() + 3 * 86_400_000;
  slotIds = (
    await platform.db
      .insertInto('agenda_slots')
      .values(
        Array.from({ length: 12 }, (_, i) => ({
          region_code: '10',
          operator_id: operator.id,
          office_id: operator.office_id!,
          starts_at: new Date(base + i * 1800_000),
          ends_at: new Date(base + (i + 1) * 1800_000),
          mode: 'both' as const,
          services: ['accoglienza'],
        })),
      )
      .returning('id')
      .execute()
  ).map((r) => r.id);
});
after(async () => {
  await platform.stop();
});

const get = (url: string) => platform.get(citizen, url);
const post = (url: string, fields: Record<string, string>) => platform.post(citizen, url, fields);

test('a citizen books one choice per page, with slots paged on the server, and cancels with a reason', async () => {
  assert.match((await get('/appuntamenti/nuovo')).body, /Accoglienza e prime informazioni/);
  assert.match((await get('/appuntamenti/nuovo?servizio=accoglienza')).body, /In videochiamata/);
  const slots = await get('/appuntamenti/nuovo?servizio=accoglienza&canale=video');
  assert.match(slots.body, /Il primo posto libero è tra \d+ giorn[oi]/);
  assert.equal((slots.body.match(/name="slot"/g) ?? []).length, 8);
  assert.match(slots.body, /pagina=1/);
  const page2 = await get('/appuntamenti/nuovo?servizio=accoglienza&canale=video&pagina=1');
  assert.equal((page2.body.match(/name="slot"/g) ?? []).length, 4);
  const res = await post('/appuntamenti/prenota', {
    slot: slotIds[0]!,
    servizio: 'accoglienza',
    canale: 'video',
  });
  assert.equal(res.headers.location, '/appuntamenti?ok=booked');
  const again = await post('/appuntamenti/prenota', {
    slot: slotIds[0]!,
    servizio: 'accoglienza',
    canale: 'video',
  });
  assert.equal(again.statusCode, 400);
  assert.match(again.body, /Hai già prenotato questo orario|qualcun altro/);
  const mine = await get('/appuntamenti');
  assert.match(mine.body, /Prenotato/);
  const appt = await platform.db
    .selectFrom('appointments')
    .select('id')
    .where('citizen_id', '=', citizen.userId!)
    .executeTakeFirstOrThrow();
  assert.equal(
    (await post(`/appuntamenti/${appt.id}/annulla`, { reason: '' })).headers.location,
    '/appuntamenti?errore=reason',
  );
  assert.equal(
    (await post(`/appuntamenti/${appt.id}/annulla`, { reason: 'Ho trovato lavoro' })).headers.location,
    '/appuntamenti?ok=cancelled',
  );
  const event = await platform.db
    .selectFrom('agenda_events')
    .select(['event', 'reason'])
    .where('appointment_id', '=', appt.id)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  assert.deepEqual(event, { event: 'cancelled', reason: 'Ho trovato lavoro' });
});

test('bad input: a forged slot id, an in-person booking of a video-only channel, a service that does not exist', async () => {
  const forged = await post('/appuntamenti/prenota', {
    slot: '<script>',
    servizio: 'accoglienza',
    canale: 'video',
  });
  // The slot page comes back with the message, the same choices, and nothing of the forgery.
  assert.equal(forged.statusCode, 400);
  assert.match(forged.body, /Scegli un orario dall/);
  assert.match(forged.body, /Scegli giorno e ora/);
  assert.doesNotMatch(forged.body, /<script>/);
  const unknown = await post('/appuntamenti/prenota', {
    slot: slotIds[5]!,
    servizio: 'inventato',
    canale: 'video',
  });
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.body, /non esiste più|non è disponibile/);
  const otherCitizenAppointment = await post('/appuntamenti/00000000-0000-4000-8000-000000000000/annulla', {
    reason: 'x',
  });
  assert.equal(otherCitizenAppointment.statusCode, 404);
});

test("the channel step suggests the channel of the person's plan, and the person may choose otherwise", async () => {
  const before = await get('/appuntamenti/nuovo?servizio=accoglienza');
  assert.doesNotMatch(before.body, /Il tuo piano suggerisce/);
  assert.doesNotMatch(before.body, /name="canale"[^>]*checked/);
  // Tier 1: the plan is remote for every phase, so video is suggested and already chosen.
  await platform.db
    .insertInto('tier_assignments')
    .values({ region_code: '10', user_id: citizen.userId!, tier: 1, risk: 0.1, reasons: [], source: 'model' })
    .execute();
  const suggested = await get('/appuntamenti/nuovo?servizio=accoglienza');
  assert.match(suggested.body, /Il tuo piano suggerisce: In videochiamata/);
  assert.match(suggested.body, /value="video"[^>]*checked/);
  // A channel that does not exist falls back to the suggestion; a real choice goes on.
  const own = await get('/appuntamenti/nuovo?servizio=accoglienza&canale=nessuno');
  assert.match(own.body, /value="video"[^>]*checked/);
  const desk = await get('/appuntamenti/nuovo?servizio=accoglienza&canale=in_person');
  assert.match(desk.body, /Dove\?/);
});
