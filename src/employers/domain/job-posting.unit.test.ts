import assert from 'node:assert/strict';
import { test } from 'node:test';
import { employmentTypes, type JobPostingInput, jobPosting } from './job-posting.ts';

const base: JobPostingInput = {
  id: '4f6c1a1e-0000-4000-8000-000000000001',
  title: 'Magazziniere',
  description: 'Gestione del magazzino, carico e scarico merci, inventario.',
  datePosted: new Date('2026-11-20T09:00:00Z'),
  expiresOn: '2027-01-31',
  contractType: 'determinato',
  hours: 'full_time',
  company: { name: 'Tessiture del Chiascio S.r.l.', publicSlug: 'tessiture-del-chiascio' },
  place: { municipality: 'Perugia', province: 'PG' },
  remote: 'no',
  pay: { min: 1400, max: 1700, period: 'month' },
  occupation: { uri: 'http://data.europa.eu/esco/occupation/abc', iscoCode: '4321' },
  eqfRequired: 3,
  skills: ['gestire il magazzino', 'usare il muletto'],
  positions: 2,
  experienceYears: 1,
  startDate: '2026-12-15',
};

test('a vacancy becomes a schema.org JobPosting with place, pay, organisation and links', () => {
  const j = jobPosting(base, 'https://lavoro.example/');
  assert.equal(j['@context'], 'https://schema.org');
  assert.equal(j['@type'], 'JobPosting');
  assert.equal(j.title, 'Magazziniere');
  assert.equal(j.url, `https://lavoro.example/offerte/${base.id}`);
  assert.deepEqual(j.identifier, { '@type': 'PropertyValue', name: 'Sportello Lavoro', value: base.id });
  assert.equal(j.datePosted, '2026-11-20T09:00:00.000Z');
  assert.equal(j.validThrough, '2027-01-31T23:59:59Z');
  assert.deepEqual(j.employmentType, ['FULL_TIME', 'TEMPORARY']);
  assert.deepEqual(j.hiringOrganization, {
    '@type': 'Organization',
    name: 'Tessiture del Chiascio S.r.l.',
    sameAs: 'https://lavoro.example/aziende/tessiture-del-chiascio',
  });
  assert.deepEqual(j.jobLocation, {
    '@type': 'Place',
    address: {
      '@type': 'PostalAddress',
      addressLocality: 'Perugia',
      addressRegion: 'PG',
      addressCountry: 'IT',
    },
  });
  assert.equal(j.jobLocationType, undefined);
  assert.deepEqual(j.baseSalary, {
    '@type': 'MonetaryAmount',
    currency: 'EUR',
    value: { '@type': 'QuantitativeValue', unitText: 'MONTH', minValue: 1400, maxValue: 1700 },
  });
  assert.equal(j.occupationalCategory, '4321');
  assert.deepEqual(j.educationRequirements, {
    '@type': 'EducationalOccupationalCredential',
    credentialCategory: 'high school',
    name: 'EQF 3',
  });
  assert.equal(j.skills, 'gestire il magazzino, usare il muletto');
  assert.equal(j.totalJobOpenings, 2);
  assert.deepEqual(j.experienceRequirements, {
    '@type': 'OccupationalExperienceRequirements',
    monthsOfExperience: 12,
  });
  assert.equal(j.jobStartDate, '2026-12-15');
  // Serialisable as JSON-LD.
  assert.deepEqual(JSON.parse(JSON.stringify(j)), j);
});

test('fully remote is TELECOMMUTE without a jobLocation; no pay, no EQF, no slug leave those out', () => {
  const j = jobPosting(
    {
      ...base,
      remote: 'full',
      place: null,
      pay: null,
      eqfRequired: 0,
      skills: [],
      company: { name: 'Acme' },
      occupation: { uri: 'http://data.europa.eu/esco/occupation/xyz' },
      experienceYears: 0,
      startDate: null,
    },
    'https://lavoro.example',
  );
  assert.equal(j.jobLocationType, 'TELECOMMUTE');
  assert.equal(j.jobLocation, undefined);
  assert.equal(j.baseSalary, undefined);
  assert.equal(j.educationRequirements, undefined);
  assert.equal(j.skills, undefined);
  assert.equal(j.experienceRequirements, undefined);
  assert.equal(j.jobStartDate, undefined);
  assert.deepEqual(j.hiringOrganization, { '@type': 'Organization', name: 'Acme' });
  assert.equal(j.occupationalCategory, 'http://data.europa.eu/esco/occupation/xyz');
});

test('a single pay figure is a value; hourly pay uses HOUR; an expiry Date keeps its day', () => {
  const j = jobPosting(
    { ...base, pay: { min: 9, max: null, period: 'hour' }, expiresOn: new Date('2027-02-01T00:00:00Z') },
    'https://x.example',
  );
  assert.deepEqual(j.baseSalary, {
    '@type': 'MonetaryAmount',
    currency: 'EUR',
    value: { '@type': 'QuantitativeValue', unitText: 'HOUR', value: 9 },
  });
  assert.equal(j.validThrough, '2027-02-01T23:59:59Z');
});

test('Italian contract types map to schema.org employment types', () => {
  assert.deepEqual(employmentTypes('indeterminato', 'full_time'), ['FULL_TIME']);
  assert.deepEqual(employmentTypes('indeterminato', 'part_time'), ['PART_TIME']);
  assert.deepEqual(employmentTypes('apprendistato', 'full_time'), ['FULL_TIME']);
  assert.deepEqual(employmentTypes('stagionale', 'part_time'), ['PART_TIME', 'TEMPORARY']);
  assert.deepEqual(employmentTypes('somministrazione', 'full_time'), ['FULL_TIME', 'TEMPORARY']);
  assert.deepEqual(employmentTypes('tirocinio', 'full_time'), ['FULL_TIME', 'INTERN']);
});
