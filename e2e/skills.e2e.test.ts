import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitForOutbox } from './support/agenda.ts';
import {
  CITIZEN_EMAIL,
  CITIZEN_PHONE,
  closeContext,
  expectAccessible,
  h1,
  MOBILE,
  newPage,
  OPERATOR_EMAIL,
  OPERATOR_PHONE,
  signInWithPassword,
} from './support/browser.ts';
import { choose, submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

const E = 'http://test.local/esco-e2e';
const COOK = `${E}/occupation/cook`;
const SKILLS = [
  { uri: `${E}/skill/knife`, label: 'Usare i coltelli da cucina', relation: 'essential' as const },
  { uri: `${E}/skill/hygiene`, label: 'Rispettare le norme igieniche', relation: 'essential' as const },
  { uri: `${E}/skill/wine`, label: 'Abbinare i vini ai piatti', relation: 'optional' as const },
];
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'),
  Buffer.alloc(512, 0x41),
]);

/**
 * The skills assessment end to end: the citizen, on a phone with JavaScript off, picks a target
 * occupation, tells past jobs and education, self-assesses the checklist, uploads evidence (an EXE
 * renamed .pdf is refused), submits and reads the gaps; the CPI operator validates; a badge is queued
 * and the person gets an e-mail. axe on every page.
 */
describe('skills assessment: self-assessment, evidence, validation, gaps', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let giulia: Page;
  let citizenId = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  const next = async (page: Page, path: string) => {
    await Promise.all([
      page.waitForURL((u) => u.pathname === path),
      page.getByRole('link', { name: 'Vai al passo successivo' }).click(),
    ]);
  };

  test('1. the citizen picks a target occupation from a phone without JavaScript', async () => {
    const db = suite.platform.db;
    await db
      .insertInto('esco_occupations')
      .values({
        uri: COOK,
        isco_code: '5120',
        label_it: 'Cuoco di ristorante',
        label_en: 'Restaurant cook',
        search_text: 'cuoco di ristorante restaurant cook',
      })
      .onConflict((oc) => oc.column('uri').doNothing())
      .execute();
    await db
      .insertInto('esco_skills')
      .values(
        SKILLS.map((s) => ({
          uri: s.uri,
          skill_type: 'skill/competence' as const,
          label_it: s.label,
          search_text: s.label.toLowerCase(),
        })),
      )
      .onConflict((oc) => oc.column('uri').doNothing())
      .execute();
    await db
      .insertInto('esco_occupation_skills')
      .values(SKILLS.map((s) => ({ occupation_uri: COOK, skill_uri: s.uri, relation: s.relation })))
      .onConflict((oc) => oc.columns(['occupation_uri', 'skill_uri']).doNothing())
      .execute();
    citizenId = (
      await db.selectFrom('users').select('id').where('email', '=', CITIZEN_EMAIL).executeTakeFirstOrThrow()
    ).id;

    giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/competenze`);
    assert.equal(await h1(giulia), 'Il tuo bilancio di competenze');
    await expectAccessible(giulia, '/competenze (new)');
    await Promise.all([
      giulia.waitForURL((u) => u.pathname === '/competenze/obiettivo'),
      giulia.getByRole('link', { name: 'Inizia il bilancio' }).click(),
    ]);
    await expectAccessible(giulia, '/competenze/obiettivo');
    await giulia.getByLabel('Nome del lavoro').fill('cuoco ristorante');
    await submit(giulia, 'Cerca', (u) => u.pathname === '/competenze/obiettivo' && u.searchParams.has('q'));
    await expectAccessible(giulia, '/competenze/obiettivo?q=…');
    await choose(giulia, 'Cuoco di ristorante');
    await submit(giulia, 'Aggiungi il lavoro scelto');
    await giulia.getByText('Lavoro aggiunto ai tuoi obiettivi.').waitFor();
    await expectAccessible(giulia, '/competenze/obiettivo (chosen)');
  });

  test('2. past jobs and education, with a mistake corrected', async () => {
    await next(giulia, '/competenze/esperienze');
    await expectAccessible(giulia, '/competenze/esperienze');
    await giulia.getByLabel('Che lavoro facevi').fill('Aiuto cuoco');
    await giulia.getByLabel('Per quanti anni').fill('molti');
    await submit(giulia, 'Aggiungi');
    await giulia.getByText('Scrivi gli anni con un numero da 0 a 60.').first().waitFor();
    assert.equal(await giulia.getByLabel('Che lavoro facevi').inputValue(), 'Aiuto cuoco');
    await expectAccessible(giulia, '/competenze/esperienze (error)');
    await giulia.getByLabel('Per quanti anni').fill('4');
    await submit(giulia, 'Aggiungi');
    await giulia.getByText('Aiuto cuoco: 4 anni').waitFor();

    await next(giulia, '/competenze/formazione');
    await expectAccessible(giulia, '/competenze/formazione');
    await giulia.getByLabel('Il tuo titolo di studio più alto').selectOption('3');
    await giulia.getByLabel('Nome del titolo di studio').fill('Qualifica di operatore della ristorazione');
    await giulia.getByLabel('Altre esperienze').fill('Cucino per la mensa della parrocchia.');
    await submit(giulia, 'Salva');
    await giulia.getByText('Dati salvati.').waitFor();
  });

  test('3. the checklist: essential skills first, a level for each', async () => {
    await next(giulia, '/competenze/abilita');
    await expectAccessible(giulia, '/competenze/abilita');
    const body = (await giulia.locator('main').textContent()) ?? '';
    assert.ok(body.indexOf('Rispettare le norme igieniche') < body.indexOf('Abbinare i vini ai piatti'));
    await choose(
      giulia,
      'Da solo/a anche in situazioni nuove',
      giulia.getByRole('group', { name: 'Usare i coltelli da cucina' }),
    );
    await choose(
      giulia,
      'Non la possiedo',
      giulia.getByRole('group', { name: 'Rispettare le norme igieniche' }),
    );
    await choose(giulia, 'Con aiuto', giulia.getByRole('group', { name: 'Abbinare i vini ai piatti' }));
    await submit(giulia, 'Salva');
    await giulia.getByText('Risposte salvate.').waitFor();
    assert.ok(
      await giulia
        .getByRole('group', { name: 'Usare i coltelli da cucina' })
        .getByLabel('Da solo/a anche in situazioni nuove')
        .isChecked(),
    );
  });

  test('4. evidence: an EXE renamed .pdf is refused, a PDF is kept', async () => {
    await next(giulia, '/competenze/prove');
    await expectAccessible(giulia, '/competenze/prove');
    await giulia
      .getByLabel('A quale competenza si riferisce')
      .selectOption({ label: 'Usare i coltelli da cucina' });
    await giulia
      .locator('#file')
      .setInputFiles({ name: 'attestato.pdf', mimeType: 'application/pdf', buffer: EXE });
    await submit(giulia, 'Carica');
    await giulia.getByText('Questo file non è un PDF, un JPEG o un PNG.', { exact: false }).first().waitFor();
    await expectAccessible(giulia, '/competenze/prove (refused)');
    assert.equal(await giulia.getByLabel('A quale competenza si riferisce').inputValue(), `${E}/skill/knife`);
    await giulia
      .locator('#file')
      .setInputFiles({ name: 'attestato.pdf', mimeType: 'application/pdf', buffer: PDF });
    await submit(giulia, 'Carica');
    await giulia.getByText('Documento caricato.').waitFor();
    await giulia.getByRole('link', { name: /attestato\.pdf/ }).waitFor();
    await expectAccessible(giulia, '/competenze/prove (uploaded)');
  });

  test('5. the citizen submits and reads the gaps', async () => {
    await next(giulia, '/competenze');
    await submit(giulia, "Invia all'operatore");
    await giulia.getByText('Hai inviato il bilancio.', { exact: false }).first().waitFor();
    await expectAccessible(giulia, '/competenze (submitted)');
    await giulia.getByRole('link', { name: 'Vedi cosa ti manca per il lavoro che cerchi' }).click();
    await giulia.waitForURL((u) => u.pathname === '/competenze/divario');
    assert.equal(await h1(giulia), 'Cosa ti manca per il lavoro che cerchi');
    await expectAccessible(giulia, '/competenze/divario');
    const text = (await giulia.locator('main').textContent()) ?? '';
    assert.ok(text.includes('1 competenza indispensabile che ti manca'), 'one essential skill missing');
    assert.ok(text.includes('Nessuna: ottimo!'), 'no optional skill missing');
    assert.ok(
      text.indexOf('Rispettare le norme igieniche') < text.indexOf('0 competenze utili che ti mancano'),
    );
  });

  test('6. the CPI operator validates; a badge is requested and the person told', async () => {
    const operator = await newPage(suite.browser);
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/persone/${citizenId}/competenze`);
    assert.match(await h1(operator), /^Bilancio di competenze di /);
    await expectAccessible(operator, '/operatore/persone/:id/competenze');
    await operator.getByLabel('Livello convalidato per Usare i coltelli da cucina').selectOption('3');
    await operator.getByLabel('Livello convalidato per Rispettare le norme igieniche').selectOption('2');
    await choose(operator, 'In presenza');
    await operator.getByLabel('Note').fill('Prova pratica in cucina didattica.');
    await submit(operator, 'Convalida');
    await operator.getByText('Bilancio convalidato.', { exact: false }).first().waitFor();
    await expectAccessible(operator, '/operatore/persone/:id/competenze (validated)');

    const a = await suite.platform.db
      .selectFrom('skill_assessments')
      .select(['id', 'status'])
      .where('citizen_id', '=', citizenId)
      .executeTakeFirstOrThrow();
    assert.equal(a.status, 'validated');
    const { rows } = await suite.platform.pool.query(
      "select 1 from pgboss.job where name = 'badge-issue' and data->>'sourceRef' = $1",
      [a.id],
    );
    assert.equal(rows.length, 1);
    await waitForOutbox(suite.platform.db, 'email', CITIZEN_EMAIL, 'bilancio di competenze');

    await giulia.goto(`${suite.base}/competenze`);
    await giulia.getByText('Il bilancio è stato convalidato da un operatore.').waitFor();
    await giulia.getByText('Usare i coltelli da cucina: Da solo/a anche in situazioni nuove').waitFor();
    await expectAccessible(giulia, '/competenze (validated)');
  });
});
