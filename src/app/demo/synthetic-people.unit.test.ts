import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ageOn, isValidPartitaIva, validateCodiceFiscale } from '../../identity/domain/codice-fiscale.ts';
import {
  DEMO_AGENCY,
  DEMO_CITIZEN,
  DEMO_COMPANY,
  DEMO_MUNICIPALITIES,
  DEMO_OFFICES,
  FOREIGN_STATES,
  OTHER_ITALIAN_BIRTH_PLACES,
} from './demo-region.ts';
import { NAME_LIST_SIZES, seededRandom, syntheticPeople } from './synthetic-people.ts';

const TODAY = '2026-06-15';

describe('seededRandom', () => {
  it('is deterministic, in [0, 1) and depends on the seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      xs,
      Array.from({ length: 1000 }, () => b()),
    );
    assert.notDeepEqual(
      xs,
      Array.from({ length: 1000 }, () => c()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    // Crude uniformity check: the mean of 1,000 draws is close to 0.5.
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, String(mean));
  });
});

describe('syntheticPeople', () => {
  it('gives the same people for the same seed and date, others for another seed', () => {
    const run = (seed: number) => [...syntheticPeople({ count: 300, seed, today: TODAY })];
    assert.deepEqual(run(1), run(1));
    assert.notDeepEqual(run(1), run(2));
  });

  it('yields exactly `count` people', () => {
    assert.equal([...syntheticPeople({ count: 0, seed: 1, today: TODAY })].length, 0);
    assert.equal([...syntheticPeople({ count: 17, seed: 1, today: TODAY })].length, 17);
  });

  it('produces 2,000 plausible, unique, valid identities', () => {
    const people = [...syntheticPeople({ count: 2000, seed: 2026, today: TODAY })];
    assert.equal(people.length, 2000);
    const residences = new Set(DEMO_MUNICIPALITIES.map((m) => m.istatCode));
    for (const p of people) {
      const r = validateCodiceFiscale(p.fiscalCode, TODAY);
      assert.ok(r.ok, `${p.fiscalCode} for ${JSON.stringify(p)}`);
      assert.equal(r.birthDate, p.birthDate);
      assert.equal(r.sex, p.sex);
      assert.equal(r.birthPlaceCode, p.birthPlaceCode);
      const age = ageOn(p.birthDate, TODAY);
      assert.ok(age >= 16 && age <= 67, `age ${age}`);
      assert.match(p.phone, /^\+39 3\d{2} \d{7}$/);
      assert.match(p.email, /^[a-z]+\.[a-z]+\.\d+@demo\.sportello\.example$/);
      assert.ok(residences.has(p.municipalityCode));
    }
    assert.equal(new Set(people.map((p) => p.fiscalCode)).size, people.length);
    assert.equal(new Set(people.map((p) => p.email)).size, people.length);
    // About 10% born abroad, about half women.
    const abroad = people.filter((p) => p.birthPlaceCode.startsWith('Z')).length / people.length;
    assert.ok(abroad > 0.06 && abroad < 0.14, `abroad ${abroad}`);
    const women = people.filter((p) => p.sex === 'F').length / people.length;
    assert.ok(women > 0.44 && women < 0.56, `women ${women}`);
    // Minors (16–17) occur, as in a real register of young job seekers.
    assert.ok(people.some((p) => ageOn(p.birthDate, TODAY) < 18));
  });

  it('uses omocodia to keep fiscal codes unique when identities collide', () => {
    // With this seed and date, person 5,002 gets the same code as an earlier one (small foreign
    // name lists collide first): it must get an omocodic, still valid, code.
    const people = [...syntheticPeople({ count: 6000, seed: 42, today: TODAY })];
    assert.equal(new Set(people.map((p) => p.fiscalCode)).size, people.length);
    const omocodic = people.filter((p) => /[LMNPQRSTUV]/.test(p.fiscalCode.slice(12, 15)));
    assert.ok(omocodic.length > 0);
    for (const p of omocodic) {
      const r = validateCodiceFiscale(p.fiscalCode, TODAY);
      assert.ok(r.ok);
      assert.equal(r.birthPlaceCode, p.birthPlaceCode);
      assert.equal(r.birthDate, p.birthDate);
    }
  });

  it('draws on name lists of the intended size', () => {
    assert.ok(NAME_LIST_SIZES.italianMale >= 60);
    assert.ok(NAME_LIST_SIZES.italianFemale >= 60);
    assert.ok(NAME_LIST_SIZES.italianSurnames >= 150);
  });
});

describe('demo region data', () => {
  it('has well-formed, unique municipalities', () => {
    assert.ok(DEMO_MUNICIPALITIES.length >= 20);
    for (const m of DEMO_MUNICIPALITIES) {
      assert.match(m.istatCode, /^05[45]\d{3}$/, m.name); // provinces of Perugia (054) and Terni (055)
      assert.match(m.belfiore, /^[A-Z]\d{3}$/);
      assert.ok(m.latitude > 42.3 && m.latitude < 43.7 && m.longitude > 11.8 && m.longitude < 13.3, m.name);
    }
    assert.equal(new Set(DEMO_MUNICIPALITIES.map((m) => m.istatCode)).size, DEMO_MUNICIPALITIES.length);
    assert.equal(new Set(DEMO_MUNICIPALITIES.map((m) => m.belfiore)).size, DEMO_MUNICIPALITIES.length);
  });

  it('places offices and the agency in listed municipalities', () => {
    const codes = new Set(DEMO_MUNICIPALITIES.map((m) => m.istatCode));
    for (const o of DEMO_OFFICES) assert.ok(codes.has(o.municipalityCode), o.name);
    assert.ok(codes.has(DEMO_AGENCY.municipalityCode));
  });

  it('has Belfiore codes for other birth places and foreign states', () => {
    assert.ok(OTHER_ITALIAN_BIRTH_PLACES.some((p) => p.belfiore === 'H501' && p.name === 'Roma'));
    assert.ok(OTHER_ITALIAN_BIRTH_PLACES.some((p) => p.belfiore === 'F205' && p.name === 'Milano'));
    for (const s of FOREIGN_STATES) assert.match(s.belfiore, /^Z\d{3}$/);
  });

  it('uses partite IVA that pass the check digit', () => {
    assert.ok(isValidPartitaIva(DEMO_AGENCY.vatNumber));
    assert.ok(isValidPartitaIva(DEMO_COMPANY.vatNumber));
    assert.ok(isValidPartitaIva(DEMO_COMPANY.fiscalCode));
  });

  it('gives the demo citizen a fiscal code matching their data', () => {
    const r = validateCodiceFiscale(DEMO_CITIZEN.fiscalCode, TODAY);
    assert.ok(r.ok);
    assert.equal(r.birthDate, DEMO_CITIZEN.birthDate);
    assert.equal(r.sex, DEMO_CITIZEN.sex);
    assert.equal(r.birthPlaceCode, DEMO_CITIZEN.birthPlaceCode);
  });
});
