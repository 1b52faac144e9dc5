import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translator } from '../../platform/i18n/i18n.ts';
import obligationsData from '../data/obligations.json' with { type: 'json' };
import {
  commitmentLines,
  missingParties,
  type ObligationData,
  obligationsFor,
  type PactContent,
  pactContentSchema,
  pactSections,
  parseCommitmentLines,
  requiredParties,
} from './pact.ts';

const DATA = obligationsData as unknown as ObligationData;

const content: PactContent = {
  person: { name: 'Giulia Conti', fiscalCode: 'CNTGLI90A41G478X' },
  office: { name: 'CPI Perugia' },
  agency: null,
  tier: 2,
  channels: { engagement: 'blended', search: 'remote' },
  services: [{ code: 'orientamento', target: '2026-12-15' }],
  cpiCommitments: [{ text: 'Proporre i servizi.', source: 'D.Lgs. 150/2015, art. 20' }],
  citizenCommitments: [{ text: 'Accettare le offerte congrue.', source: null }],
  obligations: obligationsFor(['naspi'], DATA),
  notes: '',
};

test('a two-party pact needs the citizen and the CPI; a three-party one the agency too', () => {
  assert.deepEqual(requiredParties(null), ['citizen', 'cpi']);
  assert.deepEqual(requiredParties('agency-id'), ['citizen', 'cpi', 'apl']);
});

test('who still has to sign', () => {
  assert.deepEqual(missingParties(['citizen', 'cpi', 'apl'], [{ party: 'cpi' }]), ['citizen', 'apl']);
  assert.deepEqual(missingParties(['citizen', 'cpi'], [{ party: 'cpi' }, { party: 'citizen' }]), []);
});

test('obligations follow the benefits of the profile, each with its legal source', () => {
  const naspi = obligationsFor(['naspi'], DATA);
  assert.ok(naspi.length >= 3);
  assert.ok(naspi.every((o) => o.benefit === 'naspi' && /D\.Lgs\. 150\/2015/.test(o.source)));
  assert.ok(naspi.some((o) => o.code === 'suitable_offer'));
  assert.ok(naspi.some((o) => o.code === 'did'));
  const adi = obligationsFor(['adi_sfl'], DATA);
  assert.ok(adi.length > 0 && adi.every((o) => o.benefit === 'adi' && /D\.L\. 48\/2023/.test(o.source)));
  assert.deepEqual(obligationsFor(['none'], DATA), []);
  assert.deepEqual(obligationsFor([], DATA), []);
});

test('commitment lines round-trip with their source', () => {
  const lines = commitmentLines(content.cpiCommitments.concat(content.citizenCommitments));
  assert.equal(lines, 'Proporre i servizi. (fonte: D.Lgs. 150/2015, art. 20)\nAccettare le offerte congrue.');
  assert.deepEqual(parseCommitmentLines(`${lines}\n\n   `), [
    { text: 'Proporre i servizi.', source: 'D.Lgs. 150/2015, art. 20' },
    { text: 'Accettare le offerte congrue.', source: null },
  ]);
});

test('the document sections: parties, path, services, both sides, obligations; signatures only when signed', () => {
  const t = translator('it');
  assert.ok(pactContentSchema.safeParse(content).success);
  const proposed = pactSections(content, t, 'it', null);
  const headings = proposed.map((s) => s.heading);
  assert.deepEqual(headings, [
    'Le parti',
    'Il percorso',
    'I servizi e le date',
    "Gli impegni del centro per l'impiego",
    'Gli impegni della persona',
    'Gli obblighi legati ai sostegni al reddito',
  ]);
  assert.match(proposed[0]!.paragraphs.join(' '), /Giulia Conti \(CNTGLI90A41G478X\)/);
  assert.match(proposed[1]!.paragraphs[0]!, /Livello di servizio: 2/);
  assert.match(proposed[2]!.paragraphs[0]!, /^Orientamento — entro il 15 dicembre 2026$/);
  assert.match(proposed[5]!.paragraphs[0]!, /^NASpI: .*\(fonte: D\.Lgs\. 150\/2015/);
  const signed = pactSections({ ...content, agency: { id: 'a', name: 'Agenzia X' } }, t, 'it', [
    {
      party: 'citizen',
      signerName: 'Giulia Conti',
      method: 'sms_code',
      signedAt: new Date('2026-11-26T10:00:00Z'),
      atDesk: true,
    },
  ]);
  assert.match(signed[0]!.paragraphs.join(' '), /Agenzia X/);
  const last = signed.at(-1)!;
  assert.equal(last.heading, 'Le firme');
  assert.equal(
    last.paragraphs[0],
    'La persona: Giulia Conti, 26 novembre 2026 alle ore 11:00, con codice via SMS (allo sportello).',
  );
});

test('content that is not a pact is refused', () => {
  assert.equal(
    pactContentSchema.safeParse({ ...content, services: [{ code: 'x', target: 'tomorrow' }] }).success,
    false,
  );
  assert.equal(pactContentSchema.safeParse({ ...content, tier: 4 }).success, false);
});
