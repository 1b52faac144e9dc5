import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CvDocument, normaliseMonth, normalisePhone, validateCv } from './cv.ts';
import { EUROPASS_NS, fromEuropassXml, htmlOfText, textOfHtml, toEuropassXml } from './europass.ts';

export const SAMPLE_CV: CvDocument = {
  personal: {
    givenName: 'Amélie',
    familyName: "D'Angelo & Figli",
    email: 'amelie@example.org',
    phone: '+393331234567',
    city: 'Perugia',
    birthDate: '1990-02-28',
  },
  about: 'Cerco lavoro in <magazzino> & logistica.\nDisponibile subito.',
  work: [
    {
      title: 'Magazziniera',
      employer: 'Logistica Umbra S.r.l.',
      place: 'Bastia Umbra',
      from: '2019-03',
      to: '2023-06',
      description: 'Carico e scarico merci.\nInventario "mensile".',
      occupationUri: 'http://data.europa.eu/esco/occupation/abc-123',
    },
    {
      title: 'Cassiera',
      employer: '',
      place: '',
      from: '2023-07',
      to: null,
      description: '',
      occupationUri: null,
    },
  ],
  education: [
    { title: 'Diploma di ragioneria', organisation: 'ITC Capitini', eqf: 4, from: '2004-09', to: '2009-07' },
    { title: 'Corso HACCP', organisation: '', eqf: null, from: null, to: null },
  ],
  languages: {
    mother: ['it', 'fr'],
    others: [
      {
        code: 'en',
        listening: 'B2',
        reading: 'C1',
        spokenProduction: 'B1',
        spokenInteraction: 'B1',
        writing: 'A2',
      },
    ],
  },
  digital: {
    areas: [
      { area: 'information', level: 2 },
      { area: 'safety', level: 0 },
    ],
    items: ['Fogli di calcolo', 'Posta elettronica'],
  },
  skills: [
    { uri: 'http://data.europa.eu/esco/skill/s-1', label: 'gestire le scorte', level: '3', validated: true },
    { uri: null, label: 'Lavoro di squadra', level: null, validated: false },
  ],
  badges: [
    {
      id: 'b-1',
      name: 'Sicurezza sul lavoro',
      issuedAt: '2024-05-10',
      verifyUrl: 'https://sportello.example/badge/b-1',
    },
  ],
  drivingLicences: ['B', 'C1'],
};

const xmlOf = (cv: CvDocument) =>
  toEuropassXml(cv, { documentId: 'doc-1', lang: 'it', supplier: 'Sportello' });

test('the sample CV is valid and round-trips: CV → Europass XML → CV is the same CV', () => {
  assert.equal(validateCv(SAMPLE_CV).ok, true);
  const xml = xmlOf(SAMPLE_CV);
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'));
  assert.ok(xml.includes(`<Candidate xmlns="${EUROPASS_NS}"`));
  assert.ok(
    xml.includes('<hr:CompetencyDimensionTypeCode>CEF-Speaking-Interaction</hr:CompetencyDimensionTypeCode>'),
  );
  assert.ok(xml.includes('<hr:LicenseTypeCode>C1</hr:LicenseTypeCode>'));
  const back = fromEuropassXml(Buffer.from(xml, 'utf8'));
  assert.equal(back.ok, true, JSON.stringify(back));
  if (back.ok) assert.deepEqual(back.cv, SAMPLE_CV);
});

test('an empty CV with only a name round-trips', () => {
  const cv: CvDocument = {
    ...SAMPLE_CV,
    personal: { givenName: 'Ada', familyName: 'Rossi', email: '', phone: '', city: '', birthDate: '' },
    about: '',
    work: [],
    education: [],
    languages: { mother: [], others: [] },
    digital: { areas: [], items: [] },
    skills: [],
    badges: [],
    drivingLicences: [],
  };
  const back = fromEuropassXml(xmlOf(cv));
  assert.equal(back.ok, true, JSON.stringify(back));
  if (back.ok) assert.deepEqual(back.cv, cv);
});

test('an external-entity XML (XXE) is refused before parsing', () => {
  const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Candidate xmlns="${EUROPASS_NS}"><CandidatePerson><PersonName><GivenName>&e;</GivenName></PersonName></CandidatePerson></Candidate>`;
  const r = fromEuropassXml(xxe);
  assert.deepEqual(r, { ok: false, error: { kind: 'file', key: 'cv.import.errors.doctype' } });
});

test('a billion-laughs bomb is refused at once', () => {
  const levels = Array.from({ length: 10 }, (_, i) =>
    i === 0 ? '<!ENTITY lol0 "lol">' : `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`,
  ).join('');
  const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [${levels}]><Candidate xmlns="${EUROPASS_NS}">&lol9;</Candidate>`;
  const started = performance.now();
  const r = fromEuropassXml(bomb);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.kind === 'file' && r.error.key, 'cv.import.errors.doctype');
  assert.ok(performance.now() - started < 1000);
});

test('an undeclared entity, deep nesting, a huge file and a non-UTF-8 file are refused with their reason', () => {
  const keyOf = (input: string | Buffer) => {
    const r = fromEuropassXml(input);
    return !r.ok && r.error.kind === 'file' ? r.error.key : 'accepted';
  };
  assert.equal(keyOf(`<Candidate xmlns="${EUROPASS_NS}">&foo;</Candidate>`), 'cv.import.errors.entity');
  const deep = `<Candidate xmlns="${EUROPASS_NS}">${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</Candidate>`;
  assert.equal(keyOf(deep), 'cv.import.errors.tooDeep');
  assert.equal(keyOf(Buffer.alloc(3 * 1024 * 1024, 0x20)), 'cv.import.errors.tooLarge');
  assert.equal(keyOf(Buffer.from([0x3c, 0x61, 0xff, 0xfe, 0x3e])), 'cv.import.errors.encoding');
  assert.equal(keyOf(''), 'cv.import.errors.empty');
  assert.equal(keyOf('just some text'), 'cv.import.errors.notXml');
});

test('malformed XML is refused with the line of the mistake', () => {
  const r = fromEuropassXml(`<Candidate xmlns="${EUROPASS_NS}">\n<CandidatePerson>\n</Candidate>`);
  assert.equal(r.ok, false);
  if (!r.ok && r.error.kind === 'file') {
    assert.equal(r.error.key, 'cv.import.errors.malformed');
    assert.equal(typeof r.error.params?.line, 'number');
  } else assert.fail('expected a file error');
});

test('a Candidate in another namespace, or another root, is not a Europass CV', () => {
  const wrong = fromEuropassXml(xmlOf(SAMPLE_CV).replace(EUROPASS_NS, 'http://example.org/cv'));
  assert.deepEqual(wrong, {
    ok: false,
    error: { kind: 'file', key: 'cv.import.errors.namespace', params: { found: 'http://example.org/cv' } },
  });
  const old = fromEuropassXml(
    '<Europass xmlns="http://europass.cedefop.europa.eu/Europass"><LearnerInfo/></Europass>',
  );
  assert.equal(!old.ok && old.error.kind === 'file' && old.error.key, 'cv.import.errors.notEuropass');
});

test('a prefixed root in the right namespace and the editor’s conventions are read', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ep:Candidate xmlns:ep="${EUROPASS_NS}" xmlns:hr="http://www.hr-xml.org/3" xmlns:oa="http://www.openapplications.org/oagis/9" xmlns:eures="http://www.europass_eures.eu/1.0">
  <ep:CandidatePerson>
    <ep:PersonName><oa:GivenName>John</oa:GivenName><hr:FamilyName>Smith</hr:FamilyName></ep:PersonName>
    <ep:Communication><ep:ChannelCode>Telephone</ep:ChannelCode><ep:CountryDialing>34</ep:CountryDialing><oa:AreaDialing>93</oa:AreaDialing><oa:DialNumber>554446776</oa:DialNumber></ep:Communication>
    <ep:PrimaryLanguageCode name="NORMAL">fra</ep:PrimaryLanguageCode>
  </ep:CandidatePerson>
  <ep:CandidateProfile languageCode="en">
    <hr:ExecutiveSummary>&lt;p&gt;Ran &lt;strong&gt;billing&lt;/strong&gt; &amp;amp; payroll.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Cut costs&lt;/li&gt;&lt;/ul&gt;</hr:ExecutiveSummary>
    <ep:EducationHistory><ep:EducationOrganizationAttendance>
      <hr:OrganizationName>UFR Amiens</hr:OrganizationName>
      <ep:EducationLevelCode listName="EURES_EQF">EQF-5</ep:EducationLevelCode>
      <ep:AttendancePeriod><ep:StartDate><hr:FormattedDateTime>2005</hr:FormattedDateTime></ep:StartDate><ep:EndDate><hr:FormattedDateTime>2010-07-15</hr:FormattedDateTime></ep:EndDate></ep:AttendancePeriod>
      <ep:EducationDegree><hr:DegreeName><![CDATA[Licence <STAPS>]]></hr:DegreeName></ep:EducationDegree>
    </ep:EducationOrganizationAttendance></ep:EducationHistory>
    <ep:PersonQualifications><ep:PersonCompetency><ep:CompetencyID>deu</ep:CompetencyID><hr:TaxonomyID>language</hr:TaxonomyID><eures:ProficiencyLevel><hr:ScoreText>b2</hr:ScoreText></eures:ProficiencyLevel></ep:PersonCompetency></ep:PersonQualifications>
  </ep:CandidateProfile>
</ep:Candidate>`;
  const r = fromEuropassXml(xml);
  assert.equal(r.ok, true, JSON.stringify(r));
  if (!r.ok) return;
  assert.equal(r.cv.personal.phone, '+3493554446776');
  assert.equal(r.cv.about, 'Ran billing & payroll.\nCut costs');
  assert.deepEqual(r.cv.languages.mother, ['fr']);
  assert.deepEqual(r.cv.languages.others[0], {
    code: 'de',
    listening: 'B2',
    reading: 'B2',
    spokenProduction: 'B2',
    spokenInteraction: 'B2',
    writing: 'B2',
  });
  assert.deepEqual(r.cv.education[0], {
    title: 'Licence <STAPS>',
    organisation: 'UFR Amiens',
    eqf: 5,
    from: '2005-01',
    to: '2010-07',
  });
});

test('CEFR values are validated: an unknown level or a missing one names the language entry', () => {
  const bad = xmlOf(SAMPLE_CV).replace('<hr:ScoreText>C1</hr:ScoreText>', '<hr:ScoreText>D9</hr:ScoreText>');
  const r = fromEuropassXml(bad);
  assert.equal(r.ok, false);
  if (!r.ok && r.error.kind === 'content') {
    assert.deepEqual(r.error.issues[0], {
      message: 'cv.errors.cefr',
      section: 'languages',
      entry: 1,
      field: 'reading',
    });
  } else assert.fail('expected content issues');
  const direct = validateCv({
    ...SAMPLE_CV,
    languages: { mother: [], others: [{ ...SAMPLE_CV.languages.others[0], writing: 'B3' }] },
  });
  assert.equal(direct.ok, false);
});

test('a bad date in an imported file is refused, naming the section and the entry', () => {
  const bad = xmlOf(SAMPLE_CV).replace(
    '<hr:FormattedDateTime>2023-07</hr:FormattedDateTime>',
    '<hr:FormattedDateTime>luglio</hr:FormattedDateTime>',
  );
  const r = fromEuropassXml(bad);
  assert.equal(
    !r.ok && r.error.kind === 'content' && JSON.stringify(r.error.issues[0]),
    JSON.stringify({ message: 'cv.errors.month', section: 'work', entry: 2, field: 'from' }),
  );
});

test('an unknown language code is refused by name', () => {
  const bad = xmlOf(SAMPLE_CV).replace(
    '<PrimaryLanguageCode name="NORMAL">fr</PrimaryLanguageCode>',
    '<PrimaryLanguageCode name="FREE_TEXT">Mirandês</PrimaryLanguageCode>',
  );
  const r = fromEuropassXml(bad);
  assert.deepEqual(r, {
    ok: false,
    error: { kind: 'file', key: 'cv.import.errors.languageCode', params: { code: 'Mirandês' } },
  });
});

test('long texts: plain lines ↔ the editor’s HTML', () => {
  assert.equal(htmlOfText('a < b\n\nc'), '<p>a &lt; b</p><p></p><p>c</p>');
  assert.equal(textOfHtml(htmlOfText('a < b\n\nc')), 'a < b\n\nc');
  assert.equal(textOfHtml('<p>x<br>y</p><script>alert(1)</script>'), 'x\ny');
});

test('phones and months are normalised as people type them', () => {
  assert.equal(normalisePhone('333 123 4567'), '+393331234567');
  assert.equal(normalisePhone('0039 333 1234567'), '+393331234567');
  assert.equal(normalisePhone('+44 20 7946 0958'), '+442079460958');
  assert.equal(normaliseMonth('3/2021'), '2021-03');
  assert.equal(normaliseMonth('13/2021'), '2021-13');
});
