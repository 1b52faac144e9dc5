import type { RequestContext } from '../../platform/http/context.ts';
import { Layout } from '../../platform/ui/layout.tsx';

/** Why a sign-in could not be completed, in plain words, with the ways forward. */
export function EidErrorPage({ ctx, reason }: { ctx: RequestContext; reason: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t(`eidError.${reason}.title`)}>
      <h1>{t(`eidError.${reason}.title`)}</h1>
      <p class="lead">{t(`eidError.${reason}.body`)}</p>
      <ul>
        <li>
          <a href="/accedi">{t('eidError.tryAgain')}</a>
        </li>
        <li>
          <a href="/aiuto">{t('shell.needHelp')}</a>
        </li>
      </ul>
    </Layout>
  );
}
