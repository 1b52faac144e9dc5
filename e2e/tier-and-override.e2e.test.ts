import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ATTITUDE_ITEMS } from '../src/onboarding/domain/attitude.ts';
import { newState } from '../src/onboarding/domain/digital-check.ts';
import {
  closeContext,
  expectAccessible,
  MOBILE,
  newPage,
  OPERATOR_EMAIL,
  OPERATOR_PHONE,
  signInWithPassword,
} from './support/browser.ts';
import { signInWithSpid } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

/**
 * The tier with three reasons, the channel plan the person can change (JavaScript off, on a phone),
 * and an operator's override with a reason, which the person then sees with the operator's read.
 */
describe('service tier, channels and the operator override', () => {
  const suite = new BrowserSuite();

  test('a citizen answers the questionnaire, sees the tier and changes a channel; an operator overrides it', async () => {
    const citizenPage = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    try {
      await signInWithSpid(citizenPage, suite.base, 'mario', 'Mario, tier');
      // The earlier steps (profile and digital check) have their own tests: set them up directly.
      const db = suite.platform.db;
      const mario = await db
        .selectFrom('users')
        .select(['id'])
        .where('given_name', '=', 'Mario')
        .executeTakeFirstOrThrow();
      const perugia = await db
        .selectFrom('municipalities')
        .select('istat_code')
        .where('name', '=', 'Perugia')
        .executeTakeFirstOrThrow();
      // The home page already created an empty profile row on the first visit.
      await db.deleteFrom('citizen_profiles').where('user_id', '=', mario.id).execute();
      await db
        .insertInto('citizen_profiles')
        .values({
          region_code: '10',
          user_id: mario.id,
          email: 'mario@example.org',
          email_verified_at: new Date(),
          mobile: '3330000002',
          mobile_verified_at: new Date(),
          domicile_code: perugia.istat_code,
          education_eqf: 3,
          work_history: JSON.stringify([
            { from: '2010-01', to: '2022-12', occupation: 'Operaio', iscoGroup: '8', sector: 'C' },
          ]),
          unemployed_since: '2023-01-01',
          benefits: ['none'],
          languages: JSON.stringify([]),
          availability: JSON.stringify({
            hours: 'full_time',
            contracts: ['indeterminato'],
            maxCommuteKm: 30,
            remote: 'no',
          }),
          completed_at: new Date(),
        })
        .execute();
      await db
        .insertInto('digital_check_attempts')
        .values({
          region_code: '10',
          user_id: mario.id,
          state: JSON.stringify(newState(3)),
          finished_at: new Date(),
          overall_level: 2,
          area_levels: JSON.stringify({
            information: 2,
            communication: 2,
            content: 1,
            safety: 2,
            problem_solving: 2,
          }),
        })
        .execute();

      await citizenPage.goto(`${suite.base}/profilo/atteggiamento`);
      await expectAccessible(citizenPage, '/profilo/atteggiamento');
      for (const [i] of ATTITUDE_ITEMS.entries()) {
        await citizenPage
          .getByRole('group', { name: new RegExp(`^${i + 1}\\. `) })
          .getByText('Abbastanza', { exact: true })
          .click();
      }
      await citizenPage.getByRole('button', { name: 'Invia le risposte' }).click();
      await citizenPage.waitForURL((u) => u.pathname === '/');
      await citizenPage.getByRole('heading', { name: /Il tuo percorso:/ }).waitFor();
      const reasons = citizenPage.locator('#tier-heading ~ ul li');
      assert.equal(await reasons.count(), 3);
      await expectAccessible(citizenPage, 'home with tier (no JS, mobile)');

      await citizenPage.getByLabel('Modo per la fase Ricerca attiva').selectOption('remote');
      await citizenPage.getByRole('button', { name: 'Salva — Ricerca attiva' }).click();
      await citizenPage.waitForURL((u) => u.pathname === '/');
      const row = citizenPage.getByRole('row', { name: /Ricerca attiva/ });
      assert.match((await row.textContent()) ?? '', /A distanza.*Scelto da te/);
      await expectAccessible(citizenPage, 'home after channel change');

      const operatorPage = await newPage(suite.browser);
      try {
        await signInWithPassword(operatorPage, suite.base, { email: OPERATOR_EMAIL, phone: OPERATOR_PHONE });
        await operatorPage.goto(`${suite.base}/operatore/persone/${mario.id}`);
        await expectAccessible(operatorPage, 'purpose page');
        await operatorPage.getByText('Presa in carico', { exact: true }).click();
        await operatorPage.getByRole('button', { name: 'Apri la scheda' }).click();
        await operatorPage.getByRole('link', { name: 'Livello di servizio e canali' }).click();
        await operatorPage.waitForURL(/\/livello$/);
        await expectAccessible(operatorPage, 'operator tier page');
        await operatorPage.getByLabel('Nuovo livello').selectOption('3');
        await operatorPage
          .getByLabel('Motivo (la persona lo vedrà)')
          .fill('Serve un accompagnamento più vicino per il rientro al lavoro');
        await operatorPage.getByRole('button', { name: 'Cambia il livello' }).click();
        await operatorPage.waitForURL(/\/livello$/);
        await operatorPage.getByText(/ha scelto questo livello/).waitFor();
        await expectAccessible(operatorPage, 'operator tier page after override');
      } finally {
        await closeContext(operatorPage);
      }

      await citizenPage.goto(`${suite.base}/`);
      await citizenPage
        .getByText('Il tuo operatore Chiara Baldelli ha scelto questo livello', { exact: false })
        .waitFor();
      assert.match(
        (await citizenPage.getByRole('heading', { name: /Il tuo percorso:/ }).textContent()) ?? '',
        /Sostegno intensivo/,
      );
      await expectAccessible(citizenPage, 'home after override');
      await citizenPage.goto(`${suite.base}/i-miei-dati/accessi`);
      assert.match(
        (await citizenPage.locator('main').textContent()) ?? '',
        /Chiara Baldelli[\s\S]*Presa in carico/,
      );
      await expectAccessible(citizenPage, 'who read my data');
      await citizenPage.goto(`${suite.base}/?lang=en`);
      await citizenPage.getByRole('heading', { name: /Your path:/ }).waitFor();
      await expectAccessible(citizenPage, 'home in English');
      await citizenPage.goto(`${suite.base}/?lang=ar`);
      assert.equal(await citizenPage.locator('html').getAttribute('dir'), 'rtl');
      await expectAccessible(citizenPage, 'home in Arabic');
      await citizenPage.screenshot({ path: '/tmp/e2e-tier-home-ar.png', fullPage: true });
    } finally {
      await closeContext(citizenPage);
    }
  });
});
