import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestPlatform, type TestPlatform } from '../../app/testing/test-platform.ts';

// The test platform loads the demo, hence the curated ESCO set (src/taxonomy/data/curated-esco.json).
const WAREHOUSE_WORKER = 'bea705fe-06ac-4147-b8e0-6e8ac1208d8f';

describe('/professioni', () => {
  let platform: TestPlatform;
  before(async () => {
    platform = await startTestPlatform();
  });
  after(async () => {
    await platform.stop();
  });

  it('shows the search form to anyone, without a query', async () => {
    const res = await platform.get(platform.anonymous(), '/professioni');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="get" action="\/professioni"/);
    assert.match(res.body, /Cerca una professione/);
  });

  it('finds an occupation despite a typo and links to its page', async () => {
    const res = await platform.get(platform.anonymous(), '/professioni?q=magazinere');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(`<a href="/professioni/${WAREHOUSE_WORKER}">magazziniere</a>`));
    const en = await platform.get(platform.anonymous(), '/professioni?q=magazinere&lang=en');
    assert.match(en.body, new RegExp(`<a href="/professioni/${WAREHOUSE_WORKER}">warehouse worker</a>`));
  });

  it('says when nothing matches, and refuses a one-letter query with a message', async () => {
    const none = await platform.get(platform.anonymous(), '/professioni?q=zzzqqqxxx');
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /Nessuna professione per “zzzqqqxxx”/);
    const short = await platform.get(platform.anonymous(), '/professioni?q=a');
    assert.equal(short.statusCode, 400);
    assert.match(short.body, /Scrivi almeno 2 lettere/);
  });

  it('shows an occupation with its ISCO group and essential skills before optional ones', async () => {
    const res = await platform.get(platform.anonymous(), `/professioni/${WAREHOUSE_WORKER}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>magazziniere<\/h1>/);
    assert.match(res.body, /9333/);
    const essential = res.body.indexOf('Competenze essenziali');
    const optional = res.body.indexOf('Competenze utili');
    assert.ok(essential > 0 && optional > essential);
    const picking = res.body.indexOf('preparare gli ordini (picking)');
    const forklift = res.body.indexOf('guidare il carrello elevatore');
    assert.ok(essential < picking && picking < optional, 'picking is essential');
    assert.ok(forklift > optional, 'the forklift is optional');
    // English description from ESCO, marked as English on the Italian page.
    assert.match(res.body, /<p lang="en">/);
  });

  it('answers not found for an unknown or malformed id', async () => {
    const visitor = platform.anonymous();
    assert.equal(
      (await platform.get(visitor, '/professioni/00000000-0000-4000-8000-000000000000')).statusCode,
      404,
    );
    assert.equal((await platform.get(visitor, '/professioni/not-a-uuid')).statusCode, 404);
  });
});
