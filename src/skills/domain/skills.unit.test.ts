import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniffUploadType as sniffEvidenceType } from '../../platform/http/uploads.ts';
import { cleanFilename } from './content-type.ts';
import { labelFor, missingSkills, orderForChecklist, type TargetSkill } from './gap.ts';
import { BADGE_MIN_LEVEL, effectiveLevel, isMissing, LEVELS, levelKey, parseLevel } from './levels.ts';

const skill = (
  uri: string,
  label: string,
  relation: 'essential' | 'optional',
  selfLevel: number | null,
  validatedLevel: number | null = null,
): TargetSkill => ({
  uri,
  label,
  relation,
  selfLevel,
  validatedLevel,
});

test('the gap lists missing essential skills first, then optional ones, each by label', () => {
  const gaps = missingSkills(
    [
      skill('u:opt-b', 'Zucchero', 'optional', null),
      skill('u:ess-b', 'Pulire', 'essential', 0),
      skill('u:ess-have', 'Cucinare', 'essential', 3),
      skill('u:opt-a', 'Aceto', 'optional', 0),
      skill('u:ess-a', 'Affettare', 'essential', null),
      skill('u:opt-have', 'Birra', 'optional', 1),
    ],
    false,
  );
  assert.deepEqual(
    gaps.map((g) => g.uri),
    ['u:ess-a', 'u:ess-b', 'u:opt-a', 'u:opt-b'],
  );
  assert.deepEqual(
    gaps.map((g) => g.relation),
    ['essential', 'essential', 'optional', 'optional'],
  );
});

test('once validated, the operator level replaces the self-assessed one in the gap', () => {
  const skills = [
    skill('u:a', 'A', 'essential', 3, 0),
    skill('u:b', 'B', 'essential', 0, 2),
    skill('u:c', 'C', 'essential', 0, null),
  ];
  assert.deepEqual(
    missingSkills(skills, true).map((g) => g.uri),
    ['u:a', 'u:c'],
  );
  // Before validation the operator's draft levels do not count.
  assert.deepEqual(
    missingSkills(skills, false).map((g) => g.uri),
    ['u:b', 'u:c'],
  );
});

test('the checklist puts essential skills before optional ones', () => {
  const ordered = orderForChecklist([
    { uri: '1', label: 'b', relation: 'optional' as const },
    { uri: '2', label: 'c', relation: 'essential' as const },
    { uri: '3', label: 'a', relation: 'essential' as const },
  ]);
  assert.deepEqual(
    ordered.map((s) => s.uri),
    ['3', '2', '1'],
  );
});

test('the level scale has four steps plus "non la possiedo", parsed strictly', () => {
  assert.deepEqual([...LEVELS], [1, 2, 3, 4]);
  assert.equal(levelKey(1), 'skills.level.l1');
  assert.equal(levelKey(4), 'skills.level.l4');
  assert.equal(levelKey(0), 'skills.level.l0');
  assert.equal(levelKey(9), 'skills.level.l0');
  assert.equal(parseLevel('0'), 0);
  assert.equal(parseLevel('4'), 4);
  for (const bad of ['5', '-1', '1.5', ' 2', '', 'x', undefined, null, 3, ['2']])
    assert.equal(parseLevel(bad), null);
  assert.equal(BADGE_MIN_LEVEL, 2);
  assert.equal(effectiveLevel(3, 1, true), 1);
  assert.equal(effectiveLevel(3, null, true), 3);
  assert.equal(effectiveLevel(3, 1, false), 3);
  assert.equal(isMissing(null), true);
  assert.equal(isMissing(0), true);
  assert.equal(isMissing(1), false);
});

test('evidence type is decided by content: PDF, JPEG and PNG only', () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
  const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200)]);
  assert.equal(sniffEvidenceType(pdf), 'application/pdf');
  assert.equal(sniffEvidenceType(jpeg), 'image/jpeg');
  assert.equal(sniffEvidenceType(png), 'image/png');
  assert.equal(sniffEvidenceType(exe), null);
  assert.equal(sniffEvidenceType(Buffer.from('%PDF-1.4 but never ends')), null);
  assert.equal(sniffEvidenceType(Buffer.from('<html><script>alert(1)</script>')), null);
  assert.equal(sniffEvidenceType(Buffer.alloc(0)), null);
});

test('file names lose paths and control characters', () => {
  assert.equal(cleanFilename('C:\\Users\\me\\attestato.pdf', 'x'), 'attestato.pdf');
  assert.equal(cleanFilename('../../etc/passwd', 'x'), 'passwd');
  assert.equal(cleanFilename('a\u0000b\u0007.pdf', 'x'), 'ab.pdf');
  assert.equal(cleanFilename('   ', 'documento.pdf'), 'documento.pdf');
  assert.equal(cleanFilename('n'.repeat(500), 'x').length, 200);
});

test('labels follow the language, Arabic readers get the Italian label', () => {
  assert.equal(labelFor('it', 'cuoco', 'cook'), 'cuoco');
  assert.equal(labelFor('en', 'cuoco', 'cook'), 'cook');
  assert.equal(labelFor('ar', 'cuoco', 'cook'), 'cuoco');
  assert.equal(labelFor('en', 'cuoco', null), 'cuoco');
  assert.equal(labelFor('it', null, null, 'uri'), 'uri');
});
