import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { dispatchCampaigns } from '../src/campaigns/use-cases/campaigns.ts';
import { linkAfter, waitForOutbox } from './support/agenda.ts';
import {
  CITIZEN_EMAIL,
  CITIZEN_PHONE,
  closeContext,
  expectAccessible,
  h1,
  MOBILE,
  newPage,
  signInWithPassword,
} from './support/browser.ts';
import { choose, submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

const MANAGER = { email: 'responsabile.regionale@demo.sportello.example', phone: '+39 333 0000005' };
const SARA = 'sara.campagna@e2e.example';

/**
 * Campaigns end to end: Giulia says on her page (without JavaScript) that she wants no campaigns;
 * the regional manager is refused a campaign without a segment, then writes to tier 3 of the
 * province of Terni; the job sends to Sara (who matches) and not to Giulia (who matches but opted
 * out); Sara opens the link and unsubscribes once from her phone without signing in; the manager
 * sees the results. Axe on every page.
 */
describe('campaigns: a campaign reaches a segment and respects an opt-out', () => {
  const suite = new BrowserSuite();
  const open: Page[] = [];
  let manager: Page;
  let campaignPath = '';
  let link = '';
  let stop = '';

  after(async () => {
    for (const page of open) await closeContext(page).catch(() => {});
  });

  const tierAndProvince = async (userId: string) => {
    const db = suite.platform.db;
    await db
      .insertInto('citizen_profiles')
      .values({ region_code: '10', user_id: userId, domicile_code: '055032' } as never)
      .onConflict((oc) => oc.columns(['region_code', 'user_id']).doUpdateSet({ domicile_code: '055032' }))
      .execute();
    await db
      .insertInto('tier_assignments')
      .values({ region_code: '10', user_id: userId, tier: 3, source: 'model' } as never)
      .execute();
  };

  test('1. Giulia says on her page, without JavaScript, that she wants no campaigns', async () => {
    const db = suite.platform.db;
    const giulia = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', CITIZEN_EMAIL)
      .executeTakeFirstOrThrow();
    await tierAndProvince(giulia.id);
    const sara = await db
      .insertInto('users')
      .values({
        region_code: '10',
        role: 'citizen',
        given_name: 'Sara',
        family_name: 'Campagna',
        email: SARA,
        birth_date: '1992-04-02',
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await tierAndProvince(sara.id);

    const page = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(page);
    await signInWithPassword(page, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await page.goto(`${suite.base}/preferenze/comunicazioni`);
    assert.equal(await h1(page), 'Le mie comunicazioni');
    await expectAccessible(page, '/preferenze/comunicazioni');
    await choose(page, 'No, non voglio riceverli');
    await submit(page, 'Salva');
    await page.getByText('Preferenza salvata.').waitFor();
    assert.ok(await page.getByLabel('No, non voglio riceverli').isChecked());
    await expectAccessible(page, '/preferenze/comunicazioni (saved)');
  });

  test('2. the manager is refused a campaign without a segment, then writes to a segment', async () => {
    manager = await newPage(suite.browser);
    open.push(manager);
    await signInWithPassword(manager, suite.base, MANAGER);
    await manager.goto(`${suite.base}/campagne`);
    assert.equal(await h1(manager), 'Campagne');
    await manager.getByText('Non ci sono ancora campagne.').waitFor();
    await expectAccessible(manager, '/campagne');
    await manager.getByRole('link', { name: 'Nuova campagna' }).click();
    await manager.waitForURL(/\/campagne\/nuova$/);
    await expectAccessible(manager, '/campagne/nuova');

    await manager.getByLabel('Nome della campagna').fill('Fascia 3 di Terni');
    await submit(manager, "Vedi l'anteprima");
    await manager.locator('#error-summary').waitFor();
    await manager
      .getByText('Una campagna deve avere un gruppo di destinatari', { exact: false })
      .first()
      .waitFor();
    assert.equal(await manager.getByLabel('Nome della campagna').inputValue(), 'Fascia 3 di Terni');
    await expectAccessible(manager, '/campagne/nuova (no segment)');

    await manager.getByLabel('Fascia', { exact: true }).selectOption('3');
    await manager.getByLabel('Provincia di domicilio').selectOption('TR');
    await submit(manager, "Vedi l'anteprima", (u) => /^\/campagne\/[0-9a-f-]{36}$/.test(u.pathname));
    campaignPath = new URL(manager.url()).pathname;
    await manager.getByText('Bozza salvata.', { exact: false }).waitFor();
    assert.equal(((await manager.locator('#raggiunte').textContent()) ?? '').trim(), 'meno di 10');
    await manager.getByText('Book here:', { exact: false }).first().waitFor();
    await expectAccessible(manager, 'campaign preview');
    await manager.screenshot({ path: '/tmp/e2e-campaign-preview.png', fullPage: true });

    await submit(manager, 'Invia la campagna');
    await manager.getByText('Invio avviato.', { exact: false }).waitFor();
    await expectAccessible(manager, 'campaign sending');
  });

  test('3. the job writes to Sara and not to Giulia, who opted out', async () => {
    const { rows: schedule } = await suite.platform.pool.query<{ cron: string }>(
      "select cron from pgboss.schedule where name = 'campaign-dispatch'",
    );
    assert.deepEqual(schedule, [{ cron: '* * * * *' }]);
    // The worker was started at once on sending; the test also runs the job's use case itself.
    await dispatchCampaigns(
      {
        db: suite.platform.db,
        audit: suite.platform.audit,
        notifier: suite.platform.notifier,
        config: suite.platform.config,
      },
      new Date(),
    );
    const email = await waitForOutbox(suite.platform.db, 'email', SARA, '/c/');
    assert.equal(email.subject, "Prenota un appuntamento con il centro per l'impiego");
    assert.match(email.body, /^Ciao Sara,/);
    link = linkAfter(email.body, 'Prenota qui');
    stop = linkAfter(email.body, 'Cancellati qui');
    const toGiulia = await suite.platform.db
      .selectFrom('dev_outbox')
      .select('id')
      .where('recipient', '=', CITIZEN_EMAIL)
      .where('body', 'like', '%/c/%')
      .execute();
    assert.equal(toGiulia.length, 0, 'Giulia opted out: no campaign message');
  });

  test('4. Sara opens the link and unsubscribes once, on her phone, without signing in', async () => {
    const phone = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    open.push(phone);
    await phone.goto(link);
    assert.ok(!new URL(phone.url()).pathname.startsWith('/c/'), 'redirected into the site');
    await phone.goto(stop);
    assert.equal(await h1(phone), 'Non ricevere più campagne');
    await expectAccessible(phone, 'unsubscribe link');
    await submit(
      phone,
      'Non voglio più ricevere campagne',
      (u) => u.pathname === '/campagne/disiscriviti/fatto',
    );
    assert.equal(await h1(phone), 'Fatto');
    await expectAccessible(phone, 'unsubscribed');
    await phone.goto(stop);
    assert.equal(await h1(phone), 'Link già usato');
    await expectAccessible(phone, 'unsubscribe link used');
  });

  test('5. the manager sees the results, with small numbers suppressed', async () => {
    await manager.goto(`${suite.base}${campaignPath}`);
    await manager.getByRole('heading', { level: 2, name: 'Risultati' }).waitFor();
    const row = (name: string) =>
      manager
        .locator('table tr')
        .filter({ has: manager.getByRole('rowheader', { name, exact: true }) })
        .locator('td');
    assert.equal(((await row('Messaggi inviati').textContent()) ?? '').trim(), 'meno di 10');
    await expectAccessible(manager, 'campaign results');
    const r = await suite.platform.db
      .selectFrom('campaign_recipients')
      .select(['status', 'opened_at', 'unsubscribed_at'])
      .where('campaign_id', '=', campaignPath.split('/')[2]!)
      .execute();
    assert.equal(r.length, 1, 'only Sara');
    assert.equal(r[0]!.status, 'queued');
    assert.ok(r[0]!.opened_at && r[0]!.unsubscribed_at);
  });
});
