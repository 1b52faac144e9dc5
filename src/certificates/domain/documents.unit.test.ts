import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../platform/i18n/i18n.ts';
import { type Block, c2Content, type PersonData, sapContent } from './documents.ts';

const minimal: PersonData = {
  givenName: 'Anna',
  familyName: 'Rossi',
  fiscalCode: null,
  birthDate: null,
  birthPlace: null,
  sex: null,
  domicile: null,
  email: null,
  mobile: null,
  office: null,
  profile: null,
  cv: null,
  dids: [],
  didEvents: [],
  employment: [],
  conditionality: [],
  tier: null,
  pact: null,
  training: [],
};
const ctx = { regionName: 'Umbria', issuedAt: new Date('2026-11-27T09:00:00Z'), operator: null };
const text = (blocks: Block[]) =>
  blocks
    .map((b) =>
      b.type === 'table'
        ? [...b.head, ...b.rows.flat()].join(' | ')
        : b.type === 'fields'
          ? b.rows.flat().join(' | ')
          : b.text,
    )
    .join('\n');

test('SAP with minimal data: every section present, missing data written as not recorded', () => {
  const t = translator('it');
  const c = sapContent(minimal, ctx, t, 'it');
  assert.equal(c.title, t('certificates.kinds.sap.title'));
  const headings = c.blocks.filter((b) => b.type === 'h2').map((b) => (b as { text: string }).text);
  for (const key of [
    'personalHeading',
    'officeHeading',
    'educationHeading',
    'languagesHeading',
    'workHeading',
    'adminHeading',
  ])
    assert.ok(headings.includes(t(`certificates.sap.${key}`)), key);
  const all = text(c.blocks);
  assert.match(all, /Non registrato/);
  assert.match(all, /Nessun patto firmato/);
  assert.match(all, /Non risulta una dichiarazione di immediata disponibilità/);
  assert.doesNotMatch(all, /certificates\./, 'no untranslated key');
});

test('C2 without a DID says so and has an empty history; in English too', () => {
  const en = c2Content(minimal, ctx, translator('en'), 'en');
  const all = text(en.blocks);
  assert.match(all, /no declaration of immediate availability/);
  assert.match(all, /No event recorded/);
  assert.match(all, /art\. 19 of D\.Lgs\. 150\/2015/);
  assert.doesNotMatch(all, /certificates\./);
});

test('C2 history table lists the events oldest first, with the operator who issued it', () => {
  const person: PersonData = {
    ...minimal,
    dids: [{ id: 'a', declaredAt: new Date('2026-02-01T10:00:00Z'), status: 'active' }],
    employment: [{ startedOn: new Date('2026-05-04T00:00:00Z'), source: 'application' }],
  };
  const c = c2Content(
    person,
    { ...ctx, operator: { name: 'Chiara Baldelli', office: 'CPI Perugia' } },
    translator('it'),
    'it',
  );
  const table = c.blocks.find((b) => b.type === 'table');
  assert.ok(table && table.type === 'table');
  assert.deepEqual(
    table.rows.map((r) => r[1]),
    ['DID rilasciata', 'Inizio di un lavoro'],
  );
  const all = text(c.blocks);
  assert.match(all, /Occupato: risulta un inizio di lavoro il 4 maggio 2026/);
  assert.match(all, /Chiara Baldelli \(CPI Perugia\)/);
});
