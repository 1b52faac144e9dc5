import type { CvDocument } from '../../cv/domain/cv.ts';
import { languageName, periodLabel } from '../../cv/web/cv-format.ts';
import type { RequestContext } from '../../platform/http/context.ts';

/** A person's CV, read-only, for the CPI operator and (once consented and sent) the company. */
export function CvView({
  ctx,
  document,
  validated,
  sectionHeading = 'h4',
}: {
  ctx: RequestContext;
  document: unknown;
  validated: boolean;
  /** The level of the CV's section headings, one below the heading the CV sits under. */
  sectionHeading?: 'h2' | 'h3' | 'h4';
}) {
  const { t, lang } = ctx;
  const H = sectionHeading;
  const cv = document as Partial<CvDocument> | null;
  if (!cv) return <p>{t('preselection.noCv')}</p>;
  const p = cv.personal;
  return (
    <div>
      {validated && <p class="badge bg-success">{t('preselection.cvValidated')}</p>}
      {p && (
        <dl class="sl-dl">
          {p.email && (
            <>
              <dt>{t('cv.fields.email')}</dt>
              <dd>{p.email}</dd>
            </>
          )}
          {p.phone && (
            <>
              <dt>{t('cv.fields.phone')}</dt>
              <dd>{p.phone}</dd>
            </>
          )}
          {p.city && (
            <>
              <dt>{t('cv.fields.city')}</dt>
              <dd>{p.city}</dd>
            </>
          )}
        </dl>
      )}
      {cv.about && (
        <>
          <H class="h6">{t('cv.sections.about')}</H>
          <p>{cv.about}</p>
        </>
      )}
      {cv.work && cv.work.length > 0 && (
        <>
          <H class="h6">{t('cv.sections.work')}</H>
          <ul>
            {cv.work.map((w) => (
              <li>
                <strong>{w.title}</strong>
                {w.employer ? `, ${w.employer}` : ''} {periodLabel(t, lang, w.from, w.to)}
                {w.description && <span class="d-block small">{w.description}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      {cv.education && cv.education.length > 0 && (
        <>
          <H class="h6">{t('cv.sections.education')}</H>
          <ul>
            {cv.education.map((e) => (
              <li>
                <strong>{e.title}</strong>
                {e.organisation ? `, ${e.organisation}` : ''} {periodLabel(t, lang, e.from, e.to)}
              </li>
            ))}
          </ul>
        </>
      )}
      {cv.languages && (cv.languages.mother.length > 0 || cv.languages.others.length > 0) && (
        <>
          <H class="h6">{t('cv.sections.languages')}</H>
          <ul>
            {cv.languages.mother.map((m) => (
              <li>{`${languageName(m, lang)} — ${t('cv.fields.mother')}`}</li>
            ))}
            {cv.languages.others.map((l) => (
              <li>{`${languageName(l.code, lang)} — ${l.spokenInteraction}`}</li>
            ))}
          </ul>
        </>
      )}
      {cv.skills && cv.skills.length > 0 && (
        <>
          <H class="h6">{t('cv.sections.skills')}</H>
          <ul>
            {cv.skills.map((s) => (
              <li>{s.level ? `${s.label} (${s.level})` : s.label}</li>
            ))}
          </ul>
        </>
      )}
      {cv.drivingLicences && cv.drivingLicences.length > 0 && (
        <>
          <H class="h6">{t('cv.sections.licences')}</H>
          <p>{cv.drivingLicences.join(', ')}</p>
        </>
      )}
    </div>
  );
}
