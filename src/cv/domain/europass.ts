import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  CEFR_SKILLS,
  type CefrSkill,
  type CvDocument,
  type CvIssue,
  DIGCOMP_AREAS,
  type DigcompArea,
  validateCv,
} from './cv.ts';

/**
 * The Europass CV as a Candidate XML document (namespace http://www.europass.eu/1.0, HR Open
 * Standards 3.2 elements), both ways. The mapping, element by element, and its sources are in
 * europass-mapping.md next to this file.
 */
export const EUROPASS_NS = 'http://www.europass.eu/1.0';
const HR_NS = 'http://www.hr-xml.org/3';
const OA_NS = 'http://www.openapplications.org/oagis/9';
const EURES_NS = 'http://www.europass_eures.eu/1.0';

/** Limits of an import: bigger, deeper or longer files are refused before they are parsed. */
export const IMPORT_LIMITS = { maxBytes: 2 * 1024 * 1024, maxDepth: 40, maxElements: 20_000 } as const;

/** The EURES codes of the five CEFR grid columns (hr:CompetencyDimensionTypeCode). */
const DIMENSION: Record<CefrSkill, string> = {
  listening: 'CEF-Understanding-Listening',
  reading: 'CEF-Understanding-Reading',
  spokenProduction: 'CEF-Speaking-Production',
  spokenInteraction: 'CEF-Speaking-Interaction',
  writing: 'CEF-Writing-Production',
};
/** English names of the DigComp 2.2 areas, written as hr:CompetencyName. */
const AREA_NAME: Record<DigcompArea, string> = {
  information: 'Information and data literacy',
  communication: 'Communication and collaboration',
  content: 'Digital content creation',
  safety: 'Safety',
  problem_solving: 'Problem solving',
};
/** ISO 639-2 codes (bibliographic and terminological) the Europass editor writes, to ISO 639-1. */
export const ISO_639_2: Record<string, string> = {
  ita: 'it',
  eng: 'en',
  fra: 'fr',
  fre: 'fr',
  deu: 'de',
  ger: 'de',
  spa: 'es',
  ron: 'ro',
  rum: 'ro',
  sqi: 'sq',
  alb: 'sq',
  ara: 'ar',
  zho: 'zh',
  chi: 'zh',
  ukr: 'uk',
  rus: 'ru',
  por: 'pt',
  hin: 'hi',
  ben: 'bn',
  tgl: 'tl',
  urd: 'ur',
  pan: 'pa',
  wol: 'wo',
  pol: 'pl',
  nld: 'nl',
  dut: 'nl',
  ell: 'el',
  gre: 'el',
  tur: 'tr',
  srp: 'sr',
  hrv: 'hr',
  bul: 'bg',
  ces: 'cs',
  cze: 'cs',
  slk: 'sk',
  slo: 'sk',
  slv: 'sl',
  hun: 'hu',
  swe: 'sv',
  dan: 'da',
  fin: 'fi',
  nor: 'no',
  est: 'et',
  lav: 'lv',
  lit: 'lt',
  mlt: 'mt',
  gle: 'ga',
  isl: 'is',
  ice: 'is',
  mkd: 'mk',
  mac: 'mk',
  fas: 'fa',
  per: 'fa',
  tam: 'ta',
  tir: 'ti',
  amh: 'am',
  som: 'so',
  hau: 'ha',
  yor: 'yo',
  swa: 'sw',
  jpn: 'ja',
  kor: 'ko',
  vie: 'vi',
  tha: 'th',
  kur: 'ku',
  heb: 'he',
};

// ---------------------------------------------------------------- text in the long fields

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Long texts travel as HTML (the editor's convention): one paragraph per line. */
export function htmlOfText(text: string): string {
  if (text === '') return '';
  return text
    .split('\n')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The editor's HTML back to plain lines: paragraphs, line breaks and list items become lines. */
export function textOfHtml(html: string): string {
  if (!/[<&]/.test(html)) return html.replace(/\r\n?/g, '\n').trim();
  const text = html
    .replace(/\r\n?/g, '\n')
    .replace(/\n/g, ' ')
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, name: string) => {
      if (name.startsWith('#')) {
        const code =
          name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return HTML_ENTITIES[name.toLowerCase()] ?? whole;
    });
  return text
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

// ---------------------------------------------------------------- writing

type XmlObject = Record<string, unknown>;

function period(from: string | null, to: string | null, names: [string, string], current: XmlObject) {
  const out: XmlObject = {};
  if (from) out[names[0]] = { 'hr:FormattedDateTime': from };
  if (to) out[names[1]] = { 'hr:FormattedDateTime': to };
  return { ...out, ...current };
}

/** The CV as a Europass Candidate document (UTF-8 text). */
export function toEuropassXml(
  cv: CvDocument,
  options: { documentId: string; lang: string; supplier: string },
): string {
  const p = cv.personal;
  const communications: XmlObject[] = [];
  if (p.email) communications.push({ ChannelCode: 'Email', 'oa:URI': p.email });
  if (p.phone) {
    const italian = /^\+39([0-9]+)$/.exec(p.phone);
    communications.push({
      ChannelCode: 'Telephone',
      UseCode: 'mobile',
      ...(italian ? { CountryDialing: '39', 'oa:DialNumber': italian[1] } : { 'oa:DialNumber': p.phone }),
    });
  }
  if (p.city)
    communications.push({
      UseCode: 'home',
      Address: { '@_type': 'home', 'oa:CityName': p.city, CountryCode: 'it' },
    });

  const employers = cv.work.map((w) => ({
    ...(w.employer ? { 'hr:OrganizationName': w.employer } : {}),
    PositionHistory: {
      PositionTitle: { '@_typeCode': 'FREETEXT', '#text': w.title },
      ...(w.occupationUri
        ? {
            JobCategoryCode: {
              '@_listName': 'ESCO_Occupations',
              '@_listURI': 'http://data.europa.eu/esco/occupation',
              '#text': w.occupationUri,
            },
          }
        : {}),
      'eures:EmploymentPeriod': period(w.from, w.to, ['eures:StartDate', 'eures:EndDate'], {
        'hr:CurrentIndicator': w.to === null ? 'true' : 'false',
      }),
      ...(w.description ? { 'oa:Description': htmlOfText(w.description) } : {}),
      ...(w.place ? { City: w.place } : {}),
    },
  }));

  const attendances = cv.education.map((e) => ({
    ...(e.organisation ? { 'hr:OrganizationName': e.organisation } : {}),
    ...(e.from || e.to
      ? {
          AttendancePeriod: period(e.from, e.to, ['StartDate', 'EndDate'], {
            Ongoing: e.to === null ? 'true' : 'false',
          }),
        }
      : {}),
    EducationDegree: { 'hr:DegreeName': e.title },
    ...(e.eqf !== null ? { EducationLevelCode: { '@_listName': 'EQF', '#text': String(e.eqf) } } : {}),
  }));

  const competencies: XmlObject[] = [
    ...cv.languages.others.map((l) => ({
      CompetencyID: { '@_schemeName': 'NORMAL', '#text': l.code },
      'hr:TaxonomyID': 'language',
      'eures:CompetencyDimension': CEFR_SKILLS.map((s) => ({
        'hr:CompetencyDimensionTypeCode': DIMENSION[s],
        'eures:Score': { 'hr:ScoreText': l[s] },
      })),
    })),
    ...cv.skills.map((s) => ({
      ...(s.uri ? { CompetencyID: { '@_schemeName': 'ESCO', '#text': s.uri } } : {}),
      'hr:TaxonomyID': 'skill',
      'hr:CompetencyName': s.label,
      ...(s.level ? { 'eures:ProficiencyLevel': { 'hr:ScoreText': s.level } } : {}),
      ...(s.validated ? { 'hr:CompetencyEvidence': { 'hr:EvidenceTypeCode': 'ValidatedByPES' } } : {}),
    })),
  ];

  const profile: XmlObject = {
    '@_languageCode': options.lang,
    ...(cv.about ? { 'hr:ExecutiveSummary': htmlOfText(cv.about) } : {}),
    ...(employers.length ? { EmploymentHistory: { EmployerHistory: employers } } : {}),
    ...(attendances.length ? { EducationHistory: { EducationOrganizationAttendance: attendances } } : {}),
    ...(cv.drivingLicences.length
      ? {
          'eures:Licenses': { 'eures:License': cv.drivingLicences.map((c) => ({ 'hr:LicenseTypeCode': c })) },
        }
      : {}),
    ...(cv.badges.length
      ? {
          Certifications: {
            Certification: cv.badges.map((b) => ({
              'hr:ID': b.id,
              'hr:CertificationName': b.name,
              'eures:FirstIssuedDate': { 'hr:FormattedDateTime': b.issuedAt },
              Link: b.verifyUrl,
            })),
          },
        }
      : {}),
    ...(competencies.length ? { PersonQualifications: { PersonCompetency: competencies } } : {}),
    ...(cv.digital.areas.length || cv.digital.items.length
      ? {
          Skills: {
            ...(cv.digital.areas.length
              ? {
                  SkillsGroup: {
                    Title: 'DigComp 2.2',
                    PersonCompetency: cv.digital.areas.map((a) => ({
                      CompetencyID: { '@_schemeName': 'DigComp', '#text': a.area },
                      'hr:TaxonomyID': 'Digital_Skill',
                      'hr:CompetencyName': AREA_NAME[a.area],
                      'eures:ProficiencyLevel': { 'hr:ScoreText': String(a.level) },
                    })),
                  },
                }
              : {}),
            ...(cv.digital.items.length
              ? {
                  PersonCompetency: cv.digital.items.map((i) => ({
                    'hr:TaxonomyID': 'Digital_Skill',
                    'hr:CompetencyName': i,
                  })),
                }
              : {}),
          },
        }
      : {}),
  };

  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8', '@_standalone': 'yes' },
    Candidate: {
      '@_xmlns': EUROPASS_NS,
      '@_xmlns:hr': HR_NS,
      '@_xmlns:oa': OA_NS,
      '@_xmlns:eures': EURES_NS,
      '@_majorVersionID': '3',
      '@_minorVersionID': '2',
      'hr:DocumentID': {
        '@_schemeID': options.documentId,
        '@_schemeName': 'DocumentIdentifier',
        '@_schemeAgencyName': 'EUROPASS',
        '@_schemeVersionID': '4.0',
        '#text': options.documentId,
      },
      CandidateSupplier: {
        'hr:PartyName': options.supplier,
        PersonContact: {
          PersonName: { 'oa:GivenName': p.givenName, 'hr:FamilyName': p.familyName },
          ...(p.email ? { Communication: { ChannelCode: 'Email', 'oa:URI': p.email } } : {}),
        },
        'hr:PrecedenceCode': '1',
      },
      CandidatePerson: {
        PersonName: { 'oa:GivenName': p.givenName, 'hr:FamilyName': p.familyName },
        ...(communications.length ? { Communication: communications } : {}),
        ...(p.birthDate ? { 'hr:BirthDate': p.birthDate } : {}),
        ...(cv.languages.mother.length
          ? { PrimaryLanguageCode: cv.languages.mother.map((c) => ({ '@_name': 'NORMAL', '#text': c })) }
          : {}),
      },
      CandidateProfile: profile,
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: true,
    processEntities: true,
  });
  return builder.build(document) as string;
}

// ---------------------------------------------------------------- reading

export type ImportError =
  | { kind: 'file'; key: string; params?: Record<string, string | number> }
  | { kind: 'content'; issues: CvIssue[] };
export type ImportResult = { ok: true; cv: CvDocument } | { ok: false; error: ImportError };

type XNode = { name: string; attrs: Record<string, string>; text: string; children: XNode[] };

class ImportFailure extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

const fail = (key: string, params?: Record<string, string | number>): ImportResult => ({
  ok: false,
  error: params ? { kind: 'file', key, params } : { kind: 'file', key },
});

/** The five predefined XML entities and character references, decoded once; anything else refused. */
function decodeXml(value: string): string {
  return value.replace(/&([^;&\s]{1,12});/g, (_whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff)
        throw new ImportFailure('cv.import.errors.malformed', { line: '?' });
      return String.fromCodePoint(code);
    }
    const known: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    const v = known[name];
    if (v === undefined) throw new ImportFailure('cv.import.errors.entity', { name });
    return v;
  });
}

/** How deep the elements nest and how many there are, counted on the raw text before parsing. */
function measure(xml: string): { depth: number; elements: number } {
  const stripped = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  let depth = 0;
  let max = 0;
  let elements = 0;
  for (const m of stripped.matchAll(/<(\/?)[A-Za-z_][^>]*?(\/?)>/g)) {
    if (m[1]) depth--;
    else {
      elements++;
      if (!m[2]) {
        depth++;
        if (depth > max) max = depth;
      }
    }
    if (max > IMPORT_LIMITS.maxDepth || elements > IMPORT_LIMITS.maxElements) break;
  }
  return { depth: max, elements };
}

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

function toNodes(list: Ordered[]): XNode[] {
  const out: XNode[] = [];
  for (const item of list) {
    const name = Object.keys(item).find((k) => k !== ':@');
    if (!name || name === '#text' || name === '#cdata') continue;
    const raw = item[name] as Ordered[];
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(item[':@'] ?? {})) attrs[k.slice(2)] = decodeXml(String(v));
    let text = '';
    for (const c of raw) {
      if (typeof c['#text'] === 'string' || typeof c['#text'] === 'number')
        text += decodeXml(String(c['#text']));
      else if (Array.isArray(c['#cdata']))
        for (const cd of c['#cdata'] as Ordered[]) text += String(cd['#text'] ?? '');
    }
    out.push({ name, attrs, text, children: toNodes(raw) });
  }
  return out;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);
const kids = (n: XNode | undefined, name: string) =>
  n ? n.children.filter((c) => local(c.name) === name) : [];
const kid = (n: XNode | undefined, ...path: string[]): XNode | undefined => {
  let cur = n;
  for (const p of path) cur = kids(cur, p)[0];
  return cur;
};
const textAt = (n: XNode | undefined, ...path: string[]) => (kid(n, ...path)?.text ?? '').trim();

/** A Europass date (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm:ss) as the CV's month; other text kept to be refused. */
function monthOf(value: string): string | null {
  const v = value.trim();
  if (v === '') return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-\d{2}(?:T[\d:.]+Z?)?)?)?$/.exec(v);
  if (!m) return v;
  return `${m[1]}-${m[2] ?? '01'}`;
}

function languageOf(code: string): string {
  const c = code.trim().toLowerCase();
  if (/^[a-z]{2}$/.test(c)) return c;
  const two = ISO_639_2[c] ?? ISO_639_2[c.slice(-3)];
  if (two) return two;
  throw new ImportFailure('cv.import.errors.languageCode', { code: code.trim().slice(0, 40) });
}

function dateOf(value: string): string {
  const v = value.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(T[\d:.]+Z?)?$/.exec(v);
  return m ? (m[1] as string) : v;
}

function mapCandidate(root: XNode): unknown {
  const person = kid(root, 'CandidatePerson');
  const profile = kids(root, 'CandidateProfile')[0];
  if (!person || !kid(person, 'PersonName')) throw new ImportFailure('cv.import.errors.noPerson');
  const comms = kids(person, 'Communication');
  const email = comms.find((c) => textAt(c, 'ChannelCode').toLowerCase() === 'email');
  const phone = comms.find((c) => textAt(c, 'ChannelCode').toLowerCase() === 'telephone');
  const address = comms.map((c) => kid(c, 'Address')).find(Boolean);
  const dialing = textAt(phone, 'CountryDialing');
  const dial = textAt(phone, 'DialNumber').replace(/[\s().-]/g, '');
  const area = textAt(phone, 'AreaDialing');

  const work = kids(kid(profile, 'EmploymentHistory'), 'EmployerHistory').flatMap((emp) => {
    const employer = textAt(emp, 'OrganizationName');
    const empPeriod = kid(emp, 'EmploymentPeriod');
    const empCity = textAt(emp, 'OrganizationContact', 'Communication', 'Address', 'CityName');
    const positions = kids(emp, 'PositionHistory');
    return positions.map((pos) => {
      const per = kid(pos, 'EmploymentPeriod') ?? empPeriod;
      const current = textAt(per, 'CurrentIndicator') === 'true';
      const job = kids(pos, 'JobCategoryCode')
        .map((j) => j.text.trim())
        .find((u) => /^http:\/\/data\.europa\.eu\/esco\/occupation\//.test(u));
      return {
        title: textAt(pos, 'PositionTitle'),
        employer,
        place: textAt(pos, 'City') || empCity,
        from: monthOf(textAt(per, 'StartDate', 'FormattedDateTime')) ?? '',
        to: current ? null : monthOf(textAt(per, 'EndDate', 'FormattedDateTime')),
        description: textOfHtml(textAt(pos, 'Description')),
        occupationUri: job ?? null,
      };
    });
  });

  const education = kids(kid(profile, 'EducationHistory'), 'EducationOrganizationAttendance').map((a) => {
    const per = kid(a, 'AttendancePeriod');
    const ongoing = textAt(per, 'Ongoing') === 'true';
    const level = kid(a, 'EducationLevelCode');
    const list = level?.attrs.listName ?? '';
    const m = /^(?:EQF-?)?([1-8])$/i.exec(level?.text.trim() ?? '');
    return {
      title: textAt(a, 'EducationDegree', 'DegreeName') || textAt(a, 'ProgramName'),
      organisation: textAt(a, 'OrganizationName'),
      eqf: m && (list === '' || /eqf/i.test(list)) ? Number(m[1]) : null,
      from: monthOf(textAt(per, 'StartDate', 'FormattedDateTime')),
      to: ongoing ? null : monthOf(textAt(per, 'EndDate', 'FormattedDateTime')),
    };
  });

  const competencies = kids(kid(profile, 'PersonQualifications'), 'PersonCompetency');
  const isLanguage = (c: XNode) => textAt(c, 'TaxonomyID').toLowerCase() === 'language';
  const others = competencies.filter(isLanguage).map((c) => {
    const code = languageOf(textAt(c, 'CompetencyID'));
    const overall = textAt(c, 'ProficiencyLevel', 'ScoreText').toUpperCase();
    const dims = new Map<string, string>();
    for (const d of kids(c, 'CompetencyDimension'))
      dims.set(textAt(d, 'CompetencyDimensionTypeCode'), textAt(d, 'Score', 'ScoreText').toUpperCase());
    const level = (s: CefrSkill) =>
      dims.get(DIMENSION[s]) ??
      (s === 'writing' ? dims.get('CEF-Writing-Interaction') : undefined) ??
      (overall || '');
    return Object.fromEntries([['code', code], ...CEFR_SKILLS.map((s) => [s, level(s)])]);
  });
  const skills = competencies
    .filter((c) => !isLanguage(c))
    .map((c) => {
      const id = kid(c, 'CompetencyID');
      const uri =
        id && /^http:\/\/data\.europa\.eu\/esco\/skill\//.test(id.text.trim()) ? id.text.trim() : null;
      return {
        uri,
        label: textAt(c, 'CompetencyName') || (id?.text.trim() ?? ''),
        level: textAt(c, 'ProficiencyLevel', 'ScoreText') || null,
        validated: textAt(c, 'CompetencyEvidence', 'EvidenceTypeCode') === 'ValidatedByPES',
      };
    });

  const skillNodes = kid(profile, 'Skills');
  const digitalCompetencies = [
    ...kids(skillNodes, 'PersonCompetency'),
    ...kids(skillNodes, 'SkillsGroup').flatMap((g) => kids(g, 'PersonCompetency')),
  ];
  const areas: { area: string; level: number }[] = [];
  const items: string[] = [];
  for (const c of digitalCompetencies) {
    const id = kid(c, 'CompetencyID');
    if (id?.attrs.schemeName === 'DigComp' && (DIGCOMP_AREAS as readonly string[]).includes(id.text.trim())) {
      const level = textAt(c, 'ProficiencyLevel', 'ScoreText');
      areas.push({ area: id.text.trim(), level: /^[0-3]$/.test(level) ? Number(level) : Number.NaN });
    } else {
      const name = textOfHtml(textAt(c, 'CompetencyName'));
      if (name) items.push(name);
    }
  }

  return {
    personal: {
      givenName: textAt(person, 'PersonName', 'GivenName'),
      familyName: textAt(person, 'PersonName', 'FamilyName'),
      email: textAt(email, 'URI').replace(/^mailto:/i, ''),
      phone: dial ? (dialing ? `+${dialing.replace(/^\+/, '')}${area}${dial}` : `${area}${dial}`) : '',
      city: textAt(address, 'CityName'),
      birthDate: dateOf(textAt(person, 'BirthDate')),
    },
    about: textOfHtml(textAt(profile, 'ExecutiveSummary')),
    work,
    education,
    languages: {
      mother: kids(person, 'PrimaryLanguageCode').map((l) => languageOf(l.text)),
      others,
    },
    digital: { areas, items },
    skills,
    badges: kids(kid(profile, 'Certifications'), 'Certification').map((c) => ({
      id: textAt(c, 'ID'),
      name: textAt(c, 'CertificationName'),
      issuedAt: dateOf(textAt(c, 'FirstIssuedDate', 'FormattedDateTime')),
      verifyUrl: textAt(c, 'Link'),
    })),
    drivingLicences: kids(kid(profile, 'Licenses'), 'License').map((l) =>
      textAt(l, 'LicenseTypeCode').toUpperCase(),
    ),
  };
}

/**
 * Read a Europass Candidate file. Refused before parsing: more than 2 MB, not UTF-8, any DOCTYPE or
 * ENTITY declaration (external entities, entity-expansion bombs), nesting deeper than 40 or more
 * than 20 000 elements. Then it must be well-formed, its root a Candidate in the Europass
 * namespace, and the CV it describes valid; otherwise nothing is returned but the reason.
 */
export function fromEuropassXml(input: Buffer | string): ImportResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.length === 0) return fail('cv.import.errors.empty');
  if (bytes.length > IMPORT_LIMITS.maxBytes) return fail('cv.import.errors.tooLarge', { mb: 2 });
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return fail('cv.import.errors.encoding');
  }
  if (/<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i.test(xml)) return fail('cv.import.errors.doctype');
  const declaration = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(xml);
  if (declaration && !/^utf-?8$/i.test(declaration[1] as string)) return fail('cv.import.errors.encoding');
  if (!/^\s*</.test(xml)) return fail('cv.import.errors.notXml');
  const size = measure(xml);
  if (size.depth > IMPORT_LIMITS.maxDepth) return fail('cv.import.errors.tooDeep');
  if (size.elements > IMPORT_LIMITS.maxElements) return fail('cv.import.errors.tooManyElements');
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true) return fail('cv.import.errors.malformed', { line: valid.err.line });
  try {
    const parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      processEntities: false,
      htmlEntities: false,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      cdataPropName: '#cdata',
    });
    const roots = toNodes(parser.parse(xml) as Ordered[]);
    const root = roots[0];
    if (roots.length !== 1 || !root || local(root.name) !== 'Candidate')
      return fail('cv.import.errors.notEuropass');
    const prefix = root.name.includes(':') ? root.name.slice(0, root.name.indexOf(':')) : '';
    const ns = root.attrs[prefix ? `xmlns:${prefix}` : 'xmlns'];
    if (ns !== EUROPASS_NS)
      return fail('cv.import.errors.namespace', { found: (ns ?? '').slice(0, 100) || '—' });
    const draft = mapCandidate(root);
    const checked = validateCv(draft);
    if (!checked.ok) return { ok: false, error: { kind: 'content', issues: checked.issues } };
    return { ok: true, cv: checked.cv };
  } catch (e) {
    if (e instanceof ImportFailure) return fail(e.key, e.params);
    return fail('cv.import.errors.malformed', { line: '?' });
  }
}
