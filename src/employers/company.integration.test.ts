import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { form, startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import type { EidIdentity } from '../identity/adapters/eid-relying-party.ts';
import { computeCodiceFiscale } from '../identity/domain/codice-fiscale.ts';
import {
  EMPLOYER_EID_RETURN,
  EMPLOYER_LINK_RETURN,
  linkEidToEmployer,
  signInWithEid,
} from '../identity/use-cases/sign-in-with-eid.ts';
import { hashToken, SESSION_COOKIE, type Session } from '../platform/auth/session.ts';
import { csrfTokenFor } from '../platform/http/context.ts';
import { checkAtecoCode, sectionOfAtecoCode, slugOf } from './domain/ateco.ts';
import { checkDigitOf } from './domain/partita-iva.ts';

let platform: TestPlatform;
let paolo: Visitor;
before(async () => {
  platform = await startTestPlatform();
  paolo = await platform.signInAs('employer');
});
after(async () => {
  await platform.stop();
});

/** A valid partita IVA from 7 taxpayer digits (office 054, Perugia). */
const vatOf = (seven: string) => {
  const first10 = `${seven}054`;
  return `${first10}${checkDigitOf(first10)}`;
};
const wrongCheckDigit = (vat: string) => `${vat.slice(0, 10)}${(Number(vat[10]) + 1) % 10}`;
const PASSWORD = 'telaio di lana 2026';

const signUpFields = (over: Record<string, string> = {}) => ({
  name: 'Maglificio Città di Castello S.r.l.',
  vat: vatOf('0123456'),
  fiscalCode: '',
  atecoSection: 'C',
  atecoCode: '14.39',
  sizeBand: 'small',
  hqMunicipality: 'Perugia',
  hqAddress: 'Via dei Filatori 12',
  givenName: 'Lucia',
  familyName: 'Bartolini',
  email: 'lucia.bartolini@maglificio.example',
  mobile: '+39 333 765 4321',
  password: PASSWORD,
  ...over,
});

function cookieFrom(setCookie: string | string[] | undefined, name: string): string | null {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const c of all) {
    const m = new RegExp(`^${name.replace(/[$]/g, '\\$&')}=([^;]*)`).exec(c);
    if (m?.[1]) return m[1];
  }
  return null;
}

/** Signs in with password then the SMS code (read from the queued job), as a person would. */
async function signInWithPasswordAndSms(email: string, password: string): Promise<Visitor> {
  const anon = platform.anonymous();
  const first = await platform.app.inject({
    method: 'POST',
    url: '/accedi',
    headers: { cookie: anon.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(anon, { email, password }),
  });
  assert.equal(first.statusCode, 303, first.body.slice(0, 300));
  assert.match(String(first.headers.location), /^\/accedi\/codice\?method=sms/);
  const pendingToken = cookieFrom(first.headers['set-cookie'], SESSION_COOKIE);
  assert.ok(pendingToken);
  const { csrf_seed } = await platform.db
    .selectFrom('sessions')
    .select('csrf_seed')
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const pending: Visitor = {
    cookie: `${SESSION_COOKIE}=${pendingToken}`,
    csrf: csrfTokenFor(platform.config.sessionSecret, csrf_seed),
    userId: null,
    regionCode: null,
  };
  const { rows } = await platform.pool.query<{ data: { text: string } }>(
    "select data from pgboss.job where name = 'send-sms' order by created_on desc limit 1",
  );
  const code = /(\d{6})/.exec(rows[0]?.data.text ?? '')?.[1];
  assert.ok(code, 'an SMS code was queued');
  const second = await platform.app.inject({
    method: 'POST',
    url: '/accedi/codice',
    headers: { cookie: pending.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(pending, { code, method: 'sms' }),
  });
  assert.equal(second.statusCode, 303);
  const token = cookieFrom(second.headers['set-cookie'], SESSION_COOKIE);
  assert.ok(token);
  const session = await platform.db
    .selectFrom('users')
    .select(['id', 'region_code'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return platform.signInAsUser(session.id, session.region_code);
}

test('ATECO: the division gives the section; slugs are plain', () => {
  assert.equal(sectionOfAtecoCode('13.20.00'), 'C');
  assert.equal(sectionOfAtecoCode('01.11'), 'A');
  assert.equal(sectionOfAtecoCode('47'), 'G');
  assert.equal(sectionOfAtecoCode('04.10'), null);
  assert.deepEqual(checkAtecoCode('G', '13.20'), { ok: false, reason: 'section', section: 'C' });
  assert.deepEqual(checkAtecoCode('C', '13.2.'), { ok: false, reason: 'format' });
  assert.deepEqual(checkAtecoCode('C', '13.20'), { ok: true });
  assert.equal(slugOf('Tessiture del Chiascio S.r.l.'), 'tessiture-del-chiascio-srl');
  assert.equal(slugOf("Caffè dell'Università & C."), 'caffe-delluniversita-c');
  assert.equal(slugOf('!!!'), 'azienda');
});

test('a company signs up: company, head office and admin in one go, then password + SMS code', async () => {
  const anon = platform.anonymous();
  const page = await platform.get(anon, '/azienda/registrati');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Registra la tua azienda/);
  const res = await platform.post(anon, '/azienda/registrati', signUpFields());
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
  assert.equal(res.headers.location, '/azienda/benvenuto?da=registrazione');
  const welcome = await platform.get(anon, '/azienda/benvenuto?da=registrazione');
  assert.match(welcome.body, /codice via SMS/);

  const company = await platform.db
    .selectFrom('companies')
    .selectAll()
    .where('vat_number', '=', vatOf('0123456'))
    .executeTakeFirstOrThrow();
  assert.equal(company.region_code, '10');
  assert.equal(company.fiscal_code, vatOf('0123456'), 'the fiscal code defaults to the partita IVA');
  assert.equal(company.public_slug, 'maglificio-citta-di-castello-srl');
  assert.equal(company.ateco_code, '14.39');
  assert.equal(company.size_band, 'small');
  const sites = await platform.db
    .selectFrom('company_sites')
    .select(['municipality_code', 'address', 'headquarters'])
    .where('company_id', '=', company.id)
    .execute();
  assert.deepEqual(sites, [
    { municipality_code: '054039', address: 'Via dei Filatori 12', headquarters: true },
  ]);
  const user = await platform.db
    .selectFrom('users')
    .select(['role', 'company_role', 'sms_second_factor', 'phone', 'company_id'])
    .where('email', '=', 'lucia.bartolini@maglificio.example')
    .executeTakeFirstOrThrow();
  assert.deepEqual(user, {
    role: 'employer',
    company_role: 'admin',
    sms_second_factor: true,
    phone: '+393337654321',
    company_id: company.id,
  });
  const audit = await platform.db
    .selectFrom('audit_log')
    .select('action')
    .where('action', '=', 'company.registered')
    .where('object_id', '=', company.id)
    .execute();
  assert.equal(audit.length, 1);

  const lucia = await signInWithPasswordAndSms('lucia.bartolini@maglificio.example', PASSWORD);
  const space = await platform.get(lucia, '/azienda');
  assert.equal(space.statusCode, 200);
  assert.match(space.body, /Maglificio Città di Castello S.r.l./);
  assert.match(space.body, /action="\/azienda\/dati"/, 'the admin can edit the data');
});

test('bad sign-up input is refused clearly, with the typed values kept', async () => {
  const anon = platform.anonymous();
  const vat = vatOf('0765432');
  const cases: [Record<string, string>, RegExp][] = [
    [{ vat: wrongCheckDigit(vat) }, /cifra di controllo\) non è corretta/],
    [{ vat: '01234560001' }, /non corrispondono a nessun ufficio/],
    [{ vat: '12345' }, /ha 11 cifre/],
    [
      { vat: '04152630549' },
      /già registrata\. Chiedi all&#39;amministratore dell&#39;azienda di invitarti|già registrata\. Chiedi all'amministratore dell'azienda di invitarti/,
    ],
    [{ vat, fiscalCode: 'ABC' }, /11 cifre \(come una partita IVA\)/],
    [{ vat, atecoCode: '47.11' }, /appartiene alla sezione G/],
    [{ vat, hqMunicipality: 'Atlantide' }, /Non troviamo nessun comune/],
    [{ vat, password: 'password' }, /troppo comune/],
    [{ vat, mobile: 'chiamami' }, /numero di cellulare/],
    [{ vat, email: 'datore@demo.sportello.example' }, /Esiste già un account con questa e-mail/],
    [{ vat, name: '', sizeBand: 'huge' }, /obbligatorio/],
  ];
  for (const [over, message] of cases) {
    const res = await platform.post(anon, '/azienda/registrati', signUpFields(over));
    assert.equal(res.statusCode, 400, JSON.stringify(over));
    assert.match(res.body, message, JSON.stringify(over));
    assert.match(res.body, /id="error-summary"/);
    assert.match(res.body, /value="Lucia"/, 'typed values are kept');
    assert.doesNotMatch(res.body, new RegExp(PASSWORD), 'the password is never echoed');
  }
  const en = await platform.post(
    anon,
    '/azienda/registrati?lang=en',
    signUpFields({ vat: wrongCheckDigit(vat) }),
  );
  assert.match(en.body, /The last digit of the VAT number \(the check digit\) is wrong/);
  const ar = await platform.post(
    anon,
    '/azienda/registrati?lang=ar',
    signUpFields({ vat: wrongCheckDigit(vat) }),
  );
  assert.match(ar.body, /dir="rtl"/);
  assert.match(ar.body, /رقم التحقق/);
  const count = await platform.db
    .selectFrom('companies')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('vat_number', '=', vat)
    .executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 0, 'nothing was saved');
  // Garbage never reaches a 500.
  const junk = await platform.post(anon, '/azienda/registrati', { name: 'x'.repeat(50_000), vat: '\u0000' });
  assert.equal(junk.statusCode, 400);
});

test('invite → accept → sign in; the recruiter sees the space but not the admin pages', async () => {
  const page = await platform.get(paolo, '/azienda/utenti');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Paolo/);
  const bad = await platform.post(paolo, '/azienda/utenti/invita', {
    email: 'non-una-mail',
    role: 'recruiter',
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /value="non-una-mail"/);
  const taken = await platform.post(paolo, '/azienda/utenti/invita', {
    email: 'lucia.bartolini@maglificio.example',
    role: 'recruiter',
  });
  assert.match(taken.body, /ha già un account/);

  const res = await platform.post(paolo, '/azienda/utenti/invita', {
    email: 'marco.rossi@tessiture.example',
    role: 'recruiter',
  });
  assert.equal(res.headers.location, '/azienda/utenti?ok=invited');
  const again = await platform.post(paolo, '/azienda/utenti/invita', {
    email: 'Marco.Rossi@tessiture.example',
    role: 'admin',
  });
  assert.match(again.body, /già un invito aperto/);
  const mail = await platform.lastQueuedEmail('company-invite:%');
  assert.ok(mail);
  assert.equal(mail.to, 'marco.rossi@tessiture.example');
  const link = /\/azienda\/invito\/([A-Za-z0-9_-]{43})/.exec(mail.text);
  assert.ok(link?.[1]);
  const token = link[1];
  const stored = await platform.db
    .selectFrom('company_invites')
    .select(['token_hash', 'expires_at'])
    .where('email', '=', 'marco.rossi@tessiture.example')
    .executeTakeFirstOrThrow();
  assert.notEqual(stored.token_hash, token, 'only the hash is stored');
  assert.ok(Math.abs(stored.expires_at.getTime() - Date.now() - 7 * 86_400_000) < 60_000);

  const anon = platform.anonymous();
  const invitePage = await platform.get(anon, `/azienda/invito/${token}`);
  assert.equal(invitePage.statusCode, 200);
  assert.match(invitePage.body, /Tessiture del Chiascio/);
  const wrong = await platform.post(anon, `/azienda/invito/${token}`, {
    givenName: 'Marco',
    familyName: 'Rossi',
    mobile: '12',
    password: 'abc',
  });
  assert.equal(wrong.statusCode, 400);
  assert.match(wrong.body, /numero di cellulare/);
  assert.match(wrong.body, /value="Marco"/);
  const ok = await platform.post(anon, `/azienda/invito/${token}`, {
    givenName: 'Marco',
    familyName: 'Rossi',
    mobile: '+39 347 111 2233',
    password: 'orditura e trama 7',
  });
  assert.equal(ok.headers.location, '/azienda/benvenuto?da=invito');
  const used = await platform.get(anon, `/azienda/invito/${token}`);
  assert.equal(used.statusCode, 410);
  assert.match(used.body, /Invito già usato/);

  const marco = await signInWithPasswordAndSms('marco.rossi@tessiture.example', 'orditura e trama 7');
  const space = await platform.get(marco, '/azienda');
  assert.equal(space.statusCode, 200);
  assert.match(space.body, /Tessiture del Chiascio/);
  assert.doesNotMatch(space.body, /action="\/azienda\/dati"/);
  assert.match(space.body, /Solo gli amministratori/);
  for (const url of ['/azienda/utenti']) assert.equal((await platform.get(marco, url)).statusCode, 403);
  const refused = await platform.post(marco, '/azienda/dati', { atecoSection: 'C', sizeBand: 'large' });
  assert.equal(refused.statusCode, 403);
  assert.equal(
    (await platform.post(marco, '/azienda/utenti/invita', { email: 'x@y.example', role: 'admin' }))
      .statusCode,
    403,
  );
  const refusals = await platform.db
    .selectFrom('audit_log')
    .select('action')
    .where('action', '=', 'authz.refused')
    .where('actor_id', '=', marco.userId)
    .execute();
  assert.ok(refusals.length >= 3);
  // A citizen is refused by the central guard.
  const citizen = await platform.signInAs('citizen');
  assert.equal((await platform.get(citizen, '/azienda')).statusCode, 403);
});

test('revoked, expired and unknown invitations get a clear page', async () => {
  await platform.post(paolo, '/azienda/utenti/invita', {
    email: 'anna.verdi@tessiture.example',
    role: 'admin',
  });
  const revokedToken = /\/azienda\/invito\/([A-Za-z0-9_-]{43})/.exec(
    (await platform.lastQueuedEmail('company-invite:%'))?.text ?? '',
  )?.[1];
  const invite = await platform.db
    .selectFrom('company_invites')
    .select('id')
    .where('email', '=', 'anna.verdi@tessiture.example')
    .executeTakeFirstOrThrow();
  const list = await platform.get(paolo, '/azienda/utenti');
  assert.match(list.body, /anna.verdi@tessiture.example/);
  const revoke = await platform.post(paolo, `/azienda/inviti/${invite.id}/revoca`, {});
  assert.equal(revoke.headers.location, '/azienda/utenti?ok=revoked');
  const anon = platform.anonymous();
  const revoked = await platform.get(anon, `/azienda/invito/${revokedToken}`);
  assert.equal(revoked.statusCode, 410);
  assert.match(revoked.body, /Invito revocato/);
  const postRevoked = await platform.post(anon, `/azienda/invito/${revokedToken}`, {
    givenName: 'Anna',
    familyName: 'Verdi',
    mobile: '+393471112234',
    password: 'una frase lunga 99',
  });
  assert.equal(postRevoked.statusCode, 410);

  await platform.post(paolo, '/azienda/utenti/invita', {
    email: 'anna.verdi@tessiture.example',
    role: 'admin',
  });
  const expiredToken = /\/azienda\/invito\/([A-Za-z0-9_-]{43})/.exec(
    (await platform.lastQueuedEmail('company-invite:%'))?.text ?? '',
  )?.[1];
  await platform.db
    .updateTable('company_invites')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('email', '=', 'anna.verdi@tessiture.example')
    .where('revoked_at', 'is', null)
    .execute();
  const expired = await platform.get(anon, `/azienda/invito/${expiredToken}`);
  assert.equal(expired.statusCode, 410);
  assert.match(expired.body, /Invito scaduto/);
  const unknown = await platform.get(anon, `/azienda/invito/${'A'.repeat(43)}`);
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /Invito non trovato/);
  assert.equal((await platform.get(anon, '/azienda/invito/short')).statusCode, 404);
  // An expired invitation does not block a new one for the same person.
  const renewed = await platform.post(paolo, '/azienda/utenti/invita', {
    email: 'anna.verdi@tessiture.example',
    role: 'admin',
  });
  assert.equal(renewed.headers.location, '/azienda/utenti?ok=invited');
});

test('roles: never the last admin, never oneself; another company’s ids are not found', async () => {
  const paoloId = paolo.userId!;
  const lastAdmin = await platform.post(paolo, `/azienda/utenti/${paoloId}/ruolo`, { role: 'recruiter' });
  assert.equal(lastAdmin.statusCode, 409);
  assert.match(lastAdmin.body, /almeno un amministratore attivo/);
  const self = await platform.post(paolo, `/azienda/utenti/${paoloId}/disattiva`, {});
  assert.equal(self.statusCode, 409);

  const marco = await platform.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'marco.rossi@tessiture.example')
    .executeTakeFirstOrThrow();
  assert.equal(
    (await platform.post(paolo, `/azienda/utenti/${marco.id}/ruolo`, { role: 'admin' })).headers.location,
    '/azienda/utenti?ok=role',
  );
  // With two admins Paolo may step down; then Marco is the last one.
  assert.equal(
    (await platform.post(paolo, `/azienda/utenti/${paoloId}/ruolo`, { role: 'recruiter' })).statusCode,
    303,
  );
  const marcoVisitor = await platform.signInAsUser(marco.id, '10');
  assert.equal((await platform.get(paolo, '/azienda/utenti')).statusCode, 403, 'Paolo is a recruiter now');
  assert.equal(
    (await platform.post(marcoVisitor, `/azienda/utenti/${paoloId}/ruolo`, { role: 'admin' })).statusCode,
    303,
  );
  // Disabling ends the person's sessions.
  const marcoSession = await platform.signInAsUser(marco.id, '10');
  assert.equal((await platform.post(paolo, `/azienda/utenti/${marco.id}/disattiva`, {})).statusCode, 303);
  const after = await platform.get(marcoSession, '/azienda');
  assert.equal(after.statusCode, 303, 'a disabled user is signed out');
  assert.match(String(after.headers.location), /^\/accedi/);

  // Lucia's company (signed up above): its site and user ids are "not found" for Paolo.
  const lucia = await platform.db
    .selectFrom('users')
    .select(['id', 'company_id'])
    .where('email', '=', 'lucia.bartolini@maglificio.example')
    .executeTakeFirstOrThrow();
  const luciaSite = await platform.db
    .selectFrom('company_sites')
    .select('id')
    .where('company_id', '=', lucia.company_id!)
    .executeTakeFirstOrThrow();
  assert.equal((await platform.post(paolo, `/azienda/sedi/${luciaSite.id}/principale`, {})).statusCode, 404);
  assert.equal((await platform.post(paolo, `/azienda/sedi/${luciaSite.id}/rimuovi`, {})).statusCode, 404);
  assert.equal(
    (await platform.post(paolo, `/azienda/utenti/${lucia.id}/ruolo`, { role: 'recruiter' })).statusCode,
    404,
  );
  assert.equal((await platform.post(paolo, `/azienda/utenti/${lucia.id}/disattiva`, {})).statusCode, 404);
  assert.equal((await platform.post(paolo, '/azienda/sedi/not-a-uuid/rimuovi', {})).statusCode, 404);
  const luciaUser = await platform.db
    .selectFrom('users')
    .select(['company_role', 'disabled_at'])
    .where('id', '=', lucia.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(luciaUser, { company_role: 'admin', disabled_at: null });
});

test('company data, sites and the public page address; bad values are refused and kept', async () => {
  const website = await platform.post(paolo, '/azienda/dati', {
    description: 'Tessiamo lana e lino dal 1952.',
    website: 'http://tessiture.example',
    atecoSection: 'C',
    atecoCode: '13.20',
    sizeBand: 'medium',
  });
  assert.equal(website.statusCode, 400);
  assert.match(website.body, /inizia con https:\/\//);
  assert.match(website.body, /Tessiamo lana e lino dal 1952./);
  const saved = await platform.post(paolo, '/azienda/dati', {
    description: 'Tessiamo lana e lino dal 1952.',
    website: 'https://tessiture.example',
    atecoSection: 'C',
    atecoCode: '13.20',
    sizeBand: 'medium',
  });
  assert.equal(saved.headers.location, '/azienda?ok=data');

  const slugTaken = await platform.post(paolo, '/azienda/pagina', {
    slug: 'maglificio-citta-di-castello-srl',
  });
  assert.equal(slugTaken.statusCode, 400);
  assert.match(slugTaken.body, /già usato da un&#39;altra azienda|già usato da un'altra azienda/);
  const slugBad = await platform.post(paolo, '/azienda/pagina', { slug: 'Tessiture Chiascio!' });
  assert.equal(slugBad.statusCode, 400);
  assert.match(slugBad.body, /value="tessiture chiascio!"|value="Tessiture Chiascio!"/);
  assert.equal(
    (await platform.post(paolo, '/azienda/pagina', { slug: 'tessiture-chiascio' })).statusCode,
    303,
  );

  const nowhere = await platform.post(paolo, '/azienda/sedi', {
    siteMunicipality: 'Xyz',
    siteAddress: 'Via Roma 1',
  });
  assert.equal(nowhere.statusCode, 400);
  assert.match(nowhere.body, /value="Via Roma 1"/);
  assert.equal(
    (await platform.post(paolo, '/azienda/sedi', { siteMunicipality: 'Perugia', siteAddress: 'Via Roma 1' }))
      .statusCode,
    303,
  );
  assert.equal(
    (
      await platform.post(paolo, '/azienda/sedi', {
        siteMunicipality: 'assisi',
        siteAddress: 'Via San Francesco 3',
        siteHq: 'yes',
      })
    ).statusCode,
    303,
  );
  const company = await platform.db
    .selectFrom('companies')
    .select('id')
    .where('vat_number', '=', '04152630549')
    .executeTakeFirstOrThrow();
  const sites = await platform.db
    .selectFrom('company_sites')
    .select(['id', 'municipality_code', 'headquarters'])
    .where('company_id', '=', company.id)
    .orderBy('created_at')
    .execute();
  const hq = sites.filter((s) => s.headquarters);
  assert.equal(hq.length, 1);
  assert.equal(hq[0]?.municipality_code, '054001', 'Assisi is the head office');
  const hqRemove = await platform.post(paolo, `/azienda/sedi/${hq[0]?.id}/rimuovi`, {});
  assert.equal(hqRemove.statusCode, 409);
  assert.match(hqRemove.body, /sede legale non si può togliere/);
  const perugia = sites.find((s) => s.municipality_code === '054039')!;
  assert.equal((await platform.post(paolo, `/azienda/sedi/${perugia.id}/principale`, {})).statusCode, 303);
  const assisi = hq[0]!;

  // A vacancy on the Assisi site keeps it; the public page shows published, unexpired vacancies.
  const paoloId = (
    await platform.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'datore@demo.sportello.example')
      .executeTakeFirstOrThrow()
  ).id;
  const vacancy = (title: string, status: 'published' | 'draft', expires: string) => ({
    region_code: '10',
    company_id: company.id,
    site_id: assisi.id,
    title,
    description: 'Cerchiamo una persona per il reparto tessitura, con esperienza.',
    municipality_code: '054001',
    contract_type: 'determinato' as const,
    hours: 'full_time' as const,
    expires_on: expires,
    status,
    created_by: paoloId,
    published_at: status === 'published' ? new Date() : null,
  });
  const future = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const past = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
  const [published] = await platform.db
    .insertInto('vacancies')
    .values([
      vacancy('Tessitore o tessitrice', 'published', future),
      vacancy('Bozza segreta', 'draft', future),
      vacancy('Offerta scaduta', 'published', past),
    ])
    .returning('id')
    .execute();
  const inUse = await platform.post(paolo, `/azienda/sedi/${assisi.id}/rimuovi`, {});
  assert.equal(inUse.statusCode, 409);
  assert.match(inUse.body, /usata da almeno un&#39;offerta|usata da almeno un'offerta/);
  // The space counts the site's vacancies (all three, whatever their state) and offers no removal.
  const space = await platform.get(paolo, '/azienda');
  assert.match(space.body, /<td>Assisi \(PG\)<\/td><td>[^<]*<\/td><td>[^<]*<\/td><td>3<\/td>/);
  assert.doesNotMatch(space.body, new RegExp(`/azienda/sedi/${assisi.id}/rimuovi`));

  const anon = platform.anonymous();
  const pub = await platform.get(anon, '/aziende/tessiture-chiascio');
  assert.equal(pub.statusCode, 200);
  assert.match(pub.body, /Tessiture del Chiascio S.r.l./);
  assert.match(pub.body, /Attività manifatturiere/);
  assert.match(pub.body, /Tessiamo lana e lino dal 1952./);
  assert.match(pub.body, /Assisi \(PG\)/);
  assert.match(pub.body, new RegExp(`href="/offerte/${published?.id}"`));
  assert.match(pub.body, /Tempo determinato/);
  assert.doesNotMatch(pub.body, /Bozza segreta/);
  assert.doesNotMatch(pub.body, /Offerta scaduta/);
  assert.match(pub.body, /"@type":"Organization"/);
  const en = await platform.get(anon, '/aziende/tessiture-chiascio?lang=en');
  assert.match(en.body, /Open vacancies/);
  const missing = await platform.get(anon, '/aziende/nessuna-azienda');
  assert.equal(missing.statusCode, 404);
  assert.match(missing.body, /Azienda non trovata/);
  assert.equal((await platform.get(anon, '/aziende/%3Cscript%3E')).statusCode, 404);
});

test('SPID/CIE for company users: link from the company space, then sign in to the company account', async () => {
  const citizen = await platform.signInAs('citizen');
  assert.equal((await platform.get(citizen, '/accedi/collega/spid')).statusCode, 403);
  const start = await platform.get(paolo, '/accedi/collega/spid');
  assert.equal(start.statusCode, 303, 'the link starts a SPID sign-in');
  const space = await platform.get(paolo, '/azienda');
  assert.match(space.body, /href="\/accedi\/collega\/cie"/);

  const sessionOf = async (email: string): Promise<Session> => {
    const u = await platform.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return {
      idHash: hashToken('not-a-real-session'),
      stage: 'active',
      authMethod: 'password',
      csrfSeed: 'seed',
      createdAt: new Date(),
      eidConfirmation: null,
      user: {
        id: u.id,
        regionCode: u.region_code,
        role: u.role,
        officeId: u.office_id,
        agencyId: u.agency_id,
        companyId: u.company_id,
        givenName: u.given_name,
        familyName: u.family_name,
        email: u.email,
        fiscalCode: u.fiscal_code,
        isMinor: u.is_minor,
        preferredLanguage: u.preferred_language,
      },
    };
  };
  const fiscalCode = computeCodiceFiscale({
    givenName: 'Paolo',
    familyName: 'Mariani',
    birthDate: '1970-03-02',
    sex: 'M',
    birthPlaceCode: 'G478',
  });
  const identity = (cf: string, purpose: 'sign_in' | 'confirm', returnTo: string | null): EidIdentity => ({
    provider: 'spid',
    subject: cf,
    fiscalNumber: `TINIT-${cf}`,
    givenName: 'Paolo',
    familyName: 'Mariani',
    birthdate: null,
    email: null,
    phone: null,
    acr: 'https://www.spid.gov.it/SpidL2',
    purpose,
    returnTo,
  });
  const client = { ip: '127.0.0.1' };
  const deps = { db: platform.db, audit: platform.audit };
  const paoloSession = await sessionOf('datore@demo.sportello.example');
  assert.equal(
    await linkEidToEmployer(
      deps,
      paoloSession,
      identity('RSSMRA80A01H501X', 'confirm', EMPLOYER_LINK_RETURN),
      client,
    ),
    'invalid_fiscal_code',
  );
  assert.equal(
    await linkEidToEmployer(
      deps,
      paoloSession,
      identity(fiscalCode, 'confirm', EMPLOYER_LINK_RETURN),
      client,
    ),
    'linked',
  );
  assert.match(
    (await platform.get(paolo, '/azienda?eid=linked')).body,
    new RegExp(`codice fiscale ${fiscalCode}`),
  );
  // The same identity cannot be linked to a second company account.
  const luciaSession = await sessionOf('lucia.bartolini@maglificio.example');
  assert.equal(
    await linkEidToEmployer(
      deps,
      luciaSession,
      identity(fiscalCode, 'confirm', EMPLOYER_LINK_RETURN),
      client,
    ),
    'already_linked',
  );
  const citizenSession = await sessionOf('cittadino@demo.sportello.example');
  assert.equal(
    await linkEidToEmployer(
      deps,
      citizenSession,
      identity(fiscalCode, 'confirm', EMPLOYER_LINK_RETURN),
      client,
    ),
    'not_allowed',
  );

  const eidDeps = {
    db: platform.db,
    audit: platform.audit,
    notifier: platform.notifier,
    config: platform.config,
    defaultRegion: platform.defaultRegion,
  };
  const userOfSession = async (token: string) =>
    (
      await platform.db
        .selectFrom('sessions')
        .select('user_id')
        .where('id_hash', '=', hashToken(token))
        .executeTakeFirstOrThrow()
    ).user_id;
  const asCompany = await signInWithEid(
    eidDeps,
    identity(fiscalCode, 'sign_in', EMPLOYER_EID_RETURN),
    client,
  );
  assert.ok(asCompany.ok);
  assert.equal(await userOfSession(asCompany.sessionToken), paoloSession.user.id);
  const plain = await signInWithEid(eidDeps, identity(fiscalCode, 'sign_in', null), client);
  assert.ok(
    plain.ok && !plain.created,
    'a person with only a company account gets it, no citizen is created',
  );
  assert.equal(await userOfSession(plain.sessionToken), paoloSession.user.id);

  // Someone with a citizen account and a linked company account: each door leads to its own account.
  const giuliaCf = (
    await platform.db
      .selectFrom('users')
      .select('fiscal_code')
      .where('email', '=', 'cittadino@demo.sportello.example')
      .executeTakeFirstOrThrow()
  ).fiscal_code!;
  assert.equal(
    await linkEidToEmployer(deps, luciaSession, identity(giuliaCf, 'confirm', EMPLOYER_LINK_RETURN), client),
    'linked',
  );
  const giuliaPlain = await signInWithEid(eidDeps, identity(giuliaCf, 'sign_in', null), client);
  assert.ok(giuliaPlain.ok);
  assert.equal(await userOfSession(giuliaPlain.sessionToken), citizenSession.user.id);
  const giuliaCompany = await signInWithEid(
    eidDeps,
    identity(giuliaCf, 'sign_in', EMPLOYER_EID_RETURN),
    client,
  );
  assert.ok(giuliaCompany.ok);
  assert.equal(await userOfSession(giuliaCompany.sessionToken), luciaSession.user.id);

  // A company sign-in with an identity linked to no company account creates nothing.
  const stranger = computeCodiceFiscale({
    givenName: 'Ada',
    familyName: 'Neri',
    birthDate: '1990-01-01',
    sex: 'F',
    birthPlaceCode: 'G478',
  });
  const none = await signInWithEid(eidDeps, identity(stranger, 'sign_in', EMPLOYER_EID_RETURN), client);
  assert.deepEqual(none, { ok: false, reason: 'no_company_account' });
  const created = await platform.db
    .selectFrom('users')
    .select('id')
    .where('fiscal_code', '=', stranger)
    .execute();
  assert.equal(created.length, 0);
  const noEid = await platform.get(platform.anonymous(), '/azienda/benvenuto?da=spid');
  assert.match(noEid.body, /non è collegata a nessun account aziendale/);
});
