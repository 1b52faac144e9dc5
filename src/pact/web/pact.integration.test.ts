import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../../app/testing/test-platform.ts';
import { newTotpSecret, totpFor } from '../../identity/domain/second-factor.ts';
import { confirmWithEid } from '../../identity/use-cases/confirm-with-eid.ts';
import { hashToken, loadSession, type SessionUser, setEidConfirmation } from '../../platform/auth/session.ts';
import { signPact } from '../use-cases/pact.ts';

/**
 * The pact end to end through HTTP: draft, proposal, change request, new version, signatures with
 * one-time codes (wrong, expired, reused, too many), the signed copy and its verification, uploads
 * compared with the original, the frozen proposed text, the three-party form and amendments.
 * The tests run in order and share the state below.
 */
let platform: TestPlatform;
let giulia: Visitor;
let operator: Visitor;
let apl: Visitor;
let other: Visitor;
let otherId = '';
let pactId = '';
let signedCode = '';

const inFuture = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The code in the newest queued signing SMS to a number. */
async function lastSignCode(to: string): Promise<string> {
  const { rows } = await platform.pool.query<{ data: { text: string } }>(
    "select data from pgboss.job where name = 'send-sms' and data->>'key' like 'pact-sign-code:%' and data->>'to' = $1 order by created_on desc limit 1",
    [to],
  );
  const code = /(\d{6})/.exec(rows[0]?.data.text ?? '')?.[1];
  assert.ok(code, `a signing code was sent to ${to}`);
  return code;
}

async function phoneOf(userId: string) {
  const u = await platform.db
    .selectFrom('users')
    .select('phone')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return u.phone!;
}

const draftFields = (overrides: Record<string, string> = {}) => ({
  service_0: 'colloquio_specialistico',
  target_0: inFuture(10),
  service_1: 'orientamento',
  target_1: inFuture(30),
  cpi_commitments:
    'Proporre i servizi del calendario. (fonte: D.Lgs. 150/2015, art. 20)\nSegnalare offerte adatte.',
  citizen_commitments:
    'Partecipare ai colloqui.\nAccettare le offerte congrue. (fonte: D.Lgs. 150/2015, art. 25)',
  notes: '',
  agency: '',
  ...overrides,
});

async function versionRow(version: number) {
  return platform.db
    .selectFrom('pact_versions')
    .selectAll()
    .where('pact_id', '=', pactId)
    .where('version', '=', version)
    .executeTakeFirstOrThrow();
}

const signatureCount = async (id = pactId) =>
  Number(
    (
      await platform.db
        .selectFrom('pact_signatures')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('pact_id', '=', id)
        .executeTakeFirstOrThrow()
    ).n,
  );

function multipart(visitor: Visitor, file: { name: string; type: string; data: Buffer } | null) {
  const boundary = '----sportello-test-boundary';
  const parts: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${visitor.csrf}\r\n`),
  ];
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    headers: { cookie: visitor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat(parts),
  };
}

before(async () => {
  platform = await startTestPlatform();
  giulia = await platform.signInAs('citizen');
  operator = await platform.signInAs('cpi_operator');
  apl = await platform.signInAs('apl_operator');
  await platform.db
    .insertInto('citizen_profiles')
    .values({ region_code: giulia.regionCode!, user_id: giulia.userId!, benefits: ['naspi'] })
    .onConflict((oc) => oc.columns(['region_code', 'user_id']).doUpdateSet({ benefits: ['naspi'] }))
    .execute();
  const someone = await platform.db
    .insertInto('users')
    .values({
      region_code: giulia.regionCode!,
      role: 'citizen',
      given_name: 'Marco',
      family_name: 'Rossi',
      email: 'marco.rossi@example.org',
      phone: '+39 333 1234567',
    })
    .returning(['id', 'region_code'])
    .executeTakeFirstOrThrow();
  otherId = someone.id;
  other = await platform.signInAsUser(someone.id, someone.region_code);
});
after(async () => {
  await platform.stop();
});

describe('the patto di servizio', () => {
  test('draft (errors keep the values) → propose (PDF + SHA-256, person notified) → change request → new draft → propose', async () => {
    const page = await platform.get(operator, `/operatore/persone/${giulia.userId}/patto`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /non ha ancora un patto/);
    assert.match(page.body, /Accettare le offerte di lavoro congrue/, 'NASpI obligations from the profile');
    assert.match(page.body, /D\.Lgs\. 150\/2015, art\. 21/);

    const bad = await platform.post(
      operator,
      `/operatore/persone/${giulia.userId}/patto`,
      draftFields({
        service_0: 'bogus',
        target_1: '2020-02-30',
        notes: 'Nota da tenere',
        cpi_commitments: '',
      }),
    );
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Scegli un servizio/);
    assert.match(bad.body, /Scrivi una data valida/);
    assert.match(bad.body, /Nota da tenere/, 'typed values kept');
    assert.equal(await platform.db.selectFrom('pacts').select('id').executeTakeFirst(), undefined);

    const saved = await platform.post(operator, `/operatore/persone/${giulia.userId}/patto`, draftFields());
    assert.equal(saved.statusCode, 303);
    const pact = await platform.db.selectFrom('pacts').selectAll().executeTakeFirstOrThrow();
    pactId = pact.id;
    assert.equal(pact.status, 'draft');
    assert.equal(pact.citizen_id, giulia.userId);
    assert.equal(pact.coach_id, operator.userId);
    const v1 = await versionRow(1);
    const content = v1.content as { obligations: { benefit: string }[]; services: unknown[] };
    assert.ok(content.obligations.length > 0 && content.obligations.every((o) => o.benefit === 'naspi'));
    assert.equal(content.services.length, 2);

    // Not shown to the person while it is a draft.
    assert.match((await platform.get(giulia, '/patto')).body, /Non hai ancora un patto/);

    const proposed = await platform.post(operator, `/operatore/patti/${pactId}/proponi`, {});
    assert.equal(proposed.statusCode, 303);
    const v1p = await versionRow(1);
    assert.equal(v1p.status, 'proposed');
    assert.ok(v1p.pdf && v1p.pdf.subarray(0, 5).toString() === '%PDF-');
    assert.equal(v1p.sha256, createHash('sha256').update(v1p.pdf).digest('hex'));
    const mail = await platform.lastQueuedEmail(`pact:${pactId}:v1:proposed:email`);
    assert.ok(mail);
    assert.match(mail.text, /\/patto/);

    // The proposed text is frozen.
    await assert.rejects(
      platform.db
        .updateTable('pact_versions')
        .set({ content: JSON.stringify({ changed: true }) })
        .where('pact_id', '=', pactId)
        .where('version', '=', 1)
        .execute(),
      /frozen/,
    );
    await assert.rejects(
      platform.db.updateTable('pact_versions').set({ sha256: 'x' }).where('pact_id', '=', pactId).execute(),
      /frozen/,
    );

    const mine = await platform.get(giulia, '/patto');
    assert.equal(mine.statusCode, 200);
    assert.match(mine.body, /In breve/);
    assert.match(mine.body, /Colloquio specialistico, entro il/);
    assert.match(mine.body, /Chiedi una modifica/);
    const pdf = await platform.get(giulia, '/patto/versioni/1/pdf');
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');

    const empty = await platform.post(giulia, '/patto/modifica', { message: '  ' });
    assert.equal(empty.statusCode, 400);
    const asked = await platform.post(giulia, '/patto/modifica', {
      message: 'Il colloquio è troppo presto.',
    });
    assert.equal(asked.statusCode, 303);
    assert.equal((await versionRow(1)).status, 'changes_requested');
    const opPage = await platform.get(operator, `/operatore/persone/${giulia.userId}/patto`);
    assert.match(opPage.body, /Il colloquio è troppo presto\./);
    assert.match(opPage.body, /modifica richiesta dalla persona/);

    const noReason = await platform.post(operator, `/operatore/patti/${pactId}/nuova-versione`, {
      reason: '',
    });
    assert.equal(noReason.statusCode, 400);
    const v2 = await platform.post(operator, `/operatore/patti/${pactId}/nuova-versione`, {
      reason: 'Data del colloquio spostata su richiesta',
    });
    assert.equal(v2.statusCode, 303);
    const redraft = await platform.get(operator, `/operatore/persone/${giulia.userId}/patto`);
    assert.match(
      redraft.body,
      /Il colloquio è troppo presto\./,
      'the request stays in sight while redrafting',
    );
    assert.match(redraft.body, /Salva la bozza/);
    const edited = await platform.post(
      operator,
      `/operatore/persone/${giulia.userId}/patto`,
      draftFields({ target_0: inFuture(20) }),
    );
    assert.equal(edited.statusCode, 303);
    assert.equal((await platform.post(operator, `/operatore/patti/${pactId}/proponi`, {})).statusCode, 303);
    assert.equal((await versionRow(2)).status, 'proposed');
    assert.equal((await versionRow(1)).status, 'changes_requested', 'the old version stays as it was');
  });

  test('the citizen signs with an SMS code: wrong codes counted, 6th attempt refused, expired and reused codes refused, nothing half-written', async () => {
    const mobile = await phoneOf(giulia.userId!);
    const noCode = await platform.post(giulia, '/patto/firma', { method: 'sms_code', code: '123456' });
    assert.equal(noCode.statusCode, 400);
    assert.match(noCode.body, /Chiedi prima il codice/);

    assert.equal((await platform.post(giulia, '/patto/codice', {})).statusCode, 303);
    const code = await lastSignCode(mobile);
    const stored = await platform.db.selectFrom('pact_sign_codes').selectAll().executeTakeFirstOrThrow();
    assert.notEqual(stored.code_hash, code, 'stored hashed');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const r = await platform.post(giulia, '/patto/firma', { method: 'sms_code', code: wrong });
      assert.equal(r.statusCode, 400);
      assert.match(r.body, new RegExp(`Tentativi rimasti: ${5 - i}`));
    }
    const fifth = await platform.post(giulia, '/patto/firma', { method: 'sms_code', code: wrong });
    assert.match(fifth.body, /troppe volte/);
    const sixth = await platform.post(giulia, '/patto/firma', { method: 'sms_code', code });
    assert.equal(sixth.statusCode, 400, 'the 6th attempt is refused even with the right code');
    assert.match(sixth.body, /troppe volte/);
    assert.equal(await signatureCount(), 0);
    assert.equal(
      (await platform.db.selectFrom('pact_sign_codes').select('attempts').executeTakeFirstOrThrow()).attempts,
      5,
    );

    // Expired.
    assert.equal((await platform.post(giulia, '/patto/codice', {})).statusCode, 303);
    const expiring = await lastSignCode(mobile);
    await platform.db
      .updateTable('pact_sign_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('used_at', 'is', null)
      .where('attempts', '=', 0)
      .execute();
    const expired = await platform.post(giulia, '/patto/firma', { method: 'sms_code', code: expiring });
    assert.equal(expired.statusCode, 400);
    assert.match(expired.body, /scaduto/);
    assert.equal(await signatureCount(), 0);

    // Another person cannot sign Giulia's pact (not found), and has no pact page of hers.
    const otherUser = { id: otherId, regionCode: giulia.regionCode!, role: 'citizen' } as SessionUser;
    const foreign = await signPact(platform, otherUser, {
      pactId,
      code: expiring,
      method: 'sms_code',
      ip: null,
      userAgent: null,
    });
    assert.deepEqual(foreign, { ok: false, reason: 'not_found' });
    assert.equal((await platform.get(other, '/patto/versioni/2/pdf')).statusCode, 404);
    assert.equal((await platform.get(other, `/operatore/patti/${pactId}`)).statusCode, 403);
    assert.match((await platform.get(other, '/patto')).body, /Non hai ancora un patto/);

    // The good one.
    assert.equal((await platform.post(giulia, '/patto/codice', {})).statusCode, 303);
    const good = await lastSignCode(mobile);
    const signed = await platform.app.inject({
      method: 'POST',
      url: '/patto/firma',
      headers: {
        cookie: giulia.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'TestPhone/1.0',
      },
      payload: new URLSearchParams({ _csrf: giulia.csrf, method: 'sms_code', code: good }).toString(),
    });
    assert.equal(signed.statusCode, 303);
    assert.match(String(signed.headers.location), /ok=signed/);
    const sig = await platform.db.selectFrom('pact_signatures').selectAll().executeTakeFirstOrThrow();
    assert.equal(sig.party, 'citizen');
    assert.equal(sig.signer_id, giulia.userId);
    assert.equal(sig.method, 'sms_code');
    assert.equal(sig.version, 2);
    assert.equal(sig.document_sha256, (await versionRow(2)).sha256);
    assert.equal(sig.user_agent, 'TestPhone/1.0');
    assert.ok(sig.ip_address);
    assert.equal(sig.at_desk, false);
    const audit = await platform.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'pact.signed_by')
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(
      (await platform.db.selectFrom('pacts').select('status').executeTakeFirstOrThrow()).status,
      'signing',
    );

    // Reused: the same code again is refused and writes nothing.
    const reused = await platform.post(giulia, '/patto/firma', { method: 'sms_code', code: good });
    assert.equal(reused.statusCode, 400);
    assert.equal(await signatureCount(), 1);
    // Signatures are append-only.
    await assert.rejects(platform.db.deleteFrom('pact_signatures').execute(), /append-only/);

    const page = await platform.get(giulia, '/patto');
    assert.match(page.body, /Firmato da Giulia Conti/);
    assert.match(page.body, /In attesa della firma/);
  });

  test('the CPI signs with its own code: signed copy issued, obligations, national event, the code verifies', async () => {
    assert.equal((await platform.post(operator, `/operatore/patti/${pactId}/codice`, {})).statusCode, 303);
    const code = await lastSignCode(await phoneOf(operator.userId!));
    const res = await platform.post(operator, `/operatore/patti/${pactId}/firma`, {
      method: 'sms_code',
      code,
    });
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /ok=completed/);
    const v2 = await versionRow(2);
    assert.equal(v2.status, 'signed');
    assert.ok(v2.verification_code);
    signedCode = v2.verification_code!;
    const doc = await platform.db
      .selectFrom('issued_documents')
      .selectAll()
      .where('verification_code', '=', signedCode)
      .executeTakeFirstOrThrow();
    assert.equal(doc.kind, 'pact');
    assert.equal(doc.user_id, giulia.userId);
    assert.equal(
      (await platform.db.selectFrom('pacts').select('status').executeTakeFirstOrThrow()).status,
      'signed',
    );
    const obligations = await platform.db.selectFrom('benefit_obligations').selectAll().execute();
    assert.ok(
      obligations.length >= 3 &&
        obligations.every((o) => o.active && o.version === 2 && o.benefit === 'naspi'),
    );
    const outbox = await platform.db
      .selectFrom('national_outbox')
      .selectAll()
      .where('kind', '=', 'pact.signed')
      .executeTakeFirstOrThrow();
    assert.equal(outbox.idempotency_key, `pact:${pactId}:v2:signed`);
    assert.ok(await platform.lastQueuedEmail(`pact:${pactId}:v2:signed:email`));

    const verify = await platform.get(platform.anonymous(), `/verifica/${signedCode}`);
    assert.equal(verify.statusCode, 200);
    assert.match(verify.body, /autentico/);
    assert.match(verify.body, /La persona: firmato il/);
    assert.match(verify.body, /Il centro per l&#39;impiego: firmato il|Il centro per l'impiego: firmato il/);
    const unknown = await platform.get(platform.anonymous(), '/verifica/AAAA-BBBB-CCCC');
    assert.equal(unknown.statusCode, 404);

    const copy = await platform.get(giulia, '/patto/versioni/2/pdf');
    assert.equal(copy.statusCode, 200);
    assert.equal(
      createHash('sha256').update(copy.rawPayload).digest('hex'),
      doc.sha256,
      'the citizen downloads the signed copy',
    );
  });

  test('a PDF uploaded at /verifica is compared with the original: identical, altered, not a PDF, empty', async () => {
    const anon = platform.anonymous();
    const doc = await platform.db
      .selectFrom('issued_documents')
      .select('pdf')
      .where('verification_code', '=', signedCode)
      .executeTakeFirstOrThrow();
    const send = (file: { name: string; type: string; data: Buffer } | null) =>
      platform.app.inject({ method: 'POST', url: `/verifica/${signedCode}`, ...multipart(anon, file) });

    const same = await send({ name: 'patto.pdf', type: 'application/pdf', data: doc.pdf });
    assert.equal(same.statusCode, 200);
    assert.match(same.body, /identico all&#39;originale|identico all'originale/);

    const altered = Buffer.from(doc.pdf);
    const at = Math.floor(altered.length / 2);
    altered[at] = altered[at]! ^ 0x01;
    const changed = await send({ name: 'patto.pdf', type: 'application/pdf', data: altered });
    assert.equal(changed.statusCode, 200);
    assert.match(changed.body, /è stato modificato/);

    const text = await send({
      name: 'patto.pdf',
      type: 'application/pdf',
      data: Buffer.from('hello, not a pdf'),
    });
    assert.equal(text.statusCode, 400);
    assert.match(text.body, /non è un PDF/);

    const none = await send(null);
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Scegli un file PDF/);
  });

  test('an amendment makes a new version; the old one stays readable and is superseded once the new one is signed', async () => {
    const r = await platform.post(operator, `/operatore/patti/${pactId}/nuova-versione`, {
      reason: 'Aggiunto un bilancio di competenze',
    });
    assert.equal(r.statusCode, 303);
    assert.equal(
      (
        await platform.post(
          operator,
          `/operatore/persone/${giulia.userId}/patto`,
          draftFields({ service_2: 'bilancio_competenze', target_2: inFuture(40) }),
        )
      ).statusCode,
      303,
    );
    // While the amendment is drafted the person still sees the signed version.
    const during = await platform.get(giulia, '/patto');
    assert.match(during.body, /sta preparando una nuova versione/);
    assert.equal((await platform.post(operator, `/operatore/patti/${pactId}/proponi`, {})).statusCode, 303);
    assert.equal((await versionRow(2)).status, 'signed', 'still in force until the new one is signed');

    // The citizen signs at the desk this time.
    assert.equal(
      (await platform.post(operator, `/operatore/patti/${pactId}/sportello/codice`, {})).statusCode,
      303,
    );
    const deskCode = await lastSignCode(await phoneOf(giulia.userId!));
    const desk = await platform.post(operator, `/operatore/patti/${pactId}/sportello/firma`, {
      desk_code: deskCode,
    });
    assert.equal(desk.statusCode, 303);
    const deskSig = await platform.db
      .selectFrom('pact_signatures')
      .selectAll()
      .where('version', '=', 3)
      .where('party', '=', 'citizen')
      .executeTakeFirstOrThrow();
    assert.equal(deskSig.at_desk, true);
    assert.equal(deskSig.signer_id, giulia.userId);
    // The operator signs with the authenticator app this time.
    const secret = newTotpSecret();
    await platform.db
      .updateTable('users')
      .set({ totp_secret: secret, totp_enabled_at: new Date() })
      .where('id', '=', operator.userId!)
      .execute();
    const opPage = await platform.get(operator, `/operatore/persone/${giulia.userId}/patto`);
    assert.match(opPage.body, /app di autenticazione/);
    const badTotp = await platform.post(operator, `/operatore/patti/${pactId}/firma`, {
      method: 'totp',
      code: '000000',
    });
    assert.equal(badTotp.statusCode, 400);
    const totp = totpFor(secret, 'x').generate();
    const viaApp = await platform.post(operator, `/operatore/patti/${pactId}/firma`, {
      method: 'totp',
      code: totp,
    });
    assert.equal(viaApp.statusCode, 303);
    assert.match(String(viaApp.headers.location), /ok=completed/);
    const cpiSig = await platform.db
      .selectFrom('pact_signatures')
      .selectAll()
      .where('version', '=', 3)
      .where('party', '=', 'cpi')
      .executeTakeFirstOrThrow();
    assert.equal(cpiSig.method, 'totp');

    assert.equal((await versionRow(3)).status, 'signed');
    assert.equal((await versionRow(2)).status, 'superseded');
    const obligations = await platform.db.selectFrom('benefit_obligations').selectAll().execute();
    assert.ok(obligations.filter((o) => o.version === 2).every((o) => !o.active));
    assert.ok(
      obligations.filter((o) => o.version === 3).length > 0 &&
        obligations.filter((o) => o.version === 3).every((o) => o.active),
    );

    const old = await platform.get(operator, `/operatore/patti/${pactId}/versioni/2/pdf`);
    assert.equal(old.statusCode, 200);
    assert.equal(old.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const mine = await platform.get(giulia, '/patto');
    assert.match(mine.body, /Versione 2: sostituita da una versione successiva/);
    assert.match(mine.body, /Versione 3: firmata/);
    assert.match(mine.body, /\(allo sportello\)/);
    assert.equal(
      (await platform.get(platform.anonymous(), `/verifica/${signedCode}`)).statusCode,
      200,
      'the old copy still verifies',
    );
  });

  test('the citizen signs with a fresh SPID sign-in: only their own identity, within 10 minutes, once', async () => {
    // Another amendment, proposed.
    await platform.post(operator, `/operatore/patti/${pactId}/nuova-versione`, { reason: 'Nuova data' });
    await platform.post(operator, `/operatore/persone/${giulia.userId}/patto`, draftFields());
    assert.equal((await platform.post(operator, `/operatore/patti/${pactId}/proponi`, {})).statusCode, 303);
    const page = await platform.get(giulia, '/patto');
    assert.match(page.body, /href="\/accedi\/conferma\/spid\?next=%2Fpatto%23eid"/);

    // Without a confirmation, nothing is signed and the person is told why.
    const none = await platform.post(giulia, '/patto/firma-eid', {});
    assert.equal(none.statusCode, 400);
    assert.match(
      none.body,
      /La conferma con SPID o CIE non c&#39;è più o è scaduta|La conferma con SPID o CIE non c'è più o è scaduta/,
    );

    // The identity provider asserts someone else: refused, audited, the session holds nothing.
    const sessionHash = hashToken(giulia.cookie.split('=')[1]!);
    const session = await loadSession(platform.db, giulia.cookie.split('=')[1]!);
    assert.ok(session);
    const { fiscal_code } = await platform.db
      .selectFrom('users')
      .select('fiscal_code')
      .where('id', '=', giulia.userId!)
      .executeTakeFirstOrThrow();
    const identity = (fiscalNumber: string) => ({
      provider: 'spid' as const,
      subject: 's',
      fiscalNumber,
      givenName: 'Giulia',
      familyName: 'Conti',
      birthdate: null,
      email: null,
      phone: null,
      acr: 'https://www.spid.gov.it/SpidL2',
      purpose: 'confirm' as const,
      returnTo: '/patto#eid',
    });
    const client = { ip: '127.0.0.1', userAgent: 'test' };
    assert.deepEqual(await confirmWithEid(platform, session, identity('TINIT-RSSMRA80A01H501U'), client), {
      ok: false,
      reason: 'mismatch',
    });
    assert.equal((await platform.post(giulia, '/patto/firma-eid', {})).statusCode, 400);

    // A confirmation older than 10 minutes does not sign either.
    await setEidConfirmation(platform.db, sessionHash, 'spid', new Date(Date.now() - 11 * 60_000));
    assert.equal((await platform.post(giulia, '/patto/firma-eid', {})).statusCode, 400);

    // Her own identity: the page says so, one button signs, the confirmation is used up.
    assert.deepEqual(await confirmWithEid(platform, session, identity(`TINIT-${fiscal_code}`), client), {
      ok: true,
    });
    const confirmed = await platform.get(giulia, '/patto');
    assert.match(confirmed.body, /Hai confermato la tua identità con SPID alle/);
    const signed = await platform.post(giulia, '/patto/firma-eid', {});
    assert.equal(signed.statusCode, 303);
    assert.match(String(signed.headers.location), /ok=signed/);
    const sig = await platform.db
      .selectFrom('pact_signatures')
      .selectAll()
      .where('pact_id', '=', pactId)
      .where('version', '=', 4)
      .where('party', '=', 'citizen')
      .executeTakeFirstOrThrow();
    assert.equal(sig.method, 'spid');
    assert.equal(sig.at_desk, false);
    const after = await platform.db
      .selectFrom('sessions')
      .select('eid_confirmed_at')
      .where('id_hash', '=', sessionHash)
      .executeTakeFirstOrThrow();
    assert.equal(after.eid_confirmed_at, null);
    const audits = await platform.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('action', '=', 'confirm.spid')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audits.map((a) => a.outcome),
      ['refused', 'ok'],
    );
    // The CPI completes version 4, as before.
    const code = await (async () => {
      await platform.post(operator, `/operatore/patti/${pactId}/codice`, {});
      return lastSignCode(await phoneOf(operator.userId!));
    })();
    const done = await platform.post(operator, `/operatore/patti/${pactId}/firma`, {
      method: 'sms_code',
      code,
    });
    assert.match(String(done.headers.location), /ok=completed/);
  });

  test('three-party pact: the agency must sign, its status is shown; an agency sees only its pacts', async () => {
    assert.equal(
      (await platform.get(apl, `/operatore/patti/${pactId}`)).statusCode,
      404,
      'a two-party pact is not the agency’s',
    );
    const agencyId = (
      await platform.db
        .selectFrom('users')
        .select('agency_id')
        .where('id', '=', apl.userId!)
        .executeTakeFirstOrThrow()
    ).agency_id!;
    const saved = await platform.post(
      operator,
      `/operatore/persone/${otherId}/patto`,
      draftFields({ agency: agencyId }),
    );
    assert.equal(saved.statusCode, 303);
    const pact = await platform.db
      .selectFrom('pacts')
      .selectAll()
      .where('citizen_id', '=', otherId)
      .executeTakeFirstOrThrow();
    assert.equal(pact.agency_id, agencyId);
    assert.equal((await platform.post(operator, `/operatore/patti/${pact.id}/proponi`, {})).statusCode, 303);

    assert.equal((await platform.post(other, '/patto/codice', {})).statusCode, 303);
    const c1 = await lastSignCode(await phoneOf(otherId));
    assert.equal(
      (await platform.post(other, '/patto/firma', { method: 'sms_code', code: c1 })).statusCode,
      303,
    );
    assert.equal((await platform.post(operator, `/operatore/patti/${pact.id}/codice`, {})).statusCode, 303);
    const c2 = await lastSignCode(await phoneOf(operator.userId!));
    const cpi = await platform.post(operator, `/operatore/patti/${pact.id}/firma`, {
      method: 'sms_code',
      code: c2,
    });
    assert.match(String(cpi.headers.location), /ok=signed/, 'not complete without the agency');
    const state = await platform.db
      .selectFrom('pacts')
      .select('status')
      .where('id', '=', pact.id)
      .executeTakeFirstOrThrow();
    assert.equal(state.status, 'signing');

    const aplPage = await platform.get(apl, `/operatore/patti/${pact.id}`);
    assert.equal(aplPage.statusCode, 200);
    assert.match(aplPage.body, /L&#39;agenzia per il lavoro|L'agenzia per il lavoro/);
    assert.match(aplPage.body, /In attesa della firma/);
    assert.match((await platform.get(other, '/patto')).body, /In attesa della firma/);

    assert.equal((await platform.post(apl, `/operatore/patti/${pact.id}/codice`, {})).statusCode, 303);
    const c3 = await lastSignCode(await phoneOf(apl.userId!));
    const done = await platform.post(apl, `/operatore/patti/${pact.id}/firma`, {
      method: 'sms_code',
      code: c3,
    });
    assert.equal(done.statusCode, 303);
    assert.match(String(done.headers.location), /ok=completed/);
    const sigs = await platform.db
      .selectFrom('pact_signatures')
      .select('party')
      .where('pact_id', '=', pact.id)
      .execute();
    assert.deepEqual(sigs.map((s) => s.party).sort(), ['apl', 'citizen', 'cpi']);
    const v = await platform.db
      .selectFrom('pact_versions')
      .select(['status', 'verification_code'])
      .where('pact_id', '=', pact.id)
      .executeTakeFirstOrThrow();
    assert.equal(v.status, 'signed');
    const verify = await platform.get(platform.anonymous(), `/verifica/${v.verification_code}`);
    assert.match(verify.body, /agenzia per il lavoro: firmato il/);
  });
});
