import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRegionObjects, type RegionObjects } from '../../app/testing/other-region.ts';
import { startTestPlatform, type TestPlatform } from '../../app/testing/test-platform.ts';

/**
 * The caseload's and the dossier's parameterised routes against the Region isolation fixtures: the
 * Region's own operator reaches its person (so the map of src/app/region-isolation can use them), an
 * operator of the other Region gets "not found" and changes nothing.
 */
describe('caseload and dossier with the Region isolation fixtures', () => {
  let platform: TestPlatform;
  let region20: RegionObjects;

  before(async () => {
    platform = await startTestPlatform();
    region20 = await createRegionObjects(platform, '20', '7');
  });
  after(async () => {
    await platform?.stop();
  });

  test("the Region's own operator reaches its person; Region 10's operator does not", async () => {
    const person = region20.users.citizen.id;
    const own = await platform.signInAsUser(region20.users.cpi_operator.id, '20');
    const foreign = await platform.signInAs('cpi_operator');
    assert.equal((await platform.get(own, `/operatore/casi/${person}`)).statusCode, 200);
    assert.equal(
      (await platform.get(own, `/operatore/persone/${person}/fascicolo?purpose=interview`)).statusCode,
      200,
    );
    assert.equal((await platform.get(foreign, `/operatore/casi/${person}`)).statusCode, 404);
    assert.equal(
      (await platform.get(foreign, `/operatore/persone/${person}/fascicolo?purpose=interview`)).statusCode,
      404,
    );
    const fields = { purpose: 'interview', testo: 'Nota di prova', visibilita: 'office' };
    assert.equal(
      (await platform.post(foreign, `/operatore/persone/${person}/fascicolo/note`, fields)).statusCode,
      404,
    );
    const transfer = { operatore: region20.users.cpi_operator.id, motivo: 'Prova' };
    assert.equal(
      (await platform.post(foreign, `/operatore/casi/${person}/trasferisci`, transfer)).statusCode,
      404,
    );
    const untouched = await platform.db.selectFrom('case_assignments').select('citizen_id').execute();
    assert.equal(untouched.length, 0);
    assert.equal((await platform.db.selectFrom('dossier_notes').select('id').execute()).length, 0);
    assert.equal(
      (await platform.post(own, `/operatore/persone/${person}/fascicolo/note`, fields)).statusCode,
      303,
    );
    assert.equal(
      (await platform.post(own, `/operatore/casi/${person}/trasferisci`, transfer)).statusCode,
      303,
    );
    const list = await platform.get(own, '/operatore/casi');
    assert.ok(list.body.includes(`/operatore/casi/${person}"`), 'the person is in the office caseload');
  });
});
