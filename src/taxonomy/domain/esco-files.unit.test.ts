import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyFileName,
  FILE_SPECS,
  headerProblem,
  importOrder,
  iscoParent,
  type RecognisedFile,
  uriCode,
} from './esco-files.ts';

const spec = (kind: string) => {
  const s = FILE_SPECS.find((f) => f.kind === kind);
  assert.ok(s);
  return s;
};

describe('ESCO file names', () => {
  it('takes the language from the suffix and knows the export files', () => {
    const c = classifyFileName('occupations_it.csv');
    assert.ok(c.ok);
    assert.equal(c.file.lang, 'it');
    assert.equal(c.file.spec.kind, 'occupations');
    const coll = classifyFileName('languageSkillsCollection_en.csv');
    assert.ok(coll.ok);
    assert.equal(coll.file.collection, 'language');
    assert.deepEqual(classifyFileName('occupations_fr.csv'), {
      ok: false,
      reason: 'other-language',
      lang: 'fr',
    });
    assert.deepEqual(classifyFileName('conceptSchemes_en.csv'), { ok: false, reason: 'not-esco' });
    assert.deepEqual(classifyFileName('notes.csv'), { ok: false, reason: 'not-esco' });
  });

  it('orders groups before concepts and concepts before relations, English first', () => {
    const names = [
      'occupationSkillRelations_en.csv',
      'occupations_it.csv',
      'skills_en.csv',
      'occupations_en.csv',
      'ISCOGroups_en.csv',
    ];
    const files = names.map((n) => {
      const c = classifyFileName(n);
      assert.ok(c.ok);
      return c.file;
    });
    assert.deepEqual(
      files.sort(importOrder).map((f: RecognisedFile) => f.name),
      [
        'ISCOGroups_en.csv',
        'skills_en.csv',
        'occupations_en.csv',
        'occupations_it.csv',
        'occupationSkillRelations_en.csv',
      ],
    );
  });
});

describe('headerProblem', () => {
  it('accepts the official header, with extra columns', () => {
    const header =
      'conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,regulatedProfessionNote,scopeNote,definition,inScheme,description,code'.split(
        ',',
      );
    assert.equal(headerProblem('occupations_en.csv', header, spec('occupations')), null);
  });

  it('names the file and the missing column', () => {
    const header = ['conceptType', 'conceptUri', 'preferredLabel', 'altLabels', 'description'];
    assert.equal(
      headerProblem('occupations_it.csv', header, spec('occupations')),
      'occupations_it.csv: column "iscoGroup" is missing. Expected at least: conceptUri, iscoGroup, preferredLabel, altLabels, description.',
    );
  });

  it('points at a column written with the wrong case', () => {
    const header = ['occupationUri', 'RelationType', 'skillUri'];
    assert.match(
      headerProblem('occupationSkillRelations_en.csv', header, spec('occupationSkillRelations')) ?? '',
      /^occupationSkillRelations_en\.csv: column "relationType" is missing \(found "RelationType": names are case-sensitive\)/,
    );
  });

  it('refuses a column that appears twice', () => {
    const header = ['conceptUri', 'broaderUri', 'conceptUri'];
    assert.equal(
      headerProblem('broaderRelationsSkillPillar_en.csv', header, spec('broaderSkills')),
      'broaderRelationsSkillPillar_en.csv: column "conceptUri" appears twice in the header.',
    );
  });
});

describe('codes', () => {
  it('derives the ISCO parent and a URI code', () => {
    assert.equal(iscoParent('2221'), '222');
    assert.equal(iscoParent('2'), null);
    assert.equal(uriCode('http://data.europa.eu/esco/skill/S1.5'), 'S1.5');
    assert.equal(uriCode('http://data.europa.eu/esco/isced-f/00'), '00');
  });
});
