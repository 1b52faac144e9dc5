import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  BADGE_CODE_PATTERN,
  badgeCode,
  buildCredential,
  buildStatusListCredential,
  identityHash,
  OB_CONTEXT,
  VC_CONTEXT,
} from './credential.ts';

const input = {
  publicUrl: 'https://lavoro.example.it/',
  regionCode: '10',
  regionName: 'Umbria',
  code: 'B7K2-9QXM-4HTR',
  kind: 'course_completed' as const,
  issuedAt: new Date('2026-03-02T10:15:30.456Z'),
  recipientIdentifier: { value: 'RSSMRA85T10A562S', type: 'nationalIdentityNumber' as const },
  salt: 'c0ffee',
  statusList: 1,
  statusIndex: 4242,
  achievement: {
    name: 'Saldatura TIG',
    description: 'Corso di 120 ore',
    criteria: 'Frequenza di almeno il 70% e prova pratica superata',
    skills: [{ uri: 'http://data.europa.eu/esco/skill/abc', label: 'saldare metalli' }],
    eqfLevel: 3,
  },
};

test('an OpenBadgeCredential has the VC 2.0 and OB 3.0 contexts, types, issuer, dates and status', () => {
  const c = buildCredential(input);
  assert.deepEqual(c['@context'], [VC_CONTEXT, OB_CONTEXT]);
  assert.deepEqual(c.type, ['VerifiableCredential', 'OpenBadgeCredential']);
  assert.equal(c.id, 'https://lavoro.example.it/badge/B7K2-9QXM-4HTR');
  assert.deepEqual(c.issuer, {
    id: 'https://lavoro.example.it/badge/emittente',
    type: ['Profile'],
    name: 'Regione Umbria',
    url: 'https://lavoro.example.it',
  });
  assert.equal(c.validFrom, '2026-03-02T10:15:30Z');
  assert.deepEqual(c.credentialSubject.type, ['AchievementSubject']);
  const a = c.credentialSubject.achievement;
  assert.deepEqual(a.type, ['Achievement']);
  assert.equal(a.achievementType, 'Course');
  assert.equal(a.criteria.narrative, input.achievement.criteria);
  assert.match(a.id, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(
    a.alignment.map((x) => [x.targetFramework, x.targetUrl]),
    [
      ['ESCO', 'http://data.europa.eu/esco/skill/abc'],
      ['European Qualifications Framework', 'http://data.europa.eu/snb/eqf/3'],
    ],
  );
  assert.deepEqual(c.credentialStatus, {
    id: 'https://lavoro.example.it/badge/stato/1#4242',
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '4242',
    statusListCredential: 'https://lavoro.example.it/badge/stato/1',
  });
});

test('the person is named only by a salted hash, never by the plain fiscal code', () => {
  const c = buildCredential(input);
  const json = JSON.stringify(c);
  assert.ok(!json.includes('RSSMRA85T10A562S'));
  const [id] = c.credentialSubject.identifier;
  assert.equal(id?.hashed, true);
  assert.equal(id?.identityType, 'nationalIdentityNumber');
  const expected = createHash('sha256').update('RSSMRA85T10A562Sc0ffee').digest('hex');
  assert.equal(id?.identityHash, `sha256$${expected}`);
  assert.equal(
    identityHash('RSSMRA85T10A562S', 'other'),
    `sha256$${createHash('sha256').update('RSSMRA85T10A562Sother').digest('hex')}`,
  );
});

test('a validated competence is a Competency; no EQF alignment without a level', () => {
  const c = buildCredential({
    ...input,
    kind: 'competence_validated',
    achievement: { ...input.achievement, eqfLevel: null },
  });
  assert.equal(c.credentialSubject.achievement.achievementType, 'Competency');
  assert.equal(c.credentialSubject.achievement.alignment.length, 1);
});

test('the status list credential is a BitstringStatusListCredential for revocation', () => {
  const s = buildStatusListCredential({
    publicUrl: 'https://lavoro.example.it',
    regionName: 'Umbria',
    list: 1,
    encodedList: 'uH4sI',
    validFrom: new Date('2026-01-01T00:00:00Z'),
  });
  assert.deepEqual(s.type, ['VerifiableCredential', 'BitstringStatusListCredential']);
  assert.equal(s.id, 'https://lavoro.example.it/badge/stato/1');
  assert.deepEqual(s.credentialSubject, {
    id: 'https://lavoro.example.it/badge/stato/1#list',
    type: 'BitstringStatusList',
    statusPurpose: 'revocation',
    encodedList: 'uH4sI',
  });
});

test('badge codes have the public shape', () => {
  for (let i = 0; i < 50; i++) {
    const bytes = new Uint8Array(11).map(() => Math.floor(Math.random() * 256));
    assert.match(badgeCode(bytes), BADGE_CODE_PATTERN);
  }
  assert.equal(badgeCode(new Uint8Array(11)), 'B222-2222-2222');
});
