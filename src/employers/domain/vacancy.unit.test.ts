import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addMonths,
  draftFromForm,
  draftRuleErrors,
  isIsoDate,
  languagesFromForm,
  romeDay,
  statusAfterEdit,
  type VacancyDraft,
  VacancyFormFields,
} from './vacancy.ts';

const base: VacancyDraft = {
  title: 'Magazziniere',
  description: 'Carico e scarico merci, inventario settimanale.',
  occupationUri: null,
  eqfRequired: 0,
  experienceYears: 0,
  essentialSkills: [],
  optionalSkills: [],
  languages: [],
  remote: 'no',
  siteId: null,
  municipality: 'Perugia',
  contractType: 'determinato',
  hours: 'full_time',
  weeklyHours: null,
  payMin: 1400,
  payMax: 1700,
  payPeriod: 'month',
  positions: 1,
  startDate: null,
  expiresOn: '2026-12-31',
  reservedL68: false,
  seasonal: false,
  drivingLicence: null,
  safetyInfo: null,
};
const TODAY = '2026-11-27';

test('a correct draft has no rule errors', () => {
  assert.deepEqual(draftRuleErrors(base, TODAY), {});
});

test('pay range upside down, pay without period, expiry past or beyond 6 months, no place: each named', () => {
  assert.deepEqual(draftRuleErrors({ ...base, payMin: 2000, payMax: 1500 }, TODAY), {
    pay_max: 'vacancies.errors.payOrder',
  });
  assert.deepEqual(draftRuleErrors({ ...base, payPeriod: null }, TODAY), {
    pay_period: 'vacancies.errors.payPeriod',
  });
  assert.deepEqual(draftRuleErrors({ ...base, expiresOn: TODAY }, TODAY), {
    expires_on: 'vacancies.errors.expiryPast',
  });
  assert.deepEqual(draftRuleErrors({ ...base, expiresOn: '2027-05-27' }, TODAY), {});
  assert.deepEqual(draftRuleErrors({ ...base, expiresOn: '2027-05-28' }, TODAY), {
    expires_on: 'vacancies.errors.expiryFar',
  });
  assert.deepEqual(draftRuleErrors({ ...base, municipality: null }, TODAY), {
    site_id: 'vacancies.errors.place',
  });
  assert.deepEqual(draftRuleErrors({ ...base, municipality: null, remote: 'full' }, TODAY), {});
  assert.deepEqual(draftRuleErrors({ ...base, hours: 'part_time', weeklyHours: 40 }, TODAY), {
    weekly_hours: 'vacancies.errors.partTimeHours',
  });
});

test('dates: real calendar days only; months added with the end of month clamped; Rome day', () => {
  assert.equal(isIsoDate('2027-02-28'), true);
  assert.equal(isIsoDate('2027-02-29'), false);
  assert.equal(isIsoDate('2028-02-29'), true);
  assert.equal(isIsoDate('27-02-2027'), false);
  assert.equal(addMonths('2026-08-31', 6), '2027-02-28');
  assert.equal(addMonths('2026-11-27', 6), '2027-05-27');
  assert.equal(addMonths('2027-12-15', 1), '2028-01-15');
  // 23:30 UTC on 31 December is already 1 January in Rome.
  assert.equal(romeDay(new Date('2026-12-31T23:30:00Z')), '2027-01-01');
});

test('the form: strings become a typed draft; languages only from the matching list; remote drops the place', () => {
  const parsed = VacancyFormFields.safeParse({
    title: '  Magazziniere ',
    description: 'Carico e scarico merci, inventario settimanale.',
    eqf_required: '3',
    experience_years: '2',
    remote: 'full',
    site_id: 'other',
    municipality: 'Perugia',
    contract_type: 'indeterminato',
    hours: 'part_time',
    weekly_hours: '20',
    pay_min: '',
    pay_max: '900',
    pay_period: 'month',
    positions: '3',
    expires_on: '2026-12-31',
    seasonal: '1',
  });
  assert.ok(parsed.success);
  const { languages, invalid } = languagesFromForm({
    lang_it: 'B2',
    lang_en: '',
    lang_xx: 'C1',
    lang_fr: 'native',
  });
  assert.deepEqual(languages, [{ code: 'it', level: 'B2' }]);
  assert.deepEqual(invalid, ['lang_fr']);
  const d = draftFromForm(parsed.data, {
    essentialSkills: ['urn:sportello:skill:a', 'not a uri'],
    optionalSkills: ['urn:sportello:skill:a', 'urn:sportello:skill:b'],
    languages,
  });
  assert.equal(d.title, 'Magazziniere');
  assert.equal(d.municipality, null);
  assert.equal(d.siteId, null);
  assert.equal(d.payMin, null);
  assert.equal(d.payMax, 900);
  assert.equal(d.seasonal, true);
  assert.equal(d.reservedL68, false);
  assert.deepEqual(d.essentialSkills, ['urn:sportello:skill:a']);
  assert.deepEqual(d.optionalSkills, ['urn:sportello:skill:b']);
  const bad = VacancyFormFields.safeParse({ title: 'x', eqf_required: '9', pay_min: '1.5' });
  assert.equal(bad.success, false);
});

test('editing: drafts stay drafts, rejected becomes a draft, published goes back to moderation, closed cannot', () => {
  assert.equal(statusAfterEdit('draft'), 'draft');
  assert.equal(statusAfterEdit('rejected'), 'draft');
  assert.equal(statusAfterEdit('submitted'), 'submitted');
  assert.equal(statusAfterEdit('published'), 'submitted');
  assert.equal(statusAfterEdit('expired'), null);
  assert.equal(statusAfterEdit('closed'), null);
});
