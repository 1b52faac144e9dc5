import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bruteForce } from './brute-force.ts';
import { MatchIndex } from './index.ts';
import { languagesMet, languagesMissing, type Profile, packLanguages, score } from './score.ts';
import { generatePeople, generateVacancies, prng } from './synthetic.ts';

const person: Profile = {
  id: 1,
  skills: [3, 7, 9],
  eqf: 4,
  langs: packLanguages([
    { code: 'it', level: 'native' },
    { code: 'en', level: 'B1' },
  ]),
  contracts: 0b11,
  licences: 1 << 4,
  lat: 43_110_000,
  lon: 12_390_000,
  remote: false,
  maxKm: 30,
  consent: true,
};
const vacancy: Profile = {
  ...person,
  id: 2,
  maxKm: 0,
  contracts: 0b1,
  langs: packLanguages([{ code: 'it', level: 'B2' }]),
};

describe('score', () => {
  it('gives 1000 to a full match at zero distance', () => {
    assert.equal(score(person, vacancy, 50), 1000);
  });
  it('takes points away for each missing requirement, in the documented amounts', () => {
    const v = { ...vacancy, skills: [3, 4, 5, 9], eqf: 6, contracts: 0b100, licences: 1 << 6 };
    // skills 400 × 2/4 = 200; no EQF, languages met 100, no contract, no licence; nearness 200.
    assert.equal(score(person, v, 50), 200 + 100 + 200);
  });
  it('counts nearness down by 2 points a km and refuses beyond the radius', () => {
    const far = { ...vacancy, lat: vacancy.lat + 90_000 }; // ≈ 10 km north
    const s = score(person, far, 50);
    assert.ok(s >= 1000 - 21 && s <= 1000 - 19, String(s));
    assert.equal(score(person, far, 5), -1);
    assert.equal(score(person, { ...far, remote: true }, 5), 1000);
  });
  it('compares languages level by level', () => {
    const p = packLanguages([{ code: 'en', level: 'B2' }]);
    assert.equal(languagesMet(p, packLanguages([{ code: 'en', level: 'B2' }])), true);
    assert.equal(languagesMet(p, packLanguages([{ code: 'en', level: 'C1' }])), false);
    assert.equal(languagesMet(p, packLanguages([{ code: 'de', level: 'A1' }])), false);
    assert.deepEqual(
      languagesMissing(
        p,
        packLanguages([
          { code: 'de', level: 'A1' },
          { code: 'en', level: 'B1' },
        ]),
      ),
      [3],
    );
    // Every 4-bit field compared independently (no borrow between fields).
    const rnd = prng(5);
    for (let i = 0; i < 2000; i++) {
      let a = 0;
      let b = 0;
      let ok = true;
      for (let f = 0; f < 8; f++) {
        const x = Math.floor(rnd() * 8);
        const y = Math.floor(rnd() * 7);
        a |= x << (f * 4);
        b |= y << (f * 4);
        if (x < y) ok = false;
      }
      assert.equal(languagesMet(a >>> 0, b >>> 0), ok);
    }
  });
});

describe('MatchIndex', () => {
  it('returns exactly the brute-force top-K in both directions, with updates and removals', () => {
    const vacancies = generateVacancies(20_000, 1);
    const people = generatePeople(20_000, 2);
    const vIdx = new MatchIndex(1000);
    const pIdx = new MatchIndex(1000);
    for (const v of vacancies) vIdx.upsert(v);
    for (const p of people) pIdx.upsert(p);
    vIdx.compact(); // laid out again, then changed: both layouts must answer the same
    // Move some records, remove others, re-add a few.
    const rnd = prng(9);
    for (let i = 0; i < 3000; i++) {
      const j = Math.floor(rnd() * vacancies.length);
      const v = vacancies[j] as Profile;
      if (i % 3 === 0) {
        vIdx.remove(v.id);
        vacancies.splice(j, 1);
      } else {
        const moved = {
          ...v,
          lat: v.lat + Math.round((rnd() - 0.5) * 400_000),
          skills: [1, 2, 3].slice(0, 1 + (i % 3)),
        };
        vIdx.upsert(moved);
        vacancies[j] = moved;
      }
    }
    assert.equal(vIdx.size, vacancies.length);
    const q0 = generatePeople(1, 77, 2_000_000)[0] as Profile;
    const before = vIdx.search(q0, q0.maxKm, 20, true);
    vIdx.compact();
    assert.deepEqual(vIdx.search(q0, q0.maxKm, 20, true), before);
    for (const q of generatePeople(60, 3, 1_000_000)) {
      assert.deepEqual(vIdx.search(q, q.maxKm, 20, true), bruteForce(q, vacancies, q.maxKm, 20, true));
    }
    for (const q of generateVacancies(60, 4, 1_000_000)) {
      assert.deepEqual(pIdx.search(q, 30, 50, false), bruteForce(q, people, 30, 50, false));
    }
  });
  it('keeps to one Region when asked', () => {
    const idx = new MatchIndex();
    idx.upsert({ ...person, id: 1 }, 1);
    idx.upsert({ ...person, id: 2 }, 2);
    assert.deepEqual(
      idx.search(vacancy, 30, 5, false, 2).map((h) => h.id),
      [2],
    );
    assert.equal(idx.search(vacancy, 30, 5, false).length, 2);
  });
  it('never returns people who did not consent, and ties go to the lower id', () => {
    const idx = new MatchIndex();
    const twin = { ...person, id: 10, consent: true };
    idx.upsert({ ...person, id: 12 });
    idx.upsert(twin);
    idx.upsert({ ...person, id: 11, consent: false });
    assert.deepEqual(
      idx.search(vacancy, 30, 5, false).map((h) => h.id),
      [10, 12],
    );
  });
  it('refuses ids that are not positive integers', () => {
    assert.throws(() => new MatchIndex().upsert({ ...person, id: 0 }), RangeError);
  });
});
