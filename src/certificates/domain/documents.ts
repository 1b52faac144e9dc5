import type { CvDocument } from '../../cv/domain/cv.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import {
  type ConditionalityRecord,
  type DidEventRecord,
  type DidRecord,
  type EmploymentRecord,
  type EmploymentStatus,
  employmentHistory,
  employmentStatus,
} from './employment-status.ts';

/**
 * The content of the two certificates, built from the person's recorded data (never typed in) as
 * blocks the PDF adapter tags: headings, paragraphs, label/value tables and tables with a header
 * row. Pure: the use case loads the data, the adapter draws. Missing data is written as "not
 * recorded" so a certificate is always complete and honest about what the Region knows.
 */
export type Block =
  | { type: 'h2'; text: string }
  | { type: 'p'; text: string }
  | { type: 'fields'; rows: [string, string][] }
  | { type: 'table'; head: string[]; rows: string[][] };

export type CertificateContent = { title: string; blocks: Block[] };

export type LanguageLevel = { code: string; level: string };
export type PersonData = {
  givenName: string;
  familyName: string;
  fiscalCode: string | null;
  birthDate: Date | null;
  birthPlace: string | null;
  sex: 'M' | 'F' | null;
  domicile: string | null;
  email: string | null;
  mobile: string | null;
  office: { name: string; address: string } | null;
  profile: {
    educationEqf: number | null;
    educationTitle: string | null;
    languages: LanguageLevel[];
    drivingLicences: string[];
    availability: { hours: string; contracts: string[]; maxCommuteKm: number; remote: string } | null;
    benefits: string[];
    workHistory: { from: string; to: string | null; occupation: string; sector: string }[];
  } | null;
  cv: CvDocument | null;
  dids: DidRecord[];
  didEvents: DidEventRecord[];
  employment: EmploymentRecord[];
  conditionality: ConditionalityRecord[];
  tier: { tier: number; at: Date } | null;
  pact: { version: number; signedAt: Date; code: string | null } | null;
  training: { title: string; status: string; startsOn: Date | null }[];
};

export type IssueContext = {
  regionName: string;
  issuedAt: Date;
  /** null: the person asked for it online; otherwise the operator who issued it. */
  operator: { name: string; office: string | null } | null;
};

/** A translated label, or the raw value when the catalogue has no entry for it. */
function label(t: Translate, key: string, raw: string): string {
  const s = t(key);
  return s === key ? raw : s;
}

export function dateFormatter(lang: string, withTime = false) {
  const f = dateTimeFormat(lang, {
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'Europe/Rome',
  });
  return (d: Date) => f.format(d);
}

/** "2021-03" → "03/2021"; null → "…" (still going). */
function month(m: string | null, t: Translate): string {
  if (!m) return t('certificates.doc.ongoing');
  const [y, mm] = m.split('-');
  return `${mm}/${y}`;
}

function holderFields(p: PersonData, t: Translate, date: (d: Date) => string): [string, string][] {
  const none = t('certificates.doc.notRecorded');
  return [
    [t('certificates.doc.name'), `${p.givenName} ${p.familyName}`],
    [t('certificates.doc.fiscalCode'), p.fiscalCode ?? none],
    [t('certificates.doc.birthDate'), p.birthDate ? date(p.birthDate) : none],
    [t('certificates.doc.birthPlace'), p.birthPlace ?? none],
  ];
}

function issuedBlocks(ctx: IssueContext, t: Translate, lang: string): Block[] {
  const when = dateFormatter(lang, true)(ctx.issuedAt);
  return [
    { type: 'h2', text: t('certificates.doc.issuedHeading') },
    {
      type: 'p',
      text: ctx.operator
        ? t('certificates.doc.issuedByOperator', {
            date: when,
            name: ctx.operator.name,
            office: ctx.operator.office ?? ctx.regionName,
          })
        : t('certificates.doc.issuedBySelf', { date: when }),
    },
    { type: 'p', text: t('certificates.doc.fromRecords', { region: ctx.regionName }) },
  ];
}

export function statusSentence(s: EmploymentStatus, t: Translate, date: (d: Date) => string): string {
  switch (s.status) {
    case 'no_did':
      return t('certificates.status.no_did');
    case 'unemployed':
      return t('certificates.status.unemployed', { since: date(s.since), did: date(s.didDeclaredAt) });
    case 'suspended':
      return t('certificates.status.suspended', { since: date(s.since), until: date(s.until) });
    case 'suspension_expired':
      return t('certificates.status.suspension_expired', { since: date(s.since), until: date(s.until) });
    case 'employed':
      return t('certificates.status.employed', { since: date(s.since) });
    case 'did_withdrawn':
      return t('certificates.status.did_withdrawn', { since: date(s.since) });
  }
}

/** The C2 storico: the status today, then every recorded change, oldest first. */
export function c2Content(p: PersonData, ctx: IssueContext, t: Translate, lang: string): CertificateContent {
  const date = dateFormatter(lang);
  const status = employmentStatus(p, ctx.issuedAt);
  const history = employmentHistory(p).filter((h) => h.at.getTime() <= ctx.issuedAt.getTime());
  const blocks: Block[] = [
    { type: 'h2', text: t('certificates.doc.holderHeading') },
    {
      type: 'fields',
      rows: [
        ...holderFields(p, t, date),
        [t('certificates.doc.domicile'), p.domicile ?? t('certificates.doc.notRecorded')],
      ],
    },
    { type: 'h2', text: t('certificates.doc.statusHeading', { date: date(ctx.issuedAt) }) },
    { type: 'p', text: statusSentence(status, t, date) },
  ];
  if (status.status === 'employed') blocks.push({ type: 'p', text: t('certificates.doc.lowIncomeNote') });
  if (status.status === 'suspension_expired')
    blocks.push({ type: 'p', text: t('certificates.doc.suspensionExpiredNote') });
  blocks.push({ type: 'h2', text: t('certificates.doc.historyHeading') });
  if (history.length === 0) blocks.push({ type: 'p', text: t('certificates.doc.noHistory') });
  else
    blocks.push({
      type: 'table',
      head: [t('certificates.doc.colDate'), t('certificates.doc.colEvent'), t('certificates.doc.colDetails')],
      rows: history.map((h) => {
        const details =
          h.kind === 'employment_started'
            ? label(t, `certificates.sources.${h.source}`, h.source)
            : h.kind === 'sanction_proposal'
              ? `${label(t, `certificates.conditionality.${h.event}`, h.event)}${
                  h.benefit ? ` (${label(t, `certificates.benefits.${h.benefit}`, h.benefit)})` : ''
                }`
              : 'reason' in h && h.reason
                ? h.reason
                : '—';
        return [date(h.at), t(`certificates.history.${h.kind}`), details];
      }),
    });
  blocks.push(
    { type: 'h2', text: t('certificates.doc.legalHeading') },
    { type: 'p', text: t('certificates.doc.legalC2') },
    ...issuedBlocks(ctx, t, lang),
  );
  return { title: t('certificates.kinds.c2_storico.title'), blocks };
}

/** The scheda anagrafico-professionale: who the person is, what they know and did, where they stand. */
export function sapContent(p: PersonData, ctx: IssueContext, t: Translate, lang: string): CertificateContent {
  const date = dateFormatter(lang);
  const none = t('certificates.doc.notRecorded');
  const cv = p.cv;
  const prof = p.profile;
  const blocks: Block[] = [];

  blocks.push(
    { type: 'h2', text: t('certificates.sap.personalHeading') },
    {
      type: 'fields',
      rows: [
        ...holderFields(p, t, date),
        [t('certificates.doc.sex'), p.sex ? t(`certificates.sex.${p.sex}`) : none],
        [t('certificates.doc.citizenship'), none],
        [t('certificates.doc.domicile'), p.domicile ?? none],
        [t('certificates.doc.email'), p.email ?? none],
        [t('certificates.doc.mobile'), p.mobile ?? none],
      ],
    },
    { type: 'h2', text: t('certificates.sap.officeHeading') },
    { type: 'p', text: p.office ? `${p.office.name} — ${p.office.address}` : t('certificates.sap.noOffice') },
  );

  // Education: the highest title from the profile, then the CV's entries.
  blocks.push({ type: 'h2', text: t('certificates.sap.educationHeading') });
  const eqf = prof?.educationEqf;
  blocks.push({
    type: 'p',
    text:
      eqf === null || eqf === undefined
        ? t('certificates.sap.noEducation')
        : t('certificates.sap.highestEducation', {
            level: label(t, `profile.eqfLevels.${eqf}`, String(eqf)),
            eqf,
            title: prof?.educationTitle || '—',
          }),
  });
  if (cv && cv.education.length > 0)
    blocks.push({
      type: 'table',
      head: [
        t('certificates.sap.colPeriod'),
        t('certificates.sap.colTitle'),
        t('certificates.sap.colOrganisation'),
        'EQF',
      ],
      rows: cv.education.map((e) => [
        e.from ? `${month(e.from, t)} – ${month(e.to, t)}` : '—',
        e.title,
        e.organisation || '—',
        e.eqf === null ? '—' : String(e.eqf),
      ]),
    });

  // Languages: the CV's grid when there is one, otherwise the profile's levels.
  blocks.push({ type: 'h2', text: t('certificates.sap.languagesHeading') });
  const langName = (code: string) => label(t, `profile.languageNames.${code}`, code);
  const languageRows: string[][] = [];
  for (const m of cv?.languages.mother ?? [])
    languageRows.push([langName(m), t('certificates.sap.motherTongue')]);
  for (const l of cv?.languages.others ?? [])
    languageRows.push([
      langName(l.code),
      `${t('certificates.sap.understanding')} ${l.listening}/${l.reading}, ${t('certificates.sap.speaking')} ${l.spokenProduction}/${l.spokenInteraction}, ${t('certificates.sap.writing')} ${l.writing}`,
    ]);
  if (languageRows.length === 0)
    for (const l of prof?.languages ?? []) languageRows.push([langName(l.code), l.level]);
  if (languageRows.length === 0) blocks.push({ type: 'p', text: none });
  else
    blocks.push({
      type: 'table',
      head: [t('certificates.sap.colLanguage'), t('certificates.sap.colLevel')],
      rows: languageRows,
    });

  blocks.push({ type: 'h2', text: t('certificates.sap.licencesHeading') });
  const licences = [...new Set([...(prof?.drivingLicences ?? []), ...(cv?.drivingLicences ?? [])])].filter(
    (l) => l !== 'none',
  );
  blocks.push({ type: 'p', text: licences.length ? licences.join(', ') : t('certificates.sap.noLicences') });

  blocks.push({ type: 'h2', text: t('certificates.sap.availabilityHeading') });
  const av = prof?.availability;
  if (!av) blocks.push({ type: 'p', text: none });
  else
    blocks.push({
      type: 'fields',
      rows: [
        [t('certificates.sap.hours'), label(t, `profile.hoursTypes.${av.hours}`, av.hours)],
        [
          t('certificates.sap.contracts'),
          av.contracts.length
            ? av.contracts.map((c) => label(t, `profile.contractTypes.${c}`, c)).join(', ')
            : none,
        ],
        [t('certificates.sap.commute'), t('certificates.sap.km', { km: av.maxCommuteKm })],
        [t('certificates.sap.remote'), label(t, `profile.remoteTypes.${av.remote}`, av.remote)],
      ],
    });

  blocks.push({ type: 'h2', text: t('certificates.sap.workHeading') });
  if (cv && cv.work.length > 0)
    blocks.push({
      type: 'table',
      head: [
        t('certificates.sap.colPeriod'),
        t('certificates.sap.colRole'),
        t('certificates.sap.colEmployer'),
      ],
      rows: cv.work.map((w) => [
        `${month(w.from, t)} – ${month(w.to, t)}`,
        w.title,
        [w.employer, w.place].filter(Boolean).join(', ') || '—',
      ]),
    });
  else if (prof && prof.workHistory.length > 0)
    blocks.push({
      type: 'table',
      head: [t('certificates.sap.colPeriod'), t('certificates.sap.colRole'), t('certificates.sap.colSector')],
      rows: prof.workHistory.map((w) => [
        `${month(w.from, t)} – ${month(w.to, t)}`,
        w.occupation,
        w.sector || '—',
      ]),
    });
  else blocks.push({ type: 'p', text: t('certificates.sap.noWork') });

  blocks.push({ type: 'h2', text: t('certificates.sap.trainingHeading') });
  if (p.training.length === 0) blocks.push({ type: 'p', text: t('certificates.sap.noTraining') });
  else
    blocks.push({
      type: 'table',
      head: [
        t('certificates.sap.colCourse'),
        t('certificates.sap.colStart'),
        t('certificates.sap.colStatus'),
      ],
      rows: p.training.map((c) => [
        c.title,
        c.startsOn ? date(c.startsOn) : '—',
        label(t, `certificates.enrolment.${c.status}`, c.status),
      ]),
    });

  blocks.push({ type: 'h2', text: t('certificates.sap.skillsHeading') });
  const skills = cv?.skills ?? [];
  if (skills.length === 0 && (cv?.digital.items.length ?? 0) === 0)
    blocks.push({ type: 'p', text: t('certificates.sap.noSkills') });
  else {
    if (skills.length > 0)
      blocks.push({
        type: 'table',
        head: [
          t('certificates.sap.colSkill'),
          t('certificates.sap.colLevel'),
          t('certificates.sap.colValidated'),
        ],
        rows: skills.map((s) => [
          s.label,
          s.level || '—',
          s.validated ? t('certificates.sap.yes') : t('certificates.sap.no'),
        ]),
      });
    if (cv && cv.digital.items.length > 0)
      blocks.push({ type: 'p', text: `${t('certificates.sap.digital')}: ${cv.digital.items.join(', ')}` });
  }

  // The administrative part: DID, profiling, pact, benefits.
  blocks.push({ type: 'h2', text: t('certificates.sap.adminHeading') });
  const status = employmentStatus(p, ctx.issuedAt);
  const benefits = (prof?.benefits ?? []).filter((b) => b !== 'none');
  blocks.push({
    type: 'fields',
    rows: [
      [t('certificates.sap.did'), statusSentence(status, t, date)],
      [
        t('certificates.sap.tier'),
        p.tier
          ? t('certificates.sap.tierValue', {
              tier: p.tier.tier,
              title: ((title) => (title ? ` (${title})` : ''))(
                label(t, `profiling.tiers.${p.tier.tier}.title`, ''),
              ),
              date: date(p.tier.at),
            })
          : none,
      ],
      [
        t('certificates.sap.pact'),
        p.pact
          ? t('certificates.sap.pactValue', {
              version: p.pact.version,
              date: date(p.pact.signedAt),
              code: p.pact.code ?? '—',
            })
          : t('certificates.sap.noPact'),
      ],
      [
        t('certificates.sap.benefits'),
        benefits.length ? benefits.map((b) => label(t, `profile.benefitTypes.${b}`, b)).join(', ') : none,
      ],
    ],
  });
  blocks.push(
    { type: 'h2', text: t('certificates.doc.legalHeading') },
    { type: 'p', text: t('certificates.doc.legalSap') },
    ...issuedBlocks(ctx, t, lang),
  );
  return { title: t('certificates.kinds.sap.title'), blocks };
}
