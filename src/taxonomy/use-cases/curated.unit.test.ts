import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { curatedSet } from './curated.ts';

const ESCO_OCCUPATION = /^http:\/\/data\.europa\.eu\/esco\/occupation\/[0-9a-f-]{36}$/;
const ESCO_SKILL = /^http:\/\/data\.europa\.eu\/esco\/skill\/[0-9a-f-]{36}$/;
const PROJECT_SKILL = /^urn:sportello:skill:[a-z0-9-]+$/;

describe('the curated ESCO set', () => {
  const set = curatedSet();

  it('names its source and has at least 150 occupations with Italian and English labels', () => {
    assert.match(set.source, /ESCO v1\.x EN labels/);
    assert.match(set.source, /Italian labels by the project/);
    assert.ok(set.occupations.length >= 150, `${set.occupations.length} occupations`);
    const uris = new Set(set.occupations.map((o) => o.uri));
    assert.equal(uris.size, set.occupations.length, 'each occupation once');
    for (const o of set.occupations) {
      assert.match(o.uri, ESCO_OCCUPATION);
      assert.match(o.iscoCode, /^\d{4}$/);
      assert.ok(o.labelEn && o.labelIt, o.uri);
    }
  });

  it('gives every occupation 4 to 8 known skills, essential ones included', () => {
    const skills = new Map(set.skills.map((s) => [s.uri, s]));
    for (const o of set.occupations) {
      const all = [...o.essentialSkills, ...o.optionalSkills];
      assert.ok(all.length >= 4 && all.length <= 8, `${o.labelEn}: ${all.length} skills`);
      assert.ok(o.essentialSkills.length >= 1, o.labelEn);
      assert.equal(new Set(all).size, all.length, `${o.labelEn}: a skill twice`);
      for (const uri of all) assert.ok(skills.has(uri), `${o.labelEn}: unknown skill ${uri}`);
    }
  });

  it('marks project-defined skills by their URI', () => {
    for (const s of set.skills) {
      assert.ok(s.labelEn && s.labelIt, s.uri);
      if (s.projectDefined) assert.match(s.uri, PROJECT_SKILL);
      else assert.match(s.uri, ESCO_SKILL);
    }
  });

  it('has the ISCO groups of its occupations', () => {
    const codes = new Set(set.iscoGroups.map((g) => g.code));
    for (const o of set.occupations) assert.ok(codes.has(o.iscoCode), o.iscoCode);
  });

  it('covers common CPI occupations', () => {
    const italian = set.occupations.map((o) => o.labelIt);
    for (const name of [
      'magazziniere',
      'cameriere',
      'cuoco',
      'elettricista',
      'idraulico',
      'muratore',
      'receptionist',
    ]) {
      assert.ok(
        italian.some((l) => l.startsWith(name)),
        name,
      );
    }
    assert.ok(italian.some((l) => l.includes('OSS')));
    assert.ok(italian.some((l) => l.includes('badante')));
  });
});
