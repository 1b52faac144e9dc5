import type { Block, CertificateContent } from '../../certificates/domain/documents.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import type { Dossier } from './dossier.ts';

/**
 * The readable copy of a dossier: the same facts as the signed JSON, as headings, label/value tables
 * and tables with a header row (drawn and tagged by certificates/adapters/certificate-pdf.ts).
 */
export function readableDossier(d: Dossier, t: Translate, lang: string): CertificateContent {
  const date = dateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Rome' });
  const fmtDay = (s: string | null) => (s ? date.format(new Date(`${s.slice(0, 10)}T12:00:00Z`)) : '—');
  const fmtTime = (s: string | null) => (s ? date.format(new Date(s)) : '—');
  const none = t('portability.pdf.none');
  const blocks: Block[] = [];
  const table = (heading: string, head: string[], rows: string[][]) => {
    blocks.push({ type: 'h2', text: heading });
    if (rows.length === 0) blocks.push({ type: 'p', text: none });
    else blocks.push({ type: 'table', head, rows });
  };

  blocks.push({
    type: 'p',
    text: t('portability.pdf.intro', { region: d.issuer.name, date: fmtTime(d.issuedAt) }),
  });
  blocks.push({
    type: 'fields',
    rows: [
      [t('portability.pdf.documentId'), d.documentId],
      [t('portability.pdf.sequence'), String(d.sequence)],
      [t('portability.pdf.issuer'), `${d.issuer.name} (${d.issuer.regionCode})`],
    ],
  });
  blocks.push({ type: 'h2', text: t('portability.pdf.person') });
  blocks.push({
    type: 'fields',
    rows: [
      [t('portability.pdf.name'), `${d.person.givenName} ${d.person.familyName}`],
      [t('portability.pdf.fiscalCode'), d.person.fiscalCode],
      [t('portability.pdf.birthDate'), fmtDay(d.person.birthDate)],
    ],
  });
  table(
    t('portability.pdf.did'),
    [t('portability.pdf.declaredAt'), t('portability.pdf.status')],
    d.did.map((x) => [fmtTime(x.declaredAt), t(`portability.didStatus.${x.status}`)]),
  );
  blocks.push({ type: 'h2', text: t('portability.pdf.profile') });
  blocks.push({
    type: 'fields',
    rows: [
      [
        t('portability.pdf.support'),
        d.profile.support ? t(`portability.support.${d.profile.support.level}`) : none,
      ],
      [
        t('portability.pdf.education'),
        d.profile.education.eqf !== null
          ? `EQF ${d.profile.education.eqf}${d.profile.education.title ? ` — ${d.profile.education.title}` : ''}`
          : (d.profile.education.title ?? none),
      ],
      [
        t('portability.pdf.languages'),
        d.profile.languages.map((l) => `${l.code.toUpperCase()} ${l.level}`).join(', ') || none,
      ],
      [t('portability.pdf.unemployedSince'), fmtDay(d.profile.unemployedSince)],
    ],
  });
  table(
    t('portability.pdf.skills'),
    [t('portability.pdf.skill'), t('portability.pdf.levels')],
    d.skills.map((s) => [
      s.label,
      t('portability.pdf.levelPair', {
        self: s.selfLevel ?? '—',
        validated: s.validatedLevel ?? '—',
      }),
    ]),
  );
  table(
    t('portability.pdf.pacts'),
    [t('portability.pdf.version'), t('portability.pdf.status'), t('portability.pdf.signedAt')],
    d.pacts.map((p) => [String(p.version), t(`portability.pactStatus.${p.status}`), fmtTime(p.signedAt)]),
  );
  table(
    t('portability.pdf.plan'),
    [t('portability.pdf.action'), t('portability.pdf.dueDate'), t('portability.pdf.status')],
    d.planActions.map((a) => [a.title, fmtDay(a.dueDate), t(`portability.actionStatus.${a.status}`)]),
  );
  table(
    t('portability.pdf.courses'),
    [t('portability.pdf.course'), t('portability.pdf.period'), t('portability.pdf.status')],
    d.courses.map((c) => [
      `${c.title} (${c.provider})`,
      `${fmtDay(c.startsOn)} – ${fmtDay(c.endsOn)}`,
      t(`portability.courseStatus.${c.status}`),
    ]),
  );
  table(
    t('portability.pdf.badges'),
    [t('portability.pdf.badge'), t('portability.pdf.issuedAt')],
    d.badges.map((b) => [
      b.revoked ? `${b.name} (${t('portability.pdf.revoked')})` : b.name,
      fmtTime(b.issuedAt),
    ]),
  );
  table(
    t('portability.pdf.employment'),
    [t('portability.pdf.startedOn'), t('portability.pdf.source')],
    d.employment.map((e) => [fmtDay(e.startedOn), t(`portability.employmentSource.${e.source}`)]),
  );
  blocks.push({ type: 'h2', text: t('portability.pdf.signatureHeading') });
  blocks.push({ type: 'p', text: t('portability.pdf.signatureText', { url: d.issuer.jwksUrl }) });
  return { title: t('portability.pdf.title'), blocks };
}
