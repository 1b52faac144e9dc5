import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../platform/db/database.ts';
import { type TestDatabase, testDb } from '../../platform/testing/test-database.ts';
import { curatedSet, ensureCuratedEsco } from './curated.ts';
import { EscoFileError, importEsco } from './import-esco.ts';
import { occupation, searchOccupations, searchSkills } from './search.ts';

const FIXTURES = fileURLToPath(new URL('../data/fixtures/', import.meta.url));
const MINI = path.join(FIXTURES, 'esco-mini');
const NO_SKILLS = path.join(FIXTURES, 'esco-mini-no-skills');
const NURSE = 'http://data.europa.eu/esco/occupation/8d3e8aaa-791b-4c75-a465-f3f827028f50';

async function counts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'esco_isco_groups',
    'esco_occupations',
    'esco_skills',
    'esco_skill_groups',
    'esco_broader',
    'esco_occupation_skills',
  ] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

function copyFixture(from: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'esco-'));
  cpSync(from, dir, { recursive: true });
  return dir;
}

describe('importEsco', () => {
  let database: TestDatabase;
  before(async () => {
    database = await testDb();
  });
  after(async () => {
    await database.close();
  });

  it('imports Italian and English side by side, and a second run changes nothing', async () => {
    const { db } = database;
    const progress: number[] = [];
    const first = await importEsco(db, MINI, {
      onProgress: (p) => progress.push(p.bytesDone / p.bytesTotal),
    });
    assert.equal(progress.at(-1), 1);
    const afterFirst = await counts(db);
    assert.deepEqual(afterFirst, {
      esco_isco_groups: 6,
      esco_occupations: 3,
      esco_skills: 6,
      esco_skill_groups: 2,
      esco_broader: 5,
      esco_occupation_skills: 7,
    });
    const relations = first.files.find((f) => f.file === 'occupationSkillRelations_en.csv');
    assert.equal(relations?.rows, 8);
    assert.equal(relations?.skipped, 1, 'the relation to an unknown skill is skipped');

    const nurse = await db
      .selectFrom('esco_occupations')
      .selectAll()
      .where('uri', '=', NURSE)
      .executeTakeFirstOrThrow();
    assert.equal(nurse.label_en, 'nurse responsible for general care');
    assert.equal(nurse.label_it, 'infermiere');
    assert.deepEqual(nurse.alt_labels_en, ['general nurse', 'registered nurse', 'nurse']);
    assert.deepEqual(nurse.alt_labels_it, ['infermiera', 'infermiere professionale']);
    assert.equal(nurse.code, '2221.1');
    assert.match(nurse.search_text, /nurse responsible for general care.*infermiere/);
    const group = await db
      .selectFrom('esco_isco_groups')
      .selectAll()
      .where('code', '=', '2221')
      .executeTakeFirstOrThrow();
    assert.equal(group.parent_code, '222');
    assert.equal(group.label_it, 'Professioni infermieristiche');
    const teamwork = await db
      .selectFrom('esco_skills')
      .selectAll()
      .where('label_en', '=', 'work in teams')
      .executeTakeFirstOrThrow();
    assert.equal(teamwork.is_transversal, true);
    assert.deepEqual(teamwork.alt_labels_en, ['collaborate', 'teamwork']);

    const updatedAt = nurse.updated_at;
    const second = await importEsco(db, MINI);
    assert.deepEqual(await counts(db), afterFirst);
    for (const f of second.files) {
      assert.equal(f.inserted + f.updated, 0, `${f.file} changes nothing the second time`);
    }
    const again = await db
      .selectFrom('esco_occupations')
      .select('updated_at')
      .where('uri', '=', NURSE)
      .executeTakeFirstOrThrow();
    assert.deepEqual(again.updated_at, updatedAt);
  });

  it('finds "infermeire" (a typo) as infermiere in Italian and nurse in English', async () => {
    const { db } = database;
    const it_ = await searchOccupations(db, 'infermeire', 'it');
    assert.equal(it_[0]?.uri, NURSE);
    assert.equal(it_[0]?.label, 'infermiere');
    const en = await searchOccupations(db, 'infermeire', 'en');
    assert.equal(en[0]?.label, 'nurse responsible for general care');
    assert.equal((await searchOccupations(db, 'nurse', 'en'))[0]?.uri, NURSE);
    assert.equal((await searchOccupations(db, 'MAGAZZINIÈRE', 'it'))[0]?.label, 'magazziniere');
    assert.deepEqual(await searchOccupations(db, 'x', 'it'), []);
    const skills = await searchSkills(db, 'somministrare farmac', 'it');
    assert.equal(skills[0]?.label, 'somministrare farmaci');
  });

  it('lists an occupation with its essential skills first', async () => {
    const nurse = await occupation(database.db, '8d3e8aaa-791b-4c75-a465-f3f827028f50', 'it');
    assert.ok(nurse);
    assert.equal(nurse.isco.code, '2221');
    assert.equal(nurse.isco.label, 'Professioni infermieristiche');
    assert.deepEqual(
      nurse.skills.map((s) => [s.relation, s.label]),
      [
        ['essential', 'prestare assistenza infermieristica'],
        ['essential', 'somministrare farmaci'],
        ['optional', 'lavorare in squadra'],
      ],
    );
    assert.equal(await occupation(database.db, '00000000-0000-4000-8000-000000000000', 'it'), null);
  });
});

describe('importEsco refusals and partial exports', () => {
  let database: TestDatabase;
  before(async () => {
    database = await testDb();
  });
  after(async () => {
    await database.close();
  });

  it('works without the skills and relations files', async () => {
    const report = await importEsco(database.db, NO_SKILLS);
    assert.deepEqual(
      report.files.map((f) => f.file),
      ['ISCOGroups_en.csv', 'languageSkillsCollection_en.csv', 'occupations_en.csv', 'occupations_it.csv'],
    );
    const c = await counts(database.db);
    assert.equal(c.esco_occupations, 3);
    assert.equal(c.esco_skills, 1);
    assert.equal(c.esco_occupation_skills, 0);
    const italian = await database.db
      .selectFrom('esco_skills')
      .select(['is_language', 'label_en'])
      .executeTakeFirstOrThrow();
    assert.deepEqual(italian, { is_language: true, label_en: 'Italian' });
  });

  it('refuses a wrong column naming the file and the column, before writing anything', async () => {
    const dir = copyFixture(MINI);
    try {
      const file = path.join(dir, 'skills_it.csv');
      writeFileSync(file, readFileSync(file, 'utf8').replace('preferredLabel', 'prefLabel'));
      const before = await counts(database.db);
      await assert.rejects(importEsco(database.db, dir), (error: unknown) => {
        assert.ok(error instanceof EscoFileError);
        assert.equal(error.file, 'skills_it.csv');
        assert.equal(error.column, 'preferredLabel');
        assert.match(error.message, /skills_it\.csv: column "preferredLabel" is missing/);
        return true;
      });
      assert.deepEqual(await counts(database.db), before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rolls back a file with a bad row whole, naming the file, line and column', async () => {
    const dir = copyFixture(NO_SKILLS);
    try {
      const file = path.join(dir, 'occupations_it.csv');
      // The third occupation loses its ISCO group; with batches of one row, the first two were written.
      writeFileSync(file, readFileSync(file, 'utf8').replace(',9333,magazziniere', ',,magazziniere'));
      const italianBefore = await database.db
        .selectFrom('esco_occupations')
        .select('uri')
        .where('label_it', 'is not', null)
        .execute();
      await database.db.updateTable('esco_occupations').set({ label_it: null }).execute();
      await assert.rejects(importEsco(database.db, dir, { batchSize: 1 }), (error: unknown) => {
        assert.ok(error instanceof EscoFileError);
        assert.match(error.message, /^occupations_it\.csv line \d+: column "iscoGroup" is empty\.$/);
        return true;
      });
      const italianAfter = await database.db
        .selectFrom('esco_occupations')
        .select('uri')
        .where('label_it', 'is not', null)
        .execute();
      assert.equal(italianBefore.length, 3);
      assert.equal(italianAfter.length, 0, 'nothing of occupations_it.csv was kept');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so when the directory has no ESCO files', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'esco-empty-'));
    try {
      writeFileSync(path.join(dir, 'occupations_fr.csv'), 'conceptUri\n');
      await assert.rejects(importEsco(database.db, dir), /no ESCO files in Italian or English/);
      await assert.rejects(importEsco(database.db, path.join(dir, 'missing')), /no such directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ensureCuratedEsco', () => {
  let database: TestDatabase;
  before(async () => {
    database = await testDb();
  });
  after(async () => {
    await database.close();
  });

  it('loads the curated set once, keeps labels an import wrote, and is searchable', async () => {
    const { db } = database;
    await importEsco(db, NO_SKILLS);
    assert.equal(await ensureCuratedEsco(db), true);
    const c1 = await counts(db);
    assert.equal(await ensureCuratedEsco(db), false);
    assert.deepEqual(await counts(db), c1);
    const set = curatedSet();
    const curated = await db
      .selectFrom('esco_occupations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('curated', '=', true)
      .executeTakeFirstOrThrow();
    assert.equal(Number(curated.n), set.occupations.length);
    // The import's Italian label stays (the curated one only fills empty labels).
    const nurse = await db
      .selectFrom('esco_occupations')
      .select('label_it')
      .where('uri', '=', NURSE)
      .executeTakeFirstOrThrow();
    assert.equal(nurse.label_it, 'infermiere');
    const hits = await searchOccupations(db, 'magazinere', 'it');
    assert.ok(hits.some((h) => h.label === 'magazziniere'));
    const oss = await searchOccupations(db, 'operatore socio sanitario', 'it');
    assert.match(oss[0]?.label ?? '', /OSS/);
  });
});
