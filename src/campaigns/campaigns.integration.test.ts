import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureServiceCatalogue } from '../agenda/use-cases/catalogue.ts';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { countSegment, dispatchCampaigns, perMinuteOf } from './use-cases/campaigns.ts';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

/**
 * Campaigns on real PostgreSQL: segment selection (tier, province, age, inactivity, the operator's
 * office, opt-outs), sending once per person, the throttle, click tracking and bookings, the
 * single-use unsubscribe link, the person's own setting, scoping by office and Region, bad input.
 */
describe('campaigns: segment, send, throttle, results, opt-out, scoping', () => {
  let platform: TestPlatform;
  let manager: Visitor;
  let chiara: Visitor;
  let officeId = '';
  let terniOfficeId = '';
  let terniOperator: Visitor;
  let otherRegionManager: Visitor;
  const p = { anna: '', bruno: '', carla: '', dario: '', elena: '', gino: '', ugo: '', zeta: '' };
  let regionCampaign = '';
  let officeCampaign = '';
  let annaLink = '';
  let annaStop = '';

  const deps = () => ({
    db: platform.db,
    audit: platform.audit,
    notifier: platform.notifier,
    config: platform.config,
  });

  type PersonSpec = {
    given: string;
    region?: string;
    tier?: number;
    born: string;
    lang?: string;
    email?: string | null;
    phone?: string | null;
    domicile?: string;
    createdDaysAgo?: number;
    signedInDaysAgo?: number | null;
  };

  const person = async (s: PersonSpec) => {
    const region = s.region ?? '10';
    const row = await platform.db
      .insertInto('users')
      .values({
        region_code: region,
        role: 'citizen',
        given_name: s.given,
        family_name: 'Prova',
        birth_date: s.born,
        email: s.email === undefined ? `${s.given.toLowerCase()}@campagne.example` : s.email,
        phone: s.phone ?? null,
        preferred_language: s.lang ?? 'it',
        created_at: daysAgo(s.createdDaysAgo ?? 200),
        last_signed_in_at: s.signedInDaysAgo == null ? null : daysAgo(s.signedInDaysAgo),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await platform.db
      .insertInto('citizen_profiles')
      .values({ region_code: region, user_id: row.id, domicile_code: s.domicile ?? '055032' } as never)
      .execute();
    if (s.tier)
      await platform.db
        .insertInto('tier_assignments')
        .values({ region_code: region, user_id: row.id, tier: s.tier, source: 'model' } as never)
        .execute();
    return row.id;
  };

  const slotAndAppointment = async (citizenId: string, office: string, bookedAt: Date) => {
    const op = await platform.db
      .selectFrom('users')
      .select('id')
      .where('office_id', '=', office)
      .where('role', '=', 'cpi_operator')
      .executeTakeFirstOrThrow();
    const starts = new Date(bookedAt.getTime() + 2 * DAY);
    const slot = await platform.db
      .insertInto('agenda_slots')
      .values({
        region_code: '10',
        operator_id: op.id,
        office_id: office,
        starts_at: starts,
        ends_at: new Date(starts.getTime() + 30 * 60_000),
        mode: 'in_person',
        services: ['accoglienza'],
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await platform.db
      .insertInto('appointments')
      .values({
        region_code: '10',
        slot_id: slot.id,
        citizen_id: citizenId,
        service_code: 'accoglienza',
        channel: 'in_person',
        booked_by: citizenId,
        booked_at: bookedAt,
        requested_at: bookedAt,
      } as never)
      .execute();
  };

  const jobs = async (queue: 'send-email' | 'send-sms', keyLike: string) =>
    (
      await platform.pool.query<{ data: { key: string; to: string; text: string; subject?: string } }>(
        'select data from pgboss.job where name = $1 and data->>$2 like $3 order by created_on',
        [queue, 'key', keyLike],
      )
    ).rows.map((r) => r.data);

  before(async () => {
    platform = await startTestPlatform();
    const db = platform.db;
    await ensureServiceCatalogue(db, '10');
    manager = await platform.signInAs('regional_manager');
    chiara = await platform.signInAs('cpi_operator');
    const me = await db
      .selectFrom('users')
      .select('office_id')
      .where('id', '=', chiara.userId!)
      .executeTakeFirstOrThrow();
    officeId = me.office_id!;
    const terni = await db
      .insertInto('offices')
      .values({
        region_code: '10',
        name: 'CPI Terni (campagne)',
        address: 'Via Roma 1',
        municipality_code: '055032',
        hours: '9-13',
        email: 'terni@campagne.example',
        phone: '0744 000000',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    terniOfficeId = terni.id;
    const terniOp = await db
      .insertInto('users')
      .values({
        region_code: '10',
        role: 'cpi_operator',
        given_name: 'Elisa',
        family_name: 'Terni',
        email: 'elisa@campagne.example',
        office_id: terniOfficeId,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    terniOperator = await platform.signInAsUser(terniOp.id, '10');
    await platform.pool.query(
      "insert into regions (region_code, name, is_national) values ('20', 'Regione di prova 20', false) on conflict do nothing",
    );
    const mgr20 = await db
      .insertInto('users')
      .values({
        region_code: '20',
        role: 'regional_manager',
        given_name: 'Mara',
        family_name: 'Altrove',
        email: 'mara@campagne.example',
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    otherRegionManager = await platform.signInAsUser(mgr20.id, '20');

    // Anna: tier 2, 36 years old, English, no sign-in for 100 days; followed by CPI Perugia (pact).
    p.anna = await person({ given: 'Anna', tier: 2, born: '1990-03-10', lang: 'en', signedInDaysAgo: 100 });
    await db
      .insertInto('pacts')
      .values({
        region_code: '10',
        citizen_id: p.anna,
        office_id: officeId,
        coach_id: chiara.userId!,
        created_by: chiara.userId!,
        created_at: daysAgo(150),
      } as never)
      .execute();
    // Bruno: tier 2, over 60, Arabic, signed in 5 days ago; an appointment at CPI Perugia long ago.
    p.bruno = await person({ given: 'Bruno', tier: 2, born: '1960-01-15', lang: 'ar', signedInDaysAgo: 5 });
    await slotAndAppointment(p.bruno, officeId, daysAgo(180));
    // Carla: tier 1, 26, no e-mail but a mobile, never signed in, no office.
    p.carla = await person({
      given: 'Carla',
      tier: 1,
      born: '2000-06-01',
      email: null,
      phone: '+39 333 1112222',
    });
    // Dario: tier 2, inactive, followed by CPI Perugia, opted out of campaigns.
    p.dario = await person({ given: 'Dario', tier: 2, born: '1985-01-01', signedInDaysAgo: 120 });
    await db
      .insertInto('case_assignments')
      .values({
        region_code: '10',
        citizen_id: p.dario,
        office_id: officeId,
        operator_id: chiara.userId!,
        assigned_by: chiara.userId!,
      } as never)
      .execute();
    await db
      .insertInto('campaign_opt_outs')
      .values({ region_code: '10', person_id: p.dario, via: 'page' })
      .execute();
    // Elena: tier 2, followed by the Terni office.
    p.elena = await person({ given: 'Elena', tier: 2, born: '1980-01-01', signedInDaysAgo: 1 });
    await db
      .insertInto('case_assignments')
      .values({
        region_code: '10',
        citizen_id: p.elena,
        office_id: terniOfficeId,
        operator_id: terniOp.id,
        assigned_by: terniOp.id,
      } as never)
      .execute();
    // Gino: no sign-in for 200 days, but a message 10 days ago (not inactive); thread with Perugia.
    p.gino = await person({ given: 'Gino', tier: 3, born: '1975-01-01', signedInDaysAgo: 200 });
    const thread = await db
      .insertInto('message_threads')
      .values({
        region_code: '10',
        citizen_id: p.gino,
        office_id: officeId,
        subject: 'Documenti',
        created_by: p.gino,
        created_at: daysAgo(200),
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('messages')
      .values({
        region_code: '10',
        thread_id: thread.id,
        author_id: p.gino,
        author_side: 'citizen',
        body: 'Ecco i documenti',
        created_at: daysAgo(10),
      } as never)
      .execute();
    // Ugo: no sign-in for 200 days, but booked an appointment 10 days ago (not inactive).
    p.ugo = await person({ given: 'Ugo', tier: 3, born: '1970-01-01', signedInDaysAgo: 200 });
    await slotAndAppointment(p.ugo, terniOfficeId, daysAgo(10));
    // Zeta: another Region's person matching everything.
    p.zeta = await person({ given: 'Zeta', region: '20', born: '1990-01-01', domicile: '055032' });
  });

  after(async () => {
    await platform?.stop();
  });

  const managerActor = async () => {
    const u = await platform.db
      .selectFrom('users')
      .select(['id', 'role', 'region_code', 'office_id', 'agency_id'])
      .where('id', '=', manager.userId!)
      .executeTakeFirstOrThrow();
    return {
      id: u.id,
      role: u.role,
      regionCode: u.region_code,
      officeId: u.office_id,
      agencyId: u.agency_id,
    };
  };

  test('segment selection: tier, province, age band, inactivity, office, opt-out', async () => {
    const now = new Date();
    const m = await managerActor();
    const chiaraActor = { ...m, id: chiara.userId!, role: 'cpi_operator' as const, officeId };
    const count = (actor: typeof m, s: object) => countSegment(platform.db, actor, s, now);
    // Province TR: all eight of Region 10 (Zeta is of Region 20), Dario opted out.
    assert.deepEqual(await count(m, { province: 'TR' }), { reachable: 6, optedOut: 1 });
    assert.deepEqual(await count(m, { province: 'TR', tier: 2 }), { reachable: 3, optedOut: 1 });
    assert.deepEqual(await count(m, { province: 'TR', tier: 1 }), { reachable: 1, optedOut: 0 });
    assert.deepEqual(await count(m, { province: 'TR', ageBand: '60+' }), { reachable: 1, optedOut: 0 });
    assert.deepEqual(await count(m, { province: 'TR', ageBand: '18-29' }), { reachable: 1, optedOut: 0 });
    // Inactive for 90 days: Anna (sign-in 100 days ago) and Carla (never, account of 200 days);
    // not Gino (a message 10 days ago), not Ugo (a booking 10 days ago), not Bruno or Elena.
    assert.deepEqual(await count(m, { province: 'TR', inactiveDays: 90 }), { reachable: 2, optedOut: 1 });
    // The operator: only the people of CPI Perugia (Anna, Bruno, Gino; Dario opted out).
    assert.deepEqual(await count(chiaraActor, { province: 'TR' }), { reachable: 3, optedOut: 1 });
    assert.deepEqual(await count({ ...chiaraActor, officeId: terniOfficeId }, { province: 'TR' }), {
      reachable: 2,
      optedOut: 0,
    });
    // A role without campaigns reaches nobody.
    assert.deepEqual(await count({ ...m, role: 'apl_operator' as never }, { province: 'TR' }), {
      reachable: 0,
      optedOut: 0,
    });
  });

  test('bad input: no segment, foreign link, bad numbers — refused with values kept', async () => {
    const none = await platform.post(manager, '/campagne/nuova', {
      nome: 'Richiamo <inattivi>',
      modello: 'book',
      canale: 'email',
      collegamento: '/appuntamenti/nuovo',
      fascia: '',
      provincia: '',
      eta: '',
      inattivita: '',
    });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Una campagna deve avere un gruppo di destinatari/);
    assert.match(none.body, /value="Richiamo &lt;inattivi>"/);
    const bad = await platform.post(manager, '/campagne/nuova', {
      nome: 'Prova',
      modello: 'book',
      canale: 'piccione',
      collegamento: 'https://evil.example/x',
      provincia: 'MI',
      inattivita: 'molti',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Scrivi un indirizzo di questo sito/);
    assert.match(bad.body, /Scrivi un numero di giorni da 1 a 3650/);
    assert.match(bad.body, /value="https:\/\/evil.example\/x"/);
    assert.match(bad.body, /value="molti"/);
    const rate = await platform.post(manager, '/campagne/impostazioni', { al_minuto: '0' });
    assert.equal(rate.statusCode, 400);
    assert.match(rate.body, /Scrivi un numero da 1 a 10000/);
    const count = await platform.db
      .selectFrom('campaigns')
      .select(platform.db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
    // Not a campaign id, someone else's role.
    assert.equal((await platform.get(manager, '/campagne/non-un-id')).statusCode, 404);
    assert.equal((await platform.post(manager, '/campagne/non-un-id/invia', {})).statusCode, 404);
    const giulia = await platform.signInAs('citizen');
    assert.equal((await platform.get(giulia, '/campagne')).statusCode, 403);
    assert.equal((await platform.get(platform.anonymous(), '/campagne/nuova')).statusCode, 303);
  });

  test('the manager creates, previews and sends; the job queues once per person, throttled', async () => {
    assert.equal(
      (await platform.post(manager, '/campagne/impostazioni', { al_minuto: '1' })).statusCode,
      303,
    );
    assert.equal(await perMinuteOf(platform.db, '10'), 1);
    const created = await platform.post(manager, '/campagne/nuova', {
      nome: 'Inattivi di Terni',
      modello: 'book',
      canale: 'email',
      collegamento: '/appuntamenti/nuovo',
      provincia: 'TR',
      inattivita: '90',
    });
    assert.equal(created.statusCode, 303);
    regionCampaign = /\/campagne\/([0-9a-f-]{36})\?ok=bozza/.exec(created.headers.location as string)![1]!;
    const page = await platform.get(manager, `/campagne/${regionCampaign}?ok=bozza`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /meno di 10/, 'two people: shown as fewer than 10');
    assert.match(page.body, /Prenota qui/);
    assert.match(page.body, /Book here/);
    assert.match(page.body, /احجز هنا/);

    const sent = await platform.post(manager, `/campagne/${regionCampaign}/invia`, {});
    assert.equal(sent.statusCode, 303);
    const recipients = await platform.db
      .selectFrom('campaign_recipients')
      .select(['person_id', 'status'])
      .where('campaign_id', '=', regionCampaign)
      .orderBy('person_id')
      .execute();
    assert.deepEqual(
      recipients.map((r) => r.person_id).sort(),
      [p.anna, p.carla].sort(),
      'Dario is inactive but opted out',
    );
    const again = await platform.post(manager, `/campagne/${regionCampaign}/invia`, {});
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /già stata inviata/);

    const audit = await platform.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'campaign.sent')
      .where('object_id', '=', regionCampaign)
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, manager.userId);
    const details = (typeof audit.details === 'string' ? JSON.parse(audit.details) : audit.details) as Record<
      string,
      unknown
    >;
    assert.deepEqual(details.segment, { province: 'TR', inactiveDays: 90 });
    assert.equal(details.recipients, 2);
    assert.equal(details.template, 'book');

    // One a minute: the first step queues one message, a second step in the same minute none.
    const t0 = new Date();
    assert.deepEqual(await dispatchCampaigns(deps(), t0), { queued: 1, skipped: 0 });
    assert.deepEqual(await dispatchCampaigns(deps(), new Date(t0.getTime() + 30_000)), {
      queued: 0,
      skipped: 0,
    });
    assert.deepEqual(await dispatchCampaigns(deps(), new Date(t0.getTime() + 61_000)), {
      queued: 1,
      skipped: 0,
    });
    assert.deepEqual(await dispatchCampaigns(deps(), new Date(t0.getTime() + 200_000)), {
      queued: 0,
      skipped: 0,
    });
    const status = await platform.db
      .selectFrom('campaigns')
      .select('status')
      .where('id', '=', regionCampaign)
      .executeTakeFirstOrThrow();
    assert.equal(status.status, 'sent');

    // Anna in English by e-mail, Carla in Italian by SMS; exactly one message each.
    const mails = await jobs('send-email', `campaign:10:${regionCampaign}:%`);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, 'anna@campagne.example');
    assert.equal(mails[0]!.subject, 'Book an appointment with the employment centre');
    assert.match(mails[0]!.text, /^Hello Anna,/);
    annaLink = /Book here: (\S+)/.exec(mails[0]!.text)![1]!;
    annaStop = /Unsubscribe here: (\S+)/.exec(mails[0]!.text)![1]!;
    assert.match(annaLink, new RegExp(`^${platform.config.publicUrl}/c/[A-Za-z0-9_-]{43}$`));
    assert.match(
      annaStop,
      new RegExp(`^${platform.config.publicUrl}/campagne/disiscriviti/[A-Za-z0-9_-]{43}$`),
    );
    const sms = await jobs('send-sms', `campaign:10:${regionCampaign}:%`);
    assert.equal(sms.length, 1);
    assert.equal(sms[0]!.to, '+39 333 1112222');
    assert.match(sms[0]!.text, /^Sportello Lavoro: ciao Carla, .* Stop: http/);
  });

  test('the tracked link records the click and goes to an internal page only', async () => {
    const path = new URL(annaLink).pathname;
    const first = await platform.get(platform.anonymous(), path);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, '/appuntamenti/nuovo');
    await platform.get(platform.anonymous(), path);
    const row = await platform.db
      .selectFrom('campaign_recipients')
      .select(['opened_at', 'clicks'])
      .where('campaign_id', '=', regionCampaign)
      .where('person_id', '=', p.anna)
      .executeTakeFirstOrThrow();
    assert.ok(row.opened_at);
    assert.equal(row.clicks, 2);
    for (const bad of ['/c/nope', `/c/${'A'.repeat(43)}`, '/c/..%2F..%2Fadmin']) {
      const r = await platform.get(platform.anonymous(), bad);
      assert.equal(r.statusCode, 404, bad);
      assert.match(r.body, /Link non valido/);
    }
    // Anna books within 30 days; Carla books after 40 days (not counted).
    await slotAndAppointment(p.anna, officeId, new Date(Date.now() + 3_600_000));
    await slotAndAppointment(p.carla, terniOfficeId, new Date(Date.now() + 40 * DAY));
  });

  test('the unsubscribe link works once, without sign-in, and the results show it', async () => {
    const path = new URL(annaStop).pathname;
    const anon = platform.anonymous();
    const page = await platform.get(anon, path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Non voglio più ricevere campagne/);
    const done = await platform.post(anon, path, {});
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/campagne/disiscriviti/fatto');
    assert.equal((await platform.get(anon, '/campagne/disiscriviti/fatto')).statusCode, 200);
    const reused = await platform.post(anon, path, {});
    assert.equal(reused.statusCode, 410);
    assert.match(reused.body, /Link già usato/);
    assert.equal((await platform.get(anon, path)).statusCode, 410);
    assert.equal((await platform.get(anon, `/campagne/disiscriviti/${'B'.repeat(43)}`)).statusCode, 404);
    assert.equal((await platform.post(anon, '/campagne/disiscriviti/short', {})).statusCode, 404);
    const optOut = await platform.db
      .selectFrom('campaign_opt_outs')
      .select('via')
      .where('person_id', '=', p.anna)
      .executeTakeFirstOrThrow();
    assert.equal(optOut.via, 'link');
    const audit = await platform.db
      .selectFrom('audit_log')
      .select(['subject_id'])
      .where('action', '=', 'campaign.opted_out')
      .where('subject_id', '=', p.anna)
      .execute();
    assert.equal(audit.length, 1);
    // Anna sees her choice on her page.
    const anna = await platform.signInAsUser(p.anna, '10');
    const prefs = await platform.get(anna, '/preferenze/comunicazioni');
    assert.match(prefs.body, /value="no" checked/);

    const results = await platform.get(manager, `/campagne/${regionCampaign}`);
    assert.equal(results.statusCode, 200);
    assert.match(results.body, /Messaggi inviati/);
    assert.match(results.body, /Appuntamenti prenotati/);
    assert.doesNotMatch(results.body, /Anna|Carla/, 'aggregates only');
    const { campaignResults } = await import('./use-cases/campaigns.ts');
    assert.deepEqual(await campaignResults(platform.db, { region_code: '10', id: regionCampaign }), {
      recipients: 2,
      pending: 0,
      sent: 2,
      opened: 1,
      booked: 1,
      optedOut: 1,
      skippedOptOut: 0,
      noContact: 0,
    });
  });

  test('an operator writes only to their office; opt-outs after sending are honoured', async () => {
    const created = await platform.post(chiara, '/campagne/nuova', {
      nome: 'Corsi per Perugia',
      modello: 'courses',
      canale: 'email',
      collegamento: '/corsi',
      provincia: 'TR',
    });
    assert.equal(created.statusCode, 303);
    officeCampaign = /\/campagne\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1]!;
    assert.equal((await platform.post(chiara, `/campagne/${officeCampaign}/invia`, {})).statusCode, 303);
    const recipients = await platform.db
      .selectFrom('campaign_recipients')
      .select('person_id')
      .where('campaign_id', '=', officeCampaign)
      .execute();
    // Anna opted out with the link above; Dario earlier: Bruno and Gino remain.
    assert.deepEqual(recipients.map((r) => r.person_id).sort(), [p.bruno, p.gino].sort());
    // Bruno changes his mind on his page before the job runs.
    const bruno = await platform.signInAsUser(p.bruno, '10');
    const badPref = await platform.post(bruno, '/preferenze/comunicazioni', { campagne: 'forse' });
    assert.equal(badPref.statusCode, 400);
    assert.equal(
      (await platform.post(bruno, '/preferenze/comunicazioni', { campagne: 'no' })).statusCode,
      303,
    );
    await platform.post(manager, '/campagne/impostazioni', { al_minuto: '100' });
    assert.deepEqual(await dispatchCampaigns(deps(), new Date()), { queued: 1, skipped: 1 });
    const mails = await jobs('send-email', `campaign:10:${officeCampaign}:%`);
    assert.deepEqual(
      mails.map((m) => m.to),
      ['gino@campagne.example'],
    );
    assert.match(mails[0]!.text, /Guarda i corsi: http/);

    // Scoping: the manager sees both; Chiara only hers; Terni's operator neither; another Region nothing.
    assert.equal((await platform.get(manager, `/campagne/${officeCampaign}`)).statusCode, 200);
    assert.equal((await platform.get(chiara, `/campagne/${officeCampaign}`)).statusCode, 200);
    assert.equal((await platform.get(chiara, `/campagne/${regionCampaign}`)).statusCode, 404);
    assert.equal((await platform.get(terniOperator, `/campagne/${officeCampaign}`)).statusCode, 404);
    assert.equal(
      (await platform.post(terniOperator, `/campagne/${officeCampaign}/invia`, {})).statusCode,
      404,
    );
    assert.equal((await platform.get(otherRegionManager, `/campagne/${regionCampaign}`)).statusCode, 404);
    const list = await platform.get(chiara, '/campagne');
    assert.match(list.body, /Corsi per Perugia/);
    assert.doesNotMatch(list.body, /Inattivi di Terni/);
    const otherList = await platform.get(otherRegionManager, '/campagne');
    assert.doesNotMatch(otherList.body, /Inattivi di Terni|Corsi per Perugia/);
    // Nobody of Region 20 was ever a recipient.
    const zeta = await platform.db
      .selectFrom('campaign_recipients')
      .select('person_id')
      .where('person_id', '=', p.zeta)
      .execute();
    assert.equal(zeta.length, 0);
  });

  test('a segment nobody can receive is refused at sending, clearly', async () => {
    const created = await platform.post(chiara, '/campagne/nuova', {
      nome: 'Vuota',
      modello: 'recruiting_day',
      canale: 'sms',
      collegamento: '/offerte',
      provincia: 'PG',
      eta: '18-29',
      fascia: '1',
    });
    const id = /\/campagne\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1]!;
    const refused = await platform.post(chiara, `/campagne/${id}/invia`, {});
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Nessuna persona di questo gruppo/);
    const row = await platform.db
      .selectFrom('campaigns')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'draft');
  });
  test('two clicks on send and two workers at once still send one message per person', async () => {
    const created = await platform.post(manager, '/campagne/nuova', {
      nome: 'Fascia 3',
      modello: 'recruiting_day',
      canale: 'email',
      collegamento: '/offerte',
      provincia: 'TR',
      fascia: '3',
    });
    const id = /\/campagne\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1]!;
    const clicks = await Promise.all([
      platform.post(manager, `/campagne/${id}/invia`, {}),
      platform.post(manager, `/campagne/${id}/invia`, {}),
    ]);
    assert.deepEqual(clicks.map((c) => c.statusCode).sort(), [303, 409]);
    const steps = await Promise.all([
      dispatchCampaigns(deps(), new Date()),
      dispatchCampaigns(deps(), new Date()),
    ]);
    assert.equal(steps[0].queued + steps[1].queued, 2, 'Gino and Ugo');
    const mails = await jobs('send-email', `campaign:10:${id}:%`);
    assert.deepEqual(mails.map((m) => m.to).sort(), ['gino@campagne.example', 'ugo@campagne.example']);
    assert.match(mails[0]!.text, /Scopri le offerte: http/);
    const audit = await platform.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'campaign.sent')
      .where('object_id', '=', id)
      .execute();
    assert.equal(audit.length, 1);
  });
});
