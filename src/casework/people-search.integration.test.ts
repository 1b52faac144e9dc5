import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestPlatform, type TestPlatform, type Visitor } from '../app/testing/test-platform.ts';
import { omocodicVariant } from '../identity/domain/codice-fiscale.ts';

/**
 * The operator's people search (`/operatore/persone?q=…`): by codice fiscale, surname prefix, or
 * surname and the start of the given name, within the operator's Region, in alphabetical order
 * (surname, then given name), 20 at a time.
 */
let p: TestPlatform;
let operator: Visitor;
const FISCAL = 'BNCLRA80A41G478X';

before(async () => {
  p = await startTestPlatform();
  operator = await p.signInAs('cpi_operator');
  await p.db
    .insertInto('regions')
    .values({ region_code: '20', name: 'Sardegna' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const citizen = (
    region: string,
    family: string,
    given: string,
    fiscal: string | null = null,
    birth: string | null = null,
  ) => ({
    region_code: region,
    role: 'citizen' as const,
    family_name: family,
    given_name: given,
    fiscal_code: fiscal,
    birth_date: birth,
  });
  // 24 people whose surname starts with "Ross", in no particular order, given names from Z to A.
  const people = [];
  for (let i = 0; i < 24; i++) {
    const family = ['Rossi', 'rossini', 'Rossetti'][i % 3]!;
    people.push(citizen('10', family, `Nome${String.fromCharCode(90 - i)}`));
  }
  people.push(citizen('10', 'Bianchi', 'Lara', FISCAL, '1980-01-01'));
  // Two namesakes, and a surname with a space in it.
  people.push(citizen('10', 'Esposito', 'Anna', 'SPSNNA75A41F839U', '1975-01-01'));
  people.push(citizen('10', 'Esposito', 'Anna', 'SPSNNA90M60F839Q', '1990-08-20'));
  people.push(citizen('10', 'Esposito', 'Andrea'));
  people.push(citizen('10', 'De Luca', 'Mario'));
  people.push(citizen('10', 'De Luca', 'Marta'));
  people.push(citizen('20', 'Rossetti', 'Altrove'));
  await p.db.insertInto('users').values(people).execute();
});

after(async () => {
  await p.stop();
});

const names = (body: string) =>
  [...body.matchAll(/<a href="\/operatore\/persone\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]);

test('a surname prefix finds the Region’s people in alphabetical order, at most 20', async () => {
  const page = await p.get(operator, '/operatore/persone?q=ross');
  assert.equal(page.statusCode, 200);
  const found = names(page.body);
  assert.equal(found.length, 20);
  // Every Rossetti (8), then the Rossi (8), then the first 4 rossini, each group by given name.
  const expected = [
    ...['Rossetti', 'Rossi', 'rossini'].flatMap((family, k) =>
      Array.from({ length: 24 }, (_, i) => i)
        .filter((i) => i % 3 === [2, 0, 1][k])
        .map((i) => `${family} Nome${String.fromCharCode(90 - i)}`)
        .sort(),
    ),
  ].slice(0, 20);
  assert.deepEqual(found, expected);
  assert.ok(!found.includes('Rossetti Altrove'), 'not another Region’s person');
});

test('a codice fiscale finds its person; wildcards and short queries find nobody', async () => {
  assert.deepEqual(names((await p.get(operator, `/operatore/persone?q=${FISCAL.toLowerCase()}`)).body), [
    'Bianchi Lara',
  ]);
  // With spaces around it, and in its omocodic form (a code the person holds is the one searched).
  const omocodic = omocodicVariant(FISCAL, 1);
  await p.db.updateTable('users').set({ fiscal_code: omocodic }).where('fiscal_code', '=', FISCAL).execute();
  try {
    assert.deepEqual(
      names((await p.get(operator, `/operatore/persone?q=++${omocodic.toLowerCase()}+`)).body),
      ['Bianchi Lara'],
    );
  } finally {
    await p.db
      .updateTable('users')
      .set({ fiscal_code: FISCAL })
      .where('fiscal_code', '=', omocodic)
      .execute();
  }
  assert.deepEqual(names((await p.get(operator, '/operatore/persone?q=%25%25%25')).body), []);
  assert.deepEqual(names((await p.get(operator, '/operatore/persone?q=ro')).body), []);
});

test('"surname given-name" narrows the search; namesakes show their birth date and codice fiscale', async () => {
  const page = await p.get(operator, '/operatore/persone?q=esposito%20%20ann');
  assert.deepEqual(names(page.body), ['Esposito Anna', 'Esposito Anna']);
  // Namesakes are in id order, so look for each, not for their order.
  assert.match(
    page.body,
    /Data di nascita: <bdi>1 gen 1975<\/bdi> · Codice fiscale: <bdi>SPSNNA75A41F839U<\/bdi>/,
  );
  assert.match(
    page.body,
    /Data di nascita: <bdi>20 ago 1990<\/bdi> · Codice fiscale: <bdi>SPSNNA90M60F839Q<\/bdi>/,
  );
  // A surname with a space: "De Luca Mar" is the surname "De Luca" and a name starting "Mar".
  assert.deepEqual(names((await p.get(operator, '/operatore/persone?q=de+luca+mar')).body), [
    'De Luca Mario',
    'De Luca Marta',
  ]);
  assert.deepEqual(names((await p.get(operator, '/operatore/persone?q=de+luca+mart')).body), [
    'De Luca Marta',
  ]);
  // The surname alone still finds everybody with it, and no one is hidden when the list is short.
  assert.equal(names((await p.get(operator, '/operatore/persone?q=esposito')).body).length, 3);
});

test('a full page of results says only the first 20 are shown and how to narrow the search', async () => {
  assert.match(
    (await p.get(operator, '/operatore/persone?q=ross')).body,
    /Sono mostrate le prime 20 persone/,
  );
  assert.doesNotMatch(
    (await p.get(operator, '/operatore/persone?q=esposito')).body,
    /Sono mostrate le prime 20 persone/,
  );
});
