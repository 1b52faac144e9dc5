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
  signInWithPassword,
} from './support/browser.ts';
import { choose, submit } from './support/onboarding.ts';
import { BrowserSuite } from './support/suite.ts';

/**
 * The Europass CV end to end, on a phone with JavaScript off: Giulia creates her CV from her data,
 * edits sections (a bad date is refused first), downloads the PDF, the Europass XML and the JSON
 * through the page's links, and imports the XML back. axe runs on every page, errors included.
 */
describe('cv: Europass CV builder', () => {
  const suite = new BrowserSuite();
  let giulia: Page;
  let xml = '';

  after(async () => {
    if (giulia) await closeContext(giulia).catch(() => {});
  });

  test('1. Giulia creates her CV from her data', async () => {
    giulia = await newPage(suite.browser, { javaScript: false, viewport: MOBILE });
    await signInWithPassword(giulia, suite.base, { email: CITIZEN_EMAIL, phone: CITIZEN_PHONE });
    await giulia.goto(`${suite.base}/cv`);
    assert.equal(await h1(giulia), 'Il tuo curriculum');
    await expectAccessible(giulia, '/cv (empty)');
    await submit(giulia, 'Crea il CV dai tuoi dati');
    await giulia.getByText('Il tuo curriculum è pronto').waitFor();
    await expectAccessible(giulia, '/cv');
  });

  test('2. she edits the sections, one entry per form, and a bad date is explained', async () => {
    await giulia.getByRole('link', { name: 'Modifica Esperienza lavorativa' }).click();
    await giulia.waitForURL(/\/cv\/sezione\/esperienze/);
    assert.equal(await h1(giulia), 'Esperienza lavorativa');
    await expectAccessible(giulia, '/cv/sezione/esperienze');
    await giulia.getByLabel('Titolo').fill('Cassiera');
    await giulia.getByLabel('Datore di lavoro').fill('Supermercato Sole');
    await giulia.getByLabel('Dal').fill('13/2021');
    await submit(giulia, "Aggiungi un'esperienza");
    await giulia.getByText('Scrivi mese e anno, per esempio 03/2021.').first().waitFor();
    assert.equal(await giulia.getByLabel('Titolo').inputValue(), 'Cassiera');
    await expectAccessible(giulia, '/cv/sezione/esperienze (errors)');
    await giulia.getByLabel('Dal').fill('03/2021');
    await giulia.getByLabel('Al', { exact: true }).fill('12/2022');
    await submit(giulia, "Aggiungi un'esperienza");
    await giulia.getByText('Modifica salvata.').waitFor();
    await giulia
      .getByRole('cell', { name: /Cassiera — Supermercato Sole/ })
      .or(giulia.getByRole('rowheader', { name: /Cassiera/ }))
      .first()
      .waitFor();

    await giulia.goto(`${suite.base}/cv/sezione/lingue`);
    await expectAccessible(giulia, '/cv/sezione/lingue');
    const grid = giulia.locator('form', {
      has: giulia.getByRole('button', { name: 'Aggiungi una lingua', exact: true }),
    });
    await grid.getByLabel('Lingua').selectOption('es');
    for (const label of ['Ascolto', 'Lettura', 'Produzione orale', 'Interazione orale', 'Scrittura'])
      await grid.getByLabel(label).selectOption('B1');
    await submit(giulia, 'Aggiungi una lingua');
    await giulia.getByText('Modifica salvata.').waitFor();
    await expectAccessible(giulia, '/cv/sezione/lingue (saved)');

    for (const slug of [
      'personali',
      'presentazione',
      'istruzione',
      'digitali',
      'competenze',
      'badge',
      'patenti',
    ]) {
      await giulia.goto(`${suite.base}/cv/sezione/${slug}`);
      await expectAccessible(giulia, `/cv/sezione/${slug}`);
    }
    await choose(giulia, 'B');
    await submit(giulia, 'Salva');
    await giulia.getByText('Modifica salvata.').waitFor();
  });

  test('3. the download links give a tagged PDF, the Europass XML and the JSON', async () => {
    await giulia.goto(`${suite.base}/cv`);
    const href = async (name: string) => {
      const value = await giulia.getByRole('link', { name }).getAttribute('href');
      assert.ok(value, name);
      return new URL(value, suite.base).href;
    };
    const pdf = await giulia.request.get(await href('Scarica il CV in PDF'));
    assert.equal(pdf.status(), 200);
    const bytes = (await pdf.body()).toString('latin1');
    assert.ok(bytes.startsWith('%PDF'));
    assert.ok(bytes.includes('/StructTreeRoot') && bytes.includes('/Lang'));

    const europass = await giulia.request.get(await href('Scarica il CV Europass (XML)'));
    assert.equal(europass.status(), 200);
    xml = await europass.text();
    assert.ok(xml.includes('xmlns="http://www.europass.eu/1.0"'));
    assert.ok(xml.includes('Supermercato Sole'));

    const json = await giulia.request.get(await href('Scarica i dati del CV (JSON)'));
    assert.equal(json.status(), 200);
    const data = (await json.json()) as { cv: { work: { title: string }[]; drivingLicences: string[] } };
    assert.ok(data.cv.work.some((w) => w.title === 'Cassiera'));
    assert.deepEqual(data.cv.drivingLicences, ['B']);
  });

  test('4. a hostile file is refused clearly; the downloaded XML imports back', async () => {
    await giulia.getByRole('link', { name: 'Hai già un CV Europass in formato XML? Importalo' }).click();
    await giulia.waitForURL(/\/cv\/importa/);
    await expectAccessible(giulia, '/cv/importa');
    await giulia.getByLabel('File XML del CV Europass').setInputFiles({
      name: 'evil.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Candidate>&e;</Candidate>',
      ),
    });
    await submit(giulia, 'Importa il CV');
    await giulia.getByText('per sicurezza non lo leggiamo').first().waitFor();
    await expectAccessible(giulia, '/cv/importa (refused)');

    await giulia.getByLabel('File XML del CV Europass').setInputFiles({
      name: 'cv-europass.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from(xml),
    });
    await submit(giulia, 'Importa il CV');
    await giulia.getByText('Abbiamo importato il tuo CV Europass').waitFor();
    assert.match((await giulia.locator('main').textContent()) ?? '', /Cassiera — Supermercato Sole/);
    await expectAccessible(giulia, '/cv (imported)');
  });
});
