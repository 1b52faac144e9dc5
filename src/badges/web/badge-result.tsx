import type { RequestContext } from '../../platform/http/context.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { Layout } from '../../platform/ui/layout.tsx';
import type { BadgeVerification } from '../use-cases/verify.ts';

/** The verification of a badge: status first, then what it attests, who issued it and when. */
export function BadgeResult({ ctx, result }: { ctx: RequestContext; result: BadgeVerification }) {
  const { t, lang } = ctx;
  const fmt = dateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Rome' });
  return (
    <>
      {result.valid ? (
        <div class="alert alert-success" role="status">
          {t('badges.result.valid')}
        </div>
      ) : result.revoked ? (
        <div class="alert alert-warning" role="status">
          {result.revokedAt
            ? t('badges.result.revokedOn', { date: fmt.format(result.revokedAt) })
            : t('badges.result.revoked')}
        </div>
      ) : (
        <div class="alert alert-danger" role="status">
          {t('badges.result.invalid')} {t(`badges.reasons.${result.reason ?? 'malformed'}`)}
        </div>
      )}
      {result.achievement && (
        <dl class="sl-dl">
          <dt>{t('badges.result.badge')}</dt>
          <dd>{result.achievement.name}</dd>
          {result.achievement.description && (
            <>
              <dt>{t('badges.result.description')}</dt>
              <dd>{result.achievement.description}</dd>
            </>
          )}
          <dt>{t('badges.result.issuer')}</dt>
          <dd>
            {result.issuer?.name} (<a href={result.issuer?.id}>{result.issuer?.id}</a>)
          </dd>
          {result.issuedAt && (
            <>
              <dt>{t('badges.result.issuedAt')}</dt>
              <dd>{fmt.format(result.issuedAt)}</dd>
            </>
          )}
          <dt>{t('badges.result.status')}</dt>
          <dd>{t(result.revoked ? 'badges.status.revoked' : 'badges.status.valid')}</dd>
          {result.code && (
            <>
              <dt>{t('badges.result.code')}</dt>
              <dd>
                <code>{result.code}</code>
              </dd>
            </>
          )}
        </dl>
      )}
      {result.achievement && result.achievement.skills.length > 0 && (
        <>
          <h2 class="h4 mt-4">{t('badges.result.skills')}</h2>
          <ul>
            {result.achievement.skills.map((s) => (
              <li>
                <a href={s.uri}>{s.label}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="small mt-4">
        {t('badges.result.howToVerify')} <a href="/badge/chiavi.json">{t('badges.result.keysLink')}</a>
      </p>
    </>
  );
}

/** The whole page for /verifica/<code> and /badge/<code>. */
export function BadgeVerifyPage({ ctx, result }: { ctx: RequestContext; result: BadgeVerification }) {
  return (
    <Layout ctx={ctx} title={ctx.t('badges.public.title')}>
      <h1>{ctx.t('badges.public.title')}</h1>
      <BadgeResult ctx={ctx} result={result} />
    </Layout>
  );
}
