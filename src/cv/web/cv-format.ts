import { dateTimeFormat, displayNames } from '../../platform/i18n/format.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import type { PdfSection } from '../adapters/cv-pdf.ts';
import { CEFR_SKILLS, type CvDocument, type CvIssue } from '../domain/cv.ts';

/** How the CV's values read for people: language names, months, periods, levels. */
export function languageName(code: string, lang: string): string {
  try {
    return displayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function monthLabel(value: string, lang: string): string {
  return dateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${value}-01T00:00:00Z`),
  );
}

export function dayLabel(value: string, lang: string): string {
  return dateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${value}T00:00:00Z`));
}

export function periodLabel(t: Translate, lang: string, from: string | null, to: string | null): string {
  if (!from && !to) return '';
  if (!from) return t('cv.period.until', { to: monthLabel(to as string, lang) });
  return t('cv.period.range', {
    from: monthLabel(from, lang),
    to: to ? monthLabel(to, lang) : t('cv.period.now'),
  });
}

export function gridLine(t: Translate, l: CvDocument['languages']['others'][number]): string {
  return CEFR_SKILLS.map((s) => `${t(`cv.cefr.${s}`)} ${l[s]}`).join(' · ');
}

/** One sentence per problem, naming the section, the entry and the field. */
export function issueText(t: Translate, issue: CvIssue): string {
  const reason = t(issue.message);
  const section = t(`cv.sections.${issue.section}`);
  const field = issue.field ? t(`cv.fields.${issue.field}`) : '';
  if (issue.entry !== null && field)
    return t('cv.issue.entryField', { section, entry: issue.entry, field, reason });
  if (field) return t('cv.issue.field', { section, field, reason });
  return t('cv.issue.section', { section, reason });
}

/** The CV's content, section by section, for the tagged PDF. Empty sections are left out. */
export function pdfSections(t: Translate, lang: string, cv: CvDocument): PdfSection[] {
  const p = cv.personal;
  const sections: PdfSection[] = [];
  const personal = [
    p.email && `${t('cv.fields.email')}: ${p.email}`,
    p.phone && `${t('cv.fields.phone')}: ${p.phone}`,
    p.city && `${t('cv.fields.city')}: ${p.city}`,
    p.birthDate && `${t('cv.fields.birthDate')}: ${dayLabel(p.birthDate, lang)}`,
  ].filter((s): s is string => Boolean(s));
  if (personal.length) sections.push({ heading: t('cv.sections.personal'), paragraphs: personal });
  if (cv.about)
    sections.push({ heading: t('cv.sections.about'), paragraphs: cv.about.split('\n').filter(Boolean) });
  if (cv.work.length)
    sections.push({
      heading: t('cv.sections.work'),
      entries: cv.work.map((w) => ({
        heading: w.employer ? `${w.title} — ${w.employer}` : w.title,
        lines: [
          [periodLabel(t, lang, w.from, w.to), w.place].filter(Boolean).join(' · '),
          ...w.description.split('\n').filter(Boolean),
        ],
      })),
    });
  if (cv.education.length)
    sections.push({
      heading: t('cv.sections.education'),
      entries: cv.education.map((e) => ({
        heading: e.title,
        lines: [
          e.organisation,
          e.eqf !== null ? t('cv.eqf', { level: e.eqf }) : '',
          periodLabel(t, lang, e.from, e.to),
        ].filter(Boolean),
      })),
    });
  if (cv.languages.mother.length || cv.languages.others.length)
    sections.push({
      heading: t('cv.sections.languages'),
      paragraphs: cv.languages.mother.length
        ? [`${t('cv.fields.mother')}: ${cv.languages.mother.map((c) => languageName(c, lang)).join(', ')}`]
        : [],
      entries: cv.languages.others.map((l) => ({
        heading: languageName(l.code, lang),
        lines: [gridLine(t, l)],
      })),
    });
  if (cv.digital.areas.length || cv.digital.items.length)
    sections.push({
      heading: t('cv.sections.digital'),
      paragraphs: cv.digital.items.length ? [cv.digital.items.join(', ')] : [],
      entries: cv.digital.areas.map((a) => ({
        heading: t(`cv.areas.${a.area}`),
        lines: [`${t('cv.digitalLevel')}: ${t(`cv.digitalLevels.${a.level}`)}`],
      })),
    });
  if (cv.skills.length)
    sections.push({
      heading: t('cv.sections.skills'),
      entries: cv.skills.map((s) => ({ heading: s.label, lines: s.validated ? [t('cv.validated')] : [] })),
    });
  if (cv.badges.length)
    sections.push({
      heading: t('cv.sections.badges'),
      entries: cv.badges.map((b) => ({
        heading: b.name,
        lines: [
          t('cv.badgeIssued', { date: dayLabel(b.issuedAt, lang) }),
          `${t('cv.badgeVerify')}: ${b.verifyUrl}`,
        ],
      })),
    });
  if (cv.drivingLicences.length)
    sections.push({ heading: t('cv.sections.licences'), paragraphs: [cv.drivingLicences.join(', ')] });
  return sections;
}
