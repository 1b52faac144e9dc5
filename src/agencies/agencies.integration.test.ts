import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { translator } from '../platform/i18n/i18n.ts';
import { addDays, romeDay } from './domain/services.ts';
import { agencyTimeline } from './use-cases/timeline-source.ts';

const PERUGIA = '054039';

/**
 * Accredited agencies: the Region's scopes (by date, revoked, other Region), the person's choice,
 * referrals (accredited agencies only, the choice honoured or a reason recorded, one open per
 * service, the e-mail), what the APL operator sees (only referred people, only their service, never
 * another agency's), activities written to the dossier, and bad input answered with the values kept.
 */
describe('accredited agencies: scopes, choice, referral, APL view', () => {
  let p: TestPlatform;
  let giulia: Visitor;
  let chiara: Visitor;
  let apl: Visitor;
  let apl2: Visitor;
  let manager: Visitor;
  let giuliaId = '';
  let otherId = '';
  let demoAgency = '';
  let agency2 = '';
  let otherRegionScope = '';
  let otherRegionAgency = '';
  const today = romeDay(new Date());
  const in10 = addDays(today, 10);

  const insert = async (table: string, row: Record<string, unknown>) => {
    const cols = Object.keys(row);
    const { rows } = await p.pool.query<{ id: string }>(
      `insert into ${table} (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')}) returning id`,
      Object.values(row),
    );
    return rows[0]!.id;
  };
  const audits = async (action: string) =>
    Number(
      (await p.pool.query<{ n: string }>('select count(*) as n from audit_log where action = $1', [action]))
        .rows[0]?.n,
    );

  before(async () => {
    p = await startTestPlatform();
    giulia = await p.signInAs('citizen');
    chiara = await p.signInAs('cpi_operator');
    apl = await p.signInAs('apl_operator');
    manager = await p.signInAs('regional_manager');
    giuliaId = giulia.userId!;
    demoAgency = (
      await p.db
        .selectFrom('users')
        .select('agency_id')
        .where('id', '=', apl.userId!)
        .executeTakeFirstOrThrow()
    ).agency_id!;
    // A second agency: accredited for job-search support today, for guidance only from in 10 days.
    agency2 = await insert('agencies', {
      region_code: '10',
      name: 'Agenzia Seconda S.r.l.',
      vat_number: '01234567890',
      address: 'Via Due 2, Perugia',
      municipality_code: PERUGIA,
    });
    await insert('accreditation_scopes', {
      region_code: '10',
      agency_id: agency2,
      service: 'accompagnamento',
      valid_from: addDays(today, -30),
      valid_to: addDays(today, 300),
    });
    await insert('accreditation_scopes', {
      region_code: '10',
      agency_id: agency2,
      service: 'orientamento',
      valid_from: in10,
      valid_to: addDays(today, 100),
    });
    const apl2Id = await insert('users', {
      region_code: '10',
      role: 'apl_operator',
      email: 'apl2@prova.example',
      given_name: 'Anna',
      family_name: 'Seconda',
      agency_id: agency2,
    });
    apl2 = await p.signInAsUser(apl2Id, '10');
    otherId = await insert('users', {
      region_code: '10',
      role: 'citizen',
      email: 'altra.persona@prova.example',
      given_name: 'Marco',
      family_name: 'Contini',
      fiscal_code: 'CNTMRC80A01G478X',
    });
    // Another Region with its own agency and scope (written through the foundation's table).
    await p.pool.query(
      "insert into regions (region_code, name) values ('12', 'Regione di prova') on conflict do nothing",
    );
    otherRegionAgency = await insert('agencies', {
      region_code: '12',
      name: 'Agenzia di un altra Regione',
      vat_number: '01234567890',
      address: 'Via Tre 3',
      municipality_code: PERUGIA,
    });
    await insert('accreditations', {
      region_code: '12',
      agency_id: otherRegionAgency,
      services: ['orientamento', 'accompagnamento', 'non_un_servizio'],
      valid_from: addDays(today, -1),
      valid_to: addDays(today, 1),
    });
    const scopes = await p.db
      .selectFrom('accreditation_scopes')
      .select(['id', 'service'])
      .where('region_code', '=', '12')
      .execute();
    assert.deepEqual(scopes.map((s) => s.service).sort(), ['accompagnamento', 'orientamento']);
    otherRegionScope = scopes[0]!.id;
  });
  after(async () => {
    await p.stop();
  });

  test('the demo accreditation became scopes; the Region page lists its own agencies only', async () => {
    const demo = await p.db
      .selectFrom('accreditation_scopes')
      .select('service')
      .where('region_code', '=', '10')
      .where('agency_id', '=', demoAgency)
      .execute();
    assert.deepEqual(demo.map((s) => s.service).sort(), ['accoglienza', 'accompagnamento', 'orientamento']);
    const page = await p.get(manager, '/regione/accreditamenti');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Lavoro Insieme Servizi/);
    assert.match(page.body, /Agenzia Seconda/);
    assert.match(page.body, /Non ancora iniziato/);
    assert.doesNotMatch(page.body, /altra Regione/);
    const admin = await p.signInAs('admin');
    assert.equal((await p.get(admin, '/regione/accreditamenti')).statusCode, 200);
    assert.equal((await p.get(chiara, '/regione/accreditamenti')).statusCode, 403);
    assert.equal((await p.get(apl, '/regione/accreditamenti')).statusCode, 403);
  });

  test('the Region grants a scope; bad input is refused with the values kept', async () => {
    let res = await p.post(manager, '/regione/accreditamenti', {
      agency: agency2,
      service: 'tirocini',
      from: '2026-06-30',
      to: '2026-01-01',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /La data di fine deve essere uguale o successiva/);
    assert.match(res.body, /value="2026-06-30"/);
    res = await p.post(manager, '/regione/accreditamenti', {
      agency: '',
      service: 'sanzioni',
      from: '2026-02-30',
      to: 'domani',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Scegli una delle opzioni/);
    assert.match(res.body, /Scrivi una data valida/);
    assert.match(res.body, /value="domani"/);
    // Another Region's agency is not one of ours.
    res = await p.post(manager, '/regione/accreditamenti', {
      agency: otherRegionAgency,
      service: 'tirocini',
      from: today,
      to: in10,
    });
    assert.equal(res.statusCode, 400);
    res = await p.post(manager, '/regione/accreditamenti', {
      agency: agency2,
      service: 'tirocini',
      from: today,
      to: in10,
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/regione/accreditamenti?ok=granted');
    const row = await p.db
      .selectFrom('accreditation_scopes')
      .select(['id', 'granted_by'])
      .where('agency_id', '=', agency2)
      .where('service', '=', 'tirocini')
      .executeTakeFirstOrThrow();
    assert.equal(row.granted_by, manager.userId);
    assert.equal(await audits('agency.scope.granted'), 1);
    // The same service over an overlapping period is refused.
    res = await p.post(manager, '/regione/accreditamenti', {
      agency: agency2,
      service: 'tirocini',
      from: addDays(today, 5),
      to: addDays(today, 50),
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /già accreditata per questo servizio/);
    // Revoke: our own scope works once; another Region's is not found.
    assert.equal(
      (await p.post(manager, `/regione/accreditamenti/${otherRegionScope}/revoca`, {})).statusCode,
      404,
    );
    assert.equal((await p.post(manager, '/regione/accreditamenti/not-a-uuid/revoca', {})).statusCode, 404);
    res = await p.post(manager, `/regione/accreditamenti/${row.id}/revoca`, {});
    assert.equal(res.statusCode, 303);
    assert.equal((await p.post(manager, `/regione/accreditamenti/${row.id}/revoca`, {})).statusCode, 404);
    assert.equal(await audits('agency.scope.revoked'), 1);
    assert.match((await p.get(manager, '/regione/accreditamenti?ok=revoked')).body, /Revocato/);
  });

  test('the person chooses only among agencies accredited today, or no preference', async () => {
    let page = await p.get(giulia, '/agenzia');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Nessuna preferenza/);
    // Guidance: agency 2 only from in 10 days, so not offered (and refused if forced).
    let res = await p.post(giulia, '/agenzia', { choice_orientamento: agency2 });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Scegli un&#39;agenzia accreditata|Scegli un'agenzia accreditata/);
    res = await p.post(giulia, '/agenzia', { choice_orientamento: otherRegionAgency });
    assert.equal(res.statusCode, 400);
    res = await p.post(giulia, '/agenzia', { choice_accompagnamento: agency2, choice_orientamento: 'none' });
    assert.equal(res.statusCode, 303);
    const rows = await p.db
      .selectFrom('agency_choices')
      .select(['service', 'agency_id'])
      .where('user_id', '=', giuliaId)
      .orderBy('service')
      .execute();
    assert.deepEqual(rows, [
      { service: 'accompagnamento', agency_id: agency2 },
      { service: 'orientamento', agency_id: null },
    ]);
    page = await p.get(giulia, '/agenzia?ok=saved');
    assert.match(page.body, /Preferenze salvate/);
    assert.match(page.body, new RegExp(`value="${agency2}"[^>]*checked`));
    assert.equal((await p.get(chiara, '/agenzia')).statusCode, 403);
  });

  test('the CPI refers: accredited agencies on that date only, the choice honoured or a reason recorded', async () => {
    const base = `/operatore/persone/${giuliaId}/invio-apl`;
    // The form preselects the person's choice.
    let page = await p.get(chiara, `${base}?service=accompagnamento&day=${today}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`value="${agency2}"[^>]*checked`));
    assert.match(page.body, /La persona ha scelto Agenzia Seconda/);
    // Bad step-one input.
    page = await p.get(chiara, `${base}?service=sanzioni&day=2026-13-01`);
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /Scrivi una data valida/);
    // Guidance today: only the demo agency; in 10 days: both.
    page = await p.get(chiara, `${base}?service=orientamento&day=${today}`);
    assert.doesNotMatch(page.body, /Agenzia Seconda/);
    page = await p.get(chiara, `${base}?service=orientamento&day=${in10}`);
    assert.match(page.body, new RegExp(`value="${agency2}"`));
    let res = await p.post(chiara, base, { service: 'orientamento', day: today, agency: agency2, note: 'x' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /accreditata per questo servizio in quella data/);
    res = await p.post(chiara, base, { service: 'orientamento', day: today, agency: otherRegionAgency });
    assert.equal(res.statusCode, 400);
    res = await p.post(chiara, base, {
      service: 'orientamento',
      day: addDays(today, 400),
      agency: demoAgency,
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Scegli una data da oggi/);
    res = await p.post(chiara, base, {
      service: 'orientamento',
      day: today,
      agency: demoAgency,
      note: 'a'.repeat(2001),
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Il testo è troppo lungo/);
    // Not the person's choice: a reason is needed, and the typed note is kept.
    res = await p.post(chiara, base, {
      service: 'accompagnamento',
      day: today,
      agency: demoAgency,
      note: 'Cerca lavoro nel tessile.',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /scrivi il motivo/);
    assert.match(res.body, /Cerca lavoro nel tessile\./);
    res = await p.post(chiara, base, {
      service: 'accompagnamento',
      day: today,
      agency: demoAgency,
      note: 'Cerca lavoro nel tessile.',
      reason: 'L’agenzia scelta non ha posti prima di marzo.',
    });
    assert.equal(res.statusCode, 303);
    const ref = await p.db
      .selectFrom('agency_referrals')
      .selectAll()
      .where('citizen_id', '=', giuliaId)
      .executeTakeFirstOrThrow();
    assert.equal(ref.agency_id, demoAgency);
    assert.equal(ref.chosen_agency_id, agency2);
    assert.equal(ref.override_reason, 'L’agenzia scelta non ha posti prima di marzo.');
    assert.equal(ref.status, 'open');
    assert.equal(await audits('agency.referral.created'), 1);
    const mail = await p.lastQueuedEmail(`agency-referral:${ref.id}`);
    assert.ok(mail);
    assert.equal(mail.to, 'cittadino@demo.sportello.example');
    assert.match(mail.text, /Lavoro Insieme Servizi/);
    assert.match(mail.text, /Accompagnamento al lavoro/);
    // One open referral per person and service.
    res = await p.post(chiara, base, { service: 'accompagnamento', day: today, agency: agency2 });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /già un invio in corso/);
    // The choice honoured: guidance to agency 2 in 10 days (Giulia said "no preference": no reason).
    res = await p.post(chiara, base, { service: 'orientamento', day: in10, agency: agency2 });
    assert.equal(res.statusCode, 303);
    // The person sees both on their page.
    const mine = await p.get(giulia, '/agenzia');
    assert.match(mine.body, /Lavoro Insieme Servizi/);
    assert.match(mine.body, /Agenzia Seconda/);
    // APL and citizens cannot refer; another Region's or unknown person is not found.
    assert.equal((await p.get(apl, base)).statusCode, 403);
    assert.equal(
      (await p.get(chiara, '/operatore/persone/00000000-0000-0000-0000-000000000000/invio-apl')).statusCode,
      404,
    );
  });

  test('the APL operator sees only the people referred to their agency, only their service', async () => {
    let list = await p.get(apl, '/apl/persone');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Conti Giulia/);
    assert.doesNotMatch(list.body, /Contini/);
    const page = await p.get(apl, `/apl/persone/${giuliaId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Cerca lavoro nel tessile\./);
    assert.match(page.body, /Accompagnamento al lavoro/);
    assert.match(page.body, /cittadino@demo\.sportello\.example/);
    // Not the fiscal code, not the other agency's service, not the reason about the choice.
    assert.doesNotMatch(page.body, /CNTGLI94E54G478J/);
    assert.doesNotMatch(page.body, /Orientamento/);
    assert.doesNotMatch(page.body, /posti prima di marzo/);
    // The second agency sees Giulia only for guidance, without the first agency's note.
    const page2 = await p.get(apl2, `/apl/persone/${giuliaId}`);
    assert.equal(page2.statusCode, 200);
    assert.match(page2.body, /Orientamento/);
    assert.doesNotMatch(page2.body, /tessile/);
    // Someone not referred: not found, also through the shared record and search.
    assert.equal((await p.get(apl, `/apl/persone/${otherId}`)).statusCode, 404);
    assert.equal((await p.get(apl, `/operatore/persone/${otherId}?purpose=interview`)).statusCode, 404);
    const record = await p.get(apl, `/operatore/persone/${giuliaId}?purpose=interview`);
    assert.equal(record.statusCode, 200);
    assert.doesNotMatch(record.body, /CNTGLI94E54G478J/);
    assert.equal(
      (await p.get(apl, `/operatore/persone/${giuliaId}?purpose=conditionality_check`)).statusCode,
      404,
    );
    const search = await p.get(apl, '/operatore/persone?q=Cont');
    assert.match(search.body, /Conti Giulia/);
    assert.doesNotMatch(search.body, /Contini/);
    // What tells namesakes apart, for an APL: the email, not the fiscal code or birth date.
    assert.match(search.body, /Indirizzo e-mail: <bdi>cittadino@demo\.sportello\.example<\/bdi>/);
    assert.doesNotMatch(search.body, /CNTGLI94E54G478J|Data di nascita/);
    // Every shown person is an audited read that Giulia can see.
    assert.ok((await audits('read.agency_referral')) >= 2);
    list = await p.get(giulia, '/i-miei-dati/accessi');
    assert.match(list.body, /Erogare il servizio per cui sei stato inviato/);
    assert.equal((await p.get(chiara, '/apl/persone')).statusCode, 403);
  });

  test('the APL records an activity on its referral: bad input refused, the CPI and the dossier see it', async () => {
    const ref = await p.db
      .selectFrom('agency_referrals')
      .select('id')
      .where('citizen_id', '=', giuliaId)
      .where('agency_id', '=', demoAgency)
      .executeTakeFirstOrThrow();
    const url = `/apl/persone/${giuliaId}/attivita`;
    let res = await p.post(apl, url, {
      referral: ref.id,
      day: addDays(today, 1),
      kind: 'interview',
      outcome: 'Fatto',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /non può essere nel futuro/);
    res = await p.post(apl, url, {
      referral: ref.id,
      day: addDays(today, -1),
      kind: 'interview',
      outcome: 'Fatto',
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /precedente all&#39;inizio|precedente all'inizio/);
    res = await p.post(apl, url, { referral: ref.id, day: today, kind: 'party', outcome: ' ' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Questo campo è obbligatorio/);
    res = await p.post(apl, url, {
      referral: ref.id,
      day: today,
      kind: 'interview',
      outcome: 'b'.repeat(2001),
    });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Il testo è troppo lungo/);
    res = await p.post(apl, url, { referral: ref.id, day: today, kind: 'interview', outcome: 'ok\u0007' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /caratteri non ammessi/);
    // Another agency's referral is not one to choose; a person not referred: not found.
    res = await p.post(apl2, url, { referral: ref.id, day: today, kind: 'interview', outcome: 'Intruso' });
    assert.equal(res.statusCode, 400);
    assert.doesNotMatch(res.body, /tessile/);
    res = await p.post(apl, `/apl/persone/${otherId}/attivita`, {
      referral: ref.id,
      day: today,
      kind: 'interview',
      outcome: 'Intruso',
    });
    assert.equal(res.statusCode, 404);
    res = await p.post(apl, url, {
      referral: ref.id,
      day: today,
      kind: 'interview',
      outcome: 'Primo colloquio: CV aggiornato, tre candidature.',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(await audits('agency.activity.recorded'), 1);
    assert.equal(
      Number((await p.pool.query<{ n: string }>('select count(*) as n from agency_activities')).rows[0]?.n),
      1,
    );
    const cpi = await p.get(chiara, `/operatore/persone/${giuliaId}/invio-apl`);
    assert.match(cpi.body, /Primo colloquio: CV aggiornato, tre candidature\./);
    const entries = await agencyTimeline(p.db, { regionCode: '10', personId: giuliaId });
    assert.deepEqual(entries.map((e) => e.kind).sort(), ['agency_activity', 'referral', 'referral']);
    assert.ok(entries.every((e) => e.visibleToApl));
    const activity = entries.find((e) => e.kind === 'agency_activity')!;
    assert.equal(
      translator('it')(activity.titleKey, activity.titleVars),
      'Lavoro Insieme Servizi S.r.l.: Colloquio (Accompagnamento al lavoro)',
    );
    assert.equal(
      translator('en')(activity.titleKey, activity.titleVars),
      'Lavoro Insieme Servizi S.r.l.: Interview (Job-search support)',
    );
    assert.equal((await agencyTimeline(p.db, { regionCode: '12', personId: giuliaId })).length, 0);
  });

  test('hostile input to every form and step: never a server error', async () => {
    const hostile = [
      '',
      'x'.repeat(20000),
      '\u0000\u0001',
      "' or 1=1 --",
      '<script>alert(1)</script>',
      '0000-01-01',
      '2026-02-30',
      '00000000-0000-0000-0000-000000000000',
      '𝕏'.repeat(1500),
    ];
    const ref = await p.db.selectFrom('agency_referrals').select('id').executeTakeFirstOrThrow();
    const forms: [Visitor, string, string[]][] = [
      [manager, '/regione/accreditamenti', ['agency', 'service', 'from', 'to']],
      [manager, `/regione/accreditamenti/${encodeURIComponent(hostile[3]!)}/revoca`, []],
      [giulia, '/agenzia', ['choice_orientamento', 'choice_accompagnamento']],
      [chiara, `/operatore/persone/${giuliaId}/invio-apl`, ['service', 'day', 'agency', 'note', 'reason']],
      [chiara, `/operatore/persone/${giuliaId}/invio-apl/${ref.id}/chiudi`, ['action', 'note']],
      [apl, `/apl/persone/${giuliaId}/attivita`, ['referral', 'day', 'kind', 'outcome']],
    ];
    for (const [visitor, url, fields] of forms)
      for (const value of hostile) {
        const res = await p.post(visitor, url, Object.fromEntries(fields.map((f) => [f, value])));
        assert.ok(
          res.statusCode < 500,
          `${url} with ${JSON.stringify(value.slice(0, 20))}: ${res.statusCode}`,
        );
      }
    for (const value of hostile) {
      const q = new URLSearchParams({ service: value, day: value }).toString();
      const res = await p.get(chiara, `/operatore/persone/${giuliaId}/invio-apl?${q}`);
      assert.ok(res.statusCode < 500, `invio-apl step one: ${res.statusCode}`);
    }
    // Nothing was written by any of that.
    assert.equal(await audits('agency.scope.granted'), 1);
    assert.equal(
      Number((await p.pool.query<{ n: string }>('select count(*) as n from agency_activities')).rows[0]?.n),
      1,
    );
  });

  test('every page speaks English and Arabic, without raw keys', async () => {
    const pages: [Visitor, string][] = [
      [manager, '/regione/accreditamenti'],
      [giulia, '/agenzia'],
      [chiara, `/operatore/persone/${giuliaId}/invio-apl?service=orientamento&day=${in10}`],
      [apl, '/apl/persone'],
      [apl, `/apl/persone/${giuliaId}`],
    ];
    for (const [visitor, url] of pages)
      for (const [lang, word] of [
        ['en', /Accredited agenc|Employment agencies|Referral to an agency|People referred|Contacts/],
        ['ar', /dir="rtl"/],
      ] as const) {
        const res = await p.get(visitor, `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(res.statusCode, 200, `${url} ${lang}`);
        assert.match(res.body, word, `${url} ${lang}`);
        assert.doesNotMatch(res.body, /agencies\.[a-z]+\.[a-zA-Z_]+/, `${url} ${lang}: a raw key`);
      }
  });

  test('the CPI withdraws a referral: the agency no longer sees the person', async () => {
    const ref = await p.db
      .selectFrom('agency_referrals')
      .select('id')
      .where('citizen_id', '=', giuliaId)
      .where('agency_id', '=', agency2)
      .executeTakeFirstOrThrow();
    const base = `/operatore/persone/${giuliaId}/invio-apl`;
    let res = await p.post(chiara, `${base}/${ref.id}/chiudi`, { action: 'explode' });
    assert.equal(res.statusCode, 400);
    res = await p.post(chiara, `/operatore/persone/${otherId}/invio-apl/${ref.id}/chiudi`, {
      action: 'withdrawn',
    });
    assert.equal(res.statusCode, 404);
    res = await p.post(chiara, `${base}/${ref.id}/chiudi`, {
      action: 'withdrawn',
      note: 'Ha trovato lavoro.',
    });
    assert.equal(res.statusCode, 303);
    assert.equal((await p.post(chiara, `${base}/${ref.id}/chiudi`, { action: 'closed' })).statusCode, 404);
    assert.equal((await p.get(apl2, `/apl/persone/${giuliaId}`)).statusCode, 404);
    assert.doesNotMatch((await p.get(apl2, '/apl/persone')).body, /Conti Giulia/);
    assert.match((await p.get(giulia, '/agenzia')).body, /Ritirato/);
    const mail = await p.lastQueuedEmail(`agency-referral:${ref.id}:withdrawn`);
    assert.ok(mail);
    assert.match(mail.subject, /ritirato/);
    assert.match(mail.text, /Agenzia Seconda S\.r\.l\./);
    const entries = await agencyTimeline(p.db, { regionCode: '10', personId: giuliaId });
    assert.equal(entries.filter((e) => e.titleKey === 'agencies.timeline.withdrawn').length, 1);
  });
});
