import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CandidateCourse,
  daysBetween,
  haversineKm,
  type MissingSkill,
  mergeMissing,
  recommendCourses,
} from './recommend.ts';

const PERUGIA = { latitude: 43.10676, longitude: 12.38825 };
const TERNI = { latitude: 42.56071, longitude: 12.64669 };
const ASSISI = { latitude: 43.07083, longitude: 12.6154 };

const missing: MissingSkill[] = [
  { uri: 'S1', label: 'Saldare', relation: 'essential' },
  { uri: 'S2', label: 'Leggere disegni', relation: 'essential' },
  { uri: 'S3', label: 'Sicurezza', relation: 'optional' },
];

function course(over: Partial<CandidateCourse> & { id: string }): CandidateCourse {
  return {
    title: over.id,
    providerName: 'Ente',
    mode: 'in_person',
    place: PERUGIA,
    municipalityName: 'Perugia',
    startsOn: '2026-12-10',
    seats: 10,
    seatsTaken: 0,
    costEur: 0,
    funding: 'gol',
    eqfLevel: 3,
    skillUris: [],
    ...over,
  };
}

describe('recommendCourses', () => {
  it('ranks by weighted coverage of missing skills, essential above optional', () => {
    const r = recommendCourses({
      missing,
      home: PERUGIA,
      today: '2026-12-01',
      candidates: [
        course({ id: 'optional-only', skillUris: ['S3'] }),
        course({ id: 'one-essential', skillUris: ['S1', 'X'] }),
        course({ id: 'two-essential', skillUris: ['S1', 'S2'] }),
        course({ id: 'nothing', skillUris: ['X', 'Y'] }),
      ],
    });
    assert.deepEqual(
      r.map((x) => x.course.id),
      ['two-essential', 'one-essential', 'optional-only'],
    );
    const first = r[0]!;
    assert.deepEqual(
      first.explanation.covers.map((c) => c.uri),
      ['S2', 'S1'], // essential ones, by label: "Leggere disegni" before "Saldare"
    );
    assert.equal(first.explanation.coveredEssential, 2);
    assert.equal(first.explanation.coverage, Math.round((2 / 2.4) * 1000) / 1000);
    assert.equal(first.explanation.free, true);
    assert.equal(first.explanation.distanceKm, 0);
  });

  it('leaves out courses already started or full, and keeps one starting today', () => {
    const r = recommendCourses({
      missing,
      home: PERUGIA,
      today: '2026-12-01',
      candidates: [
        course({ id: 'started', skillUris: ['S1'], startsOn: '2026-11-30' }),
        course({ id: 'full', skillUris: ['S1'], seats: 5, seatsTaken: 5 }),
        course({ id: 'today', skillUris: ['S1'], startsOn: '2026-12-01' }),
      ],
    });
    assert.deepEqual(
      r.map((x) => x.course.id),
      ['today'],
    );
    assert.equal(r[0]!.explanation.daysToStart, 0);
  });

  it('penalises distance beyond 30 km only, and remote courses are at distance 0', () => {
    const r = recommendCourses({
      missing,
      home: PERUGIA,
      today: '2026-12-01',
      candidates: [
        course({ id: 'terni', skillUris: ['S1'], place: TERNI }),
        course({ id: 'assisi', skillUris: ['S1'], place: ASSISI }),
        course({ id: 'remote', skillUris: ['S1'], mode: 'remote', place: null, municipalityName: null }),
      ],
    });
    const byId = new Map(r.map((x) => [x.course.id, x]));
    assert.equal(byId.get('remote')!.explanation.distanceKm, 0);
    const assisi = byId.get('assisi')!;
    assert.ok(assisi.explanation.distanceKm! > 15 && assisi.explanation.distanceKm! < 30);
    assert.equal(assisi.score, byId.get('remote')!.score, 'within 30 km costs nothing');
    const terni = byId.get('terni')!;
    assert.ok(terni.explanation.distanceKm! > 60);
    assert.ok(terni.score < assisi.score);
    assert.equal(r.at(-1)!.course.id, 'terni');
  });

  it('prefers the sooner start when coverage is equal, and explains cost and funding', () => {
    const r = recommendCourses({
      missing,
      home: null,
      today: '2026-12-01',
      candidates: [
        course({ id: 'late', skillUris: ['S1'], startsOn: '2027-03-01', costEur: 300, funding: 'none' }),
        course({ id: 'soon', skillUris: ['S1'], startsOn: '2026-12-05' }),
      ],
    });
    assert.deepEqual(
      r.map((x) => x.course.id),
      ['soon', 'late'],
    );
    const late = r[1]!;
    assert.equal(late.explanation.free, false);
    assert.equal(late.explanation.costEur, 300);
    assert.equal(late.explanation.funding, 'none');
    assert.equal(late.explanation.distanceKm, null, 'unknown home: distance unknown, no penalty');
    assert.equal(late.explanation.daysToStart, 90);
  });

  it('returns nothing without missing skills and respects the limit', () => {
    assert.deepEqual(
      recommendCourses({
        missing: [],
        home: null,
        today: '2026-12-01',
        candidates: [course({ id: 'a', skillUris: ['S1'] })],
      }),
      [],
    );
    const many = Array.from({ length: 30 }, (_, i) => course({ id: `c${i}`, skillUris: ['S1'] }));
    assert.equal(recommendCourses({ missing, home: null, today: '2026-12-01', candidates: many }).length, 10);
    assert.equal(
      recommendCourses({ missing, home: null, today: '2026-12-01', candidates: many, limit: 3 }).length,
      3,
    );
  });
});

describe('helpers', () => {
  it('haversine: Perugia–Terni is about 66 km', () => {
    const km = haversineKm(PERUGIA, TERNI);
    assert.ok(km > 60 && km < 70, String(km));
    assert.equal(haversineKm(PERUGIA, PERUGIA), 0);
  });
  it('daysBetween counts calendar days across months', () => {
    assert.equal(daysBetween('2026-12-30', '2027-01-02'), 3);
    assert.equal(daysBetween('2026-12-02', '2026-12-01'), -1);
  });
  it('mergeMissing keeps each skill once and essential wins', () => {
    const merged = mergeMissing([
      { missing: [{ uri: 'A', label: 'a', relation: 'optional' }] },
      {
        missing: [
          { uri: 'A', label: 'a', relation: 'essential' },
          { uri: 'B', label: 'b', relation: 'optional' },
        ],
      },
    ]);
    assert.deepEqual(merged, [
      { uri: 'A', label: 'a', relation: 'essential' },
      { uri: 'B', label: 'b', relation: 'optional' },
    ]);
  });
});
