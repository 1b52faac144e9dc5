import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bruteForce } from './brute-force.ts';
import { MatchIndex } from './index.ts';
import { explain, type Profile, score } from './score.ts';
import { generate } from './synthetic.ts';

const base: Profile = {
  id: 1,
  skills: 0b111,
  eqf: 4,
  langs: 3,
  contracts: 1,
  licence: true,
  lat: 41_900_000,
  lon: 12_500_000,
  maxKm: 30,
  consent: true,
};

describe('score and explain', () => {
  it('full match at zero distance', () => {
    assert.equal(score(base, { ...base, id: 2 }, 50), 1000);
  });
  it('explains missing requirements and distance', () => {
    const v = { ...base, id: 2, skills: 0b1001, eqf: 6, langs: 5, contracts: 2, lat: 42_000_000 };
    const e = explain({ ...base, licence: false }, v, 50);
    assert.deepEqual(e.skillsMet, [0]);
    assert.deepEqual(e.skillsMissing, [3]);
    assert.equal(e.eqfMet, false);
    assert.deepEqual(e.languagesMissing, [0]);
    assert.equal(e.contractMet, false);
    assert.equal(e.licenceMet, false);
    assert.ok(Math.abs(e.distanceKm - 11.1) < 0.2);
  });
  it('outside the radius scores -1', () => {
    assert.equal(score(base, { ...base, lat: 43_000_000 }, 50), -1);
  });
});

describe('index equals brute force', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}, both directions`, () => {
      const recs = generate(20_000, seed);
      const queries = generate(30, seed + 100, 1_000_000);
      const idx = new MatchIndex();
      for (const r of recs) idx.upsert(r);
      for (const q of queries) {
        for (const forPerson of [true, false]) {
          for (const radius of [10, 40]) {
            assert.deepEqual(
              idx.search(q, radius, 20, forPerson),
              bruteForce(q, recs, radius, 20, forPerson),
            );
          }
        }
      }
    });
  }
  it('upsert and removal', () => {
    const recs = generate(5_000, 9);
    const idx = new MatchIndex();
    for (const r of recs) idx.upsert(r);
    const q = generate(1, 77, 1_000_000)[0] as Profile;
    const moved = { ...(recs[0] as Profile), lat: q.lat, lon: q.lon, skills: -1, consent: true };
    recs[0] = moved;
    idx.upsert(moved);
    idx.remove(2);
    const kept = recs.filter((r) => r.id !== 2);
    assert.deepEqual(idx.search(q, 30, 50, false), bruteForce(q, kept, 30, 50, false));
    assert.equal(idx.size, 4_999);
  });
});
