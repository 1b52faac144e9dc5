import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '../src/app/testing/test-platform.ts';
import { computeCodiceFiscale } from '../src/identity/domain/codice-fiscale.ts';
import { exportDossier } from '../src/portability/use-cases/export.ts';
import {
  CITIZEN_EMAIL,
  CITIZEN_PHONE,
  closeContext,
  expectAccessible,
  h1,
  newPage,
  OPERATOR_EMAIL,
  OPERATOR_PHONE,
  signInWithPassword,
} from './support/browser.ts';
import { choose } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

/**
 * Dossier portability, in the browser without JavaScript: the citizen prepares and downloads her
 * signed dossier; a CPI operator uploads a dossier that another running instance (Region 30)
 * signed, sees what arrived, and is told clearly when a file is not a dossier.
 */
describe('portability: the dossier moves between Regions', () => {
  let issuer: TestPlatform;
  let jws = '';
  const fiscalCode = computeCodiceFiscale({
    givenName: 'Nadia',
    familyName: 'Bassi',
    birthDate: '1988-02-03',
    sex: 'F',
    birthPlaceCode: 'B354',
  });
  // The other Region's instance starts first: the suite's instance trusts its key set.
  before(async () => {
    issuer = await startTestPlatform();
    process.env.PORTABILITY_TRUSTED_ISSUERS = `30=${issuer.config.publicUrl}/.well-known/sportello/jwks.json`;
    await issuer.pool.query(
      "insert into regions (region_code, name, is_national) values ('30', 'Regione Sardegna (prova)', false) on conflict do nothing",
    );
    const { rows } = await issuer.pool.query<{ id: string }>(
      "insert into users (region_code, role, fiscal_code, given_name, family_name, birth_date) values ('30', 'citizen', $1, 'Nadia', 'Bassi', '1988-02-03') returning id",
      [fiscalCode],
    );
    const id = rows[0]?.id ?? '';
    const deps = {
      db: issuer.db,
      audit: issuer.audit,
      config: issuer.config,
      portability: { signingKey: null, trustedIssuers: new Map<string, string>(), jwksTimeoutMs: 5000 },
    };
    const person = {
      id,
      regionCode: '30',
      role: 'citizen' as const,
      officeId: null,
      agencyId: null,
      companyId: null,
      givenName: 'Nadia',
      familyName: 'Bassi',
      email: null,
      fiscalCode,
      isMinor: false,
      preferredLanguage: 'it',
    };
    const made = await exportDossier(deps, person, id, null, 'it');
    assert.ok(made.ok);
    const row = await issuer.db
      .selectFrom('portability_exports')
      .select('jws')
      .where('id', '=', made.documentId)
      .executeTakeFirstOrThrow();
    jws = row.jws;
  });
  const suite = new BrowserSuite();
  const open: Page[] = [];
  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
    delete process.env.PORTABILITY_TRUSTED_ISSUERS;
    await issuer?.stop();
  });

  test('1. the citizen prepares her dossier and downloads the signed file (no JS)', async () => {
    const citizen = await newPage(suite.browser, { javaScript: false });
    open.push(citizen);
    await signInWithPassword(citizen, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await citizen.goto(`${suite.base}/i-miei-dati/portabilita`);
    assert.equal(await h1(citizen), "Porta i tuoi dati in un'altra Regione");
    await expectAccessible(citizen, '/i-miei-dati/portabilita (empty)');
    await citizen.getByRole('button', { name: 'Prepara il mio fascicolo' }).click();
    await citizen.waitForURL(/ok=/);
    await citizen.getByText('Il tuo fascicolo è pronto.').waitFor();
    await expectAccessible(citizen, '/i-miei-dati/portabilita (ready)');
    const [download] = await Promise.all([
      citizen.waitForEvent('download'),
      citizen.getByRole('link', { name: 'Scarica il file firmato (.jws)' }).first().click(),
    ]);
    assert.match(download.suggestedFilename(), /^fascicolo-10-1\.jws$/);
    const body = (await readFile((await download.path()) ?? '')).toString('utf8');
    assert.match(body, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    for (const lang of ['en', 'ar']) {
      await citizen.goto(`${suite.base}/i-miei-dati/portabilita?lang=${lang}`);
      await expectAccessible(citizen, `/i-miei-dati/portabilita?lang=${lang}`);
    }
    await citizen.goto(`${suite.base}/i-miei-dati/portabilita?lang=it`);
  });

  test('2. an operator uploads the dossier of Region 30, sees it, and a wrong file is refused', async () => {
    const operator = await newPage(suite.browser, { javaScript: false });
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/portabilita/importa`);
    assert.equal(await h1(operator), "Carica un fascicolo da un'altra Regione");
    await expectAccessible(operator, '/operatore/portabilita/importa (empty)');

    await operator
      .getByLabel('File del fascicolo (.jws)')
      .setInputFiles({ name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('not a dossier') });
    await operator.getByRole('button', { name: 'Carica il fascicolo' }).click();
    await operator.getByText('Questo file non è un fascicolo firmato (.jws).').first().waitFor();
    await expectAccessible(operator, '/operatore/portabilita/importa (refused)');

    await operator
      .getByLabel('File del fascicolo (.jws)')
      .setInputFiles({ name: 'fascicolo.jws', mimeType: 'application/jose', buffer: Buffer.from(jws) });
    await operator.getByRole('button', { name: 'Carica il fascicolo' }).click();
    await operator.waitForURL(/ok=/);
    await operator.getByText('Fascicolo di Nadia Bassi dalla Regione 30 caricato.').waitFor();
    await expectAccessible(operator, '/operatore/portabilita/importa (imported)');

    await operator.getByRole('link', { name: 'Vedi cosa contiene' }).click();
    assert.equal(await h1(operator), 'Fascicolo ricevuto: Nadia Bassi');
    await operator.getByText(fiscalCode, { exact: true }).waitFor();
    await expectAccessible(operator, '/operatore/portabilita/importazioni/<id>');

    // The same file again: nothing changes, and the page says so.
    await operator.goto(`${suite.base}/operatore/portabilita/importa`);
    await operator
      .getByLabel('File del fascicolo (.jws)')
      .setInputFiles({ name: 'fascicolo.jws', mimeType: 'application/jose', buffer: Buffer.from(jws) });
    await operator.getByRole('button', { name: 'Carica il fascicolo' }).click();
    await operator.waitForURL(/esito=invariato/);
    await operator.getByText(/era già stato caricato: non è cambiato niente/).waitFor();
    const count = await suite.platform.db
      .selectFrom('portability_imports')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
  });
  test('3. an operator prepares the dossier of a person at her request, purpose asked first', async () => {
    const person = await suite.platform.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    const operator = open[1] as Page;
    await operator.goto(`${suite.base}/operatore/persone/${person.id}/portabilita`);
    assert.equal(await h1(operator), 'Perché apri il fascicolo portabile?');
    await expectAccessible(operator, '/operatore/persone/<id>/portabilita (purpose)');
    await choose(operator, 'Colloquio');
    await operator.getByRole('button', { name: 'Continua' }).click();
    await operator.waitForURL(/purpose=interview/);
    assert.match(await h1(operator), /^Fascicolo portabile di Giulia Conti$/);
    await expectAccessible(operator, '/operatore/persone/<id>/portabilita');
    await operator.getByRole('button', { name: 'Prepara il fascicolo' }).click();
    await operator.waitForURL(/ok=/);
    await operator.getByText('Il fascicolo è pronto. Consegnalo alla persona.').waitFor();
    await expectAccessible(operator, '/operatore/persone/<id>/portabilita (ready)');
  });
});
