import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHeader, parseEuro, validateCourse, validateCsvRow } from './course-input.ts';

const good = {
  provider_vat: '01234567897',
  title: 'Saldatura TIG',
  description: 'Corso pratico',
  eqf_level: '3',
  mode: 'in_person',
  municipality_code: '054039',
  address: 'Via Roma 1',
  starts_on: '2027-02-01',
  ends_on: '2027-03-15',
  hours: '120',
  seats: '12',
  cost_eur: '250,50',
  funding: 'gol',
  skills: 'http://data.europa.eu/esco/skill/a | http://data.europa.eu/esco/skill/b',
};

describe('CSV row validation', () => {
  it('accepts a complete row and normalises its values', () => {
    const r = validateCsvRow(2, good);
    assert.ok(r.ok);
    assert.equal(r.value.costEur, 250.5);
    assert.equal(r.value.eqfLevel, 3);
    assert.deepEqual(r.value.skillUris, [
      'http://data.europa.eu/esco/skill/a',
      'http://data.europa.eu/esco/skill/b',
    ]);
  });

  it('lists every wrong column of a row with the row number', () => {
    const r = validateCsvRow(7, {
      ...good,
      provider_vat: '123',
      title: '',
      mode: 'teleport',
      starts_on: '2027-02-30',
      hours: 'ten',
      seats: '0',
      cost_eur: '12.345',
      funding: 'lottery',
      eqf_level: '9',
      skills: 'not a uri',
    });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.ok(r.errors.every((e) => e.row === 7));
    assert.deepEqual(r.errors.map((e) => e.column).sort(), [
      'cost_eur',
      'eqf_level',
      'funding',
      'hours',
      'mode',
      'provider_vat',
      'seats',
      'skills',
      'starts_on',
      'title',
    ]);
    assert.equal(r.errors.find((e) => e.column === 'seats')?.error, 'training.errors.outOfRange');
    assert.equal(r.errors.find((e) => e.column === 'starts_on')?.error, 'training.errors.date');
  });

  it('requires a place for in-person and blended courses, not for remote ones', () => {
    const inPerson = validateCourse({ ...good, municipality_code: '' });
    assert.equal(inPerson.ok, false);
    if (!inPerson.ok) assert.equal(inPerson.errors.municipality_code, 'training.errors.placeRequired');
    const remote = validateCourse({ ...good, mode: 'remote', municipality_code: '', address: 'ignored' });
    assert.ok(remote.ok);
    assert.equal(remote.value.municipalityCode, null);
    assert.equal(remote.value.address, null);
  });

  it('refuses an end before the start and control characters', () => {
    const r = validateCourse({ ...good, ends_on: '2027-01-01', title: 'Bad\u0007title' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.errors.ends_on, 'training.errors.endsBeforeStart');
    assert.equal(r.errors.title, 'errors.invalidCharacters');
  });

  it('reads euros with comma or dot; empty is free', () => {
    assert.equal(parseEuro(''), 0);
    assert.equal(parseEuro('0'), 0);
    assert.equal(parseEuro('1200.5'), 1200.5);
    assert.equal(parseEuro('-3'), null);
    assert.equal(parseEuro('1e3'), null);
  });

  it('checks the header: unknown and missing columns', () => {
    assert.deepEqual(checkHeader(Object.keys(good)), []);
    const errors = checkHeader(['title', 'colour']);
    assert.ok(errors.some((e) => e.column === 'colour' && e.error === 'training.import.unknownColumn'));
    assert.ok(errors.some((e) => e.column === 'provider_vat' && e.error === 'training.import.missingColumn'));
    assert.ok(errors.every((e) => e.row === 1));
  });
});
