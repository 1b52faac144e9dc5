import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
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

const ESCO = 'http://data.europa.eu/esco/skill/e2e-training-';
const OCC = 'http://data.europa.eu/esco/occupation/e2e-training-welder';
const TITLE = 'Saldatura TIG per principianti';

function isoIn(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The training catalogue end to end: the CPI operator registers a provider and publishes a course
 * with ESCO skills; Giulia, on a phone without JavaScript, sees it among the courses recommended for
 * her gaps and asks to enrol; the operator confirms and marks it completed (activity and badge job);
 * axe on every page. The tests run in order and share the pages below.
 */
describe('training: catalogue, recommendations, enrolment, completion', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let operator: Page;
  let giulia: Page;
  let courseId = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  test('1. the CPI operator registers a provider and publishes a course with ESCO skills', async () => {
    const db = suite.platform.db;
    await db
      .insertInto('esco_skills')
      .values([
        {
          uri: `${ESCO}weld`,
          label_it: 'Saldare con procedimento TIG',
          search_text: 'saldare con procedimento tig',
        },
        {
          uri: `${ESCO}drawings`,
          label_it: 'Leggere disegni tecnici',
          search_text: 'leggere disegni tecnici',
        },
        {
          uri: `${ESCO}safety`,
          label_it: 'Applicare norme di sicurezza',
          search_text: 'applicare norme di sicurezza',
        },
      ])
      .execute();
    await db
      .insertInto('esco_occupations')
      .values({ uri: OCC, isco_code: '7212', label_it: 'Saldatore' })
      .execute();
    await db
      .insertInto('esco_occupation_skills')
      .values([
        { occupation_uri: OCC, skill_uri: `${ESCO}weld`, relation: 'essential' },
        { occupation_uri: OCC, skill_uri: `${ESCO}drawings`, relation: 'essential' },
        { occupation_uri: OCC, skill_uri: `${ESCO}safety`, relation: 'optional' },
      ])
      .execute();

    operator = await newPage(suite.browser);
    open.push(operator);
    await signInWithPassword(operator, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
    await operator.goto(`${suite.base}/operatore/corsi`);
    assert.equal(await h1(operator), 'Corsi di formazione');
    await expectAccessible(operator, '/operatore/corsi');

    await operator.goto(`${suite.base}/operatore/corsi/enti`);
    await expectAccessible(operator, '/operatore/corsi/enti');
    await submit(operator, "Registra l'ente");
    assert.equal(operator.url().endsWith('/operatore/corsi/enti'), true, 'errors re-render the same page');
    await operator.locator('#error-summary').waitFor();
    await expectAccessible(operator, '/operatore/corsi/enti (errors)');
    await operator.getByLabel("Nome dell'ente").fill('Scuola Edile Umbra');
    await operator.getByLabel('Partita IVA').fill('01234567897');
    await submit(operator, "Registra l'ente", (u) => u.searchParams.get('ok') === 'created');

    await operator.goto(`${suite.base}/operatore/corsi/nuovo`);
    await expectAccessible(operator, '/operatore/corsi/nuovo');
    await operator.getByLabel('Ente di formazione').selectOption({ label: 'Scuola Edile Umbra' });
    await operator.getByLabel('Titolo').fill(TITLE);
    await operator.getByLabel('Modalità').selectOption('in_person');
    await operator.getByLabel('Comune').selectOption({ label: 'Perugia' });
    await operator.getByLabel('Data di inizio').fill(isoIn(7));
    await operator.getByLabel('Data di fine').fill(isoIn(30));
    await operator.getByLabel('Durata in ore').fill('60');
    await operator.getByLabel('Posti').fill('10');
    await operator.getByLabel('Costo in euro').fill('0');
    await operator.getByLabel('Finanziamento').selectOption('gol');
    await operator.getByLabel('Cerca una competenza ESCO').fill('saldare');
    await submit(operator, 'Cerca la competenza');
    await expectAccessible(operator, '/operatore/corsi/nuovo (skill search)');
    await choose(operator, 'Saldare con procedimento TIG');
    await operator.getByLabel('Cerca una competenza ESCO').fill('disegni');
    await submit(operator, 'Cerca la competenza');
    assert.ok(await operator.locator(`input[value="${ESCO}weld"]`).isChecked(), 'the chosen skill stays');
    await choose(operator, 'Leggere disegni tecnici');
    await submit(operator, 'Salva il corso', (u) => /^\/operatore\/corsi\/[0-9a-f-]{36}$/.test(u.pathname));
    courseId = new URL(operator.url()).pathname.split('/').pop() ?? '';
    await operator.getByText('Corso salvato.').waitFor();
    await expectAccessible(operator, '/operatore/corsi/:id (saved)');

    await operator.goto(`${suite.base}/operatore/corsi/importa`);
    await expectAccessible(operator, '/operatore/corsi/importa');
  });

  test('2. Giulia, on a phone without JavaScript, gets the course for her gaps and asks to enrol', async () => {
    const db = suite.platform.db;
    const me = await db
      .selectFrom('users')
      .select(['id', 'region_code'])
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    // Her skills assessment: target "Saldatore", knows nothing of it yet.
    await db.deleteFrom('skill_assessments').where('citizen_id', '=', me.id).execute();
    const assessment = await db
      .insertInto('skill_assessments')
      .values({ region_code: me.region_code, citizen_id: me.id, status: 'submitted' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('skill_assessment_targets')
      .values({ region_code: me.region_code, assessment_id: assessment.id, occupation_uri: OCC, position: 1 })
      .execute();

    giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(giulia);
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/corsi`);
    assert.equal(await h1(giulia), 'Corsi di formazione');
    await expectAccessible(giulia, '/corsi');

    await giulia.goto(`${suite.base}/corsi/consigliati`);
    assert.equal(await h1(giulia), 'Corsi consigliati per te');
    await giulia.getByText('Saldatore: ti mancano 2 competenze essenziali e 1 facoltative').waitFor();
    const card = giulia.locator('main li', { hasText: TITLE });
    assert.match((await card.textContent()) ?? '', /Leggere disegni tecnici, Saldare con procedimento TIG/);
    assert.match((await card.textContent()) ?? '', /Gratuito/);
    await expectAccessible(giulia, '/corsi/consigliati');

    await giulia.getByRole('link', { name: TITLE }).click();
    await giulia.waitForURL((u) => u.pathname === `/corsi/${courseId}`);
    assert.equal(await h1(giulia), TITLE);
    await expectAccessible(giulia, '/corsi/:id');
    await submit(giulia, 'Chiedi di iscriverti', (u) => u.pathname === '/corsi/mie-iscrizioni');
    await giulia.getByText('Richiesta inviata. Ti scriveremo').waitFor();
    await expectAccessible(giulia, '/corsi/mie-iscrizioni');
  });

  test('3. the operator confirms and marks the course completed; Giulia sees it', async () => {
    await operator.goto(`${suite.base}/operatore/corsi/${courseId}`);
    await expectAccessible(operator, '/operatore/corsi/:id (request)');
    await Promise.all([
      operator.waitForNavigation({ waitUntil: 'load' }),
      operator.getByRole('button', { name: /^Conferma\s*: Giulia/ }).click(),
    ]);
    await operator.getByText("Iscrizione confermata. La persona riceve un'e-mail.").waitFor();
    await expectAccessible(operator, '/operatore/corsi/:id (confirmed)');
    await Promise.all([
      operator.waitForNavigation({ waitUntil: 'load' }),
      operator.getByRole('button', { name: /^Corso completato\s*: Giulia/ }).click(),
    ]);
    await operator.getByText('Completamento registrato.', { exact: false }).waitFor();
    await expectAccessible(operator, '/operatore/corsi/:id (completed)');

    const db = suite.platform.db;
    const e = await db
      .selectFrom('course_enrolments')
      .select(['id', 'status', 'citizen_id'])
      .where('course_id', '=', courseId)
      .executeTakeFirstOrThrow();
    assert.equal(e.status, 'completed');
    const activity = await db
      .selectFrom('citizen_activity')
      .select('id')
      .where('citizen_id', '=', e.citizen_id)
      .where('kind', '=', 'course_attended')
      .where('ref', '=', e.id)
      .execute();
    assert.equal(activity.length, 1);
    const { rows } = await suite.platform.pool.query(
      "select 1 from pgboss.job where name = 'badge-issue' and data->>'sourceRef' = $1",
      [e.id],
    );
    assert.equal(rows.length, 1);

    await giulia.goto(`${suite.base}/corsi/mie-iscrizioni`);
    await giulia.locator('main td', { hasText: 'Corso completato' }).waitFor();
    await expectAccessible(giulia, '/corsi/mie-iscrizioni (completed)');
  });
});
