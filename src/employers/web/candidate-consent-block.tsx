import type { RequestContext } from '../../platform/http/context.ts';

/**
 * A short "let companies find you" block for the person's other pages (profile, job search, CV):
 * the current choice in one sentence and a link to change it on /contatti. Load `visible` with
 * `visibilityOf(db, user)` from `use-cases/contact.ts` (null: never chosen, i.e. not visible).
 */
export function CandidateConsentBlock({ ctx, visible }: { ctx: RequestContext; visible: boolean }) {
  const { t } = ctx;
  return (
    <aside class="card mb-4" aria-labelledby="consent-block-heading">
      <div class="card-body">
        <h2 id="consent-block-heading" class="h5">
          {t('candidates.block.title')}
        </h2>
        <p class="mb-2">{visible ? t('candidates.block.on') : t('candidates.block.off')}</p>
        <p class="mb-0">
          <a href="/contatti#fatti-trovare">{t('candidates.block.link')}</a>
        </p>
      </div>
    </aside>
  );
}
