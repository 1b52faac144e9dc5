import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkText, checkVacancyWording, matchedTerms, segments } from './wording.ts';

const cats = (text: string, contractType?: string) =>
  checkText('description', text, contractType ? { contractType } : {}).map((m) => m.category);

test('discriminatory wording is found with its category and legal reference', () => {
  const cases: [string, string][] = [
    ['Cerchiamo operai, solo uomini.', 'sex_gender'],
    ['Si richiede bella presenza.', 'appearance'],
    ['Età max 30 anni.', 'age'],
    ['Candidati max 30 anni', 'age'],
    ['Candidati dai 18 ai 29 anni', 'age'],
    ['Candidati fino ai 35 anni', 'age'],
    ['Cerchiamo un giovane dinamico', 'age'],
    ['Requisito: madrelingua italiana', 'origin'],
    ['No stranieri', 'origin'],
    ['Preferibilmente senza figli', 'family_status'],
    ['Cercasi commessa nubile', 'family_status'],
    ['Cercasi ragazza per il bancone', 'sex_gender'],
    ['Only men need apply', 'sex_gender'],
    ['di fede cattolica', 'religion'],
    ['No invalidi', 'disability'],
    ['Sana e robusta costituzione', 'disability'],
  ];
  for (const [text, category] of cases) assert.deepEqual(cats(text), [category], text);
  const [m] = checkText('title', 'Magazziniere SOLO UOMINI');
  assert.equal(m?.reference, 'D.Lgs. 198/2006 art. 27');
  assert.equal(m?.text, 'SOLO UOMINI');
  assert.equal(m?.field, 'title');
  assert.equal(checkText('d', 'No stranieri')[0]?.reference, 'D.Lgs. 215/2003');
  assert.equal(checkText('d', 'max 30 anni')[0]?.reference, 'D.Lgs. 216/2003');
});

test('accents, apostrophes, capitals and line breaks do not hide a match; offsets point at the original', () => {
  const text = 'Requisiti:\nBELL’ASPETTO e\netà   massima 35';
  const matches = checkText('description', text);
  assert.deepEqual(
    matches.map((m) => [m.text, m.category]),
    [
      ['BELL’ASPETTO', 'appearance'],
      ['età   massima', 'age'],
    ],
  );
  for (const m of matches) assert.equal(text.slice(m.start, m.end), m.text);
});

test('whole words only, and no false positives on lawful requirements', () => {
  for (const text of [
    'Cerchiamo uomini e donne per il reparto confezioni.',
    'Richiesta patente B, automunito o automunita.',
    'Richiesta patente B e disponibilità a trasferte.',
    'Almeno 3 anni di esperienza, massimo 10 anni di esperienza nel ruolo.',
    'Inglese livello B2, italiano C1.',
    'Posto riservato alle categorie protette (L. 68/1999).',
    'Permesso di soggiorno valido per lavoro.',
    'Idoneità alla mansione accertata dal medico competente.',
    'Contratto part-time, massimo 30 ore settimanali.',
    'Progetto Garanzia Giovani.',
    'Una giovane azienda del settore tessile.',
    'Cercasi ragazzo/a per consegne.',
    'Settore giovanile della società sportiva.',
    'Offriamo uno stipendio attractive? No: a competitive salary.',
    'Minimo 18 anni compiuti.',
    'Sorvegliante della piscina comunale.',
  ])
    assert.deepEqual(cats(text), [], text);
  // "giovane" inside a longer word is not a match.
  assert.deepEqual(cats('Giovanetti S.p.A.'), []);
});

test('age limits are lawful in an apprenticeship (D.Lgs. 81/2015), other age wording is not', () => {
  assert.deepEqual(cats('Età massima 29 anni (apprendistato).', 'apprendistato'), []);
  assert.deepEqual(cats('Età massima 29 anni.', 'indeterminato'), ['age']);
  assert.deepEqual(cats('Cerchiamo giovani diplomati', 'apprendistato'), ['age']);
});

test('the whole vacancy is checked field by field; terms are listed once; segments rebuild the text', () => {
  const matches = checkVacancyWording({
    title: 'Commessa bella presenza',
    description: 'Bella presenza e solo donne, bella presenza.',
    safety_info: null,
  });
  assert.deepEqual(
    matches.map((m) => m.field),
    ['title', 'description', 'description', 'description'],
  );
  assert.deepEqual(matchedTerms(matches), ['bella presenza', 'solo donne']);
  const text = 'Bella presenza e solo donne, bella presenza.';
  const parts = segments(
    text,
    matches.filter((m) => m.field === 'description'),
  );
  assert.equal(parts.map((p) => p.text).join(''), text);
  assert.deepEqual(
    parts.filter((p) => p.match).map((p) => p.text),
    ['Bella presenza', 'solo donne', 'bella presenza'],
  );
});
