import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  SubmitButton,
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { BADGE_CODE_PATTERN } from '../domain/credential.ts';
import { citizenBadges, ownBadge } from '../use-cases/badges-of.ts';
import type { BadgesDeps } from '../use-cases/issue.ts';
import { issuerDocument, keySet, statusListJwt } from '../use-cases/publish.ts';
import { badgeForOperator, revokeBadge } from '../use-cases/revoke.ts';
import { verifyBadgeByCode } from '../use-cases/verify.ts';
import { BadgeVerifyPage } from './badge-result.tsx';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const codeParam = (req: FastifyRequest) =>
  String((req.params as { code?: string }).code ?? '')
    .trim()
    .toUpperCase()
    .slice(0, 20);

const RevokeForm = z.object({
  reason: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .max(1000, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
});
const LookupForm = z.object({
  codice: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .max(20, 'errors.tooLong')
    .transform((s) => s.toUpperCase())
    .refine((s) => BADGE_CODE_PATTERN.test(s), 'badges.operator.badCode'),
});

export function registerBadgeRoutes(routes: RouteCatalogue, deps: BadgesDeps): void {
  // --- Public documents a verifier needs: the issuer, its keys, the revocation list.
  routes.get('/badge/emittente', 'public', async (_req, reply) => {
    const doc = await issuerDocument(deps.db, deps.config);
    if (!doc) return reply.status(404).type('application/json').send({ error: 'not_found' });
    return reply.type('application/json').send(doc);
  });
  routes.get('/badge/chiavi.json', 'public', async (_req, reply) =>
    reply.type('application/json').send(await keySet(deps.db)),
  );
  routes.get('/badge/stato/:list', 'public', async (req, reply) => {
    const list = Number((req.params as { list: string }).list);
    const jwt = Number.isInteger(list) ? await statusListJwt(deps.db, deps.config, list, new Date()) : null;
    if (!jwt) return reply.status(404).type('application/json').send({ error: 'not_found' });
    return reply.type('application/vc+jwt').send(jwt);
  });

  // --- The citizen's badges.
  routes.get(
    '/badge',
    ['citizen'],
    async (req, reply) => {
      const { t, lang, user } = req.ctx;
      if (!user) return reply;
      const badges = await citizenBadges(deps.db, user.regionCode, user.id);
      const fmt = dateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Rome' });
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('badges.mine.title')}>
          <h1>{t('badges.mine.title')}</h1>
          <p class="lead">{t('badges.mine.intro')}</p>
          {badges.length === 0 && <p>{t('badges.mine.none')}</p>}
          {badges.map((b) => (
            <section class="card mb-4" aria-labelledby={`badge-${b.code}`}>
              <div class="card-body">
                <h2 class="h4" id={`badge-${b.code}`}>
                  {b.name}
                </h2>
                {b.description && <p>{b.description}</p>}
                <dl class="sl-dl">
                  <dt>{t('badges.result.issuedAt')}</dt>
                  <dd>{fmt.format(b.issuedAt)}</dd>
                  <dt>{t('badges.result.status')}</dt>
                  <dd>{t(b.revoked ? 'badges.status.revoked' : 'badges.status.valid')}</dd>
                  <dt>{t('badges.mine.shareLink')}</dt>
                  <dd>
                    <code class="sl-secret">{b.verifyUrl}</code>
                  </dd>
                </dl>
                <p class="small">{t('badges.mine.shareHelp')}</p>
                <ul class="list-unstyled sl-inline-list">
                  <li>
                    <a href={`/badge/${b.code}`}>{t('badges.mine.publicPage', { name: b.name })}</a>
                  </li>
                  <li>
                    <a href={`/badge/${b.code}/badge.jwt`} download={`badge-${b.code}.jwt`}>
                      {t('badges.mine.downloadJwt', { name: b.name })}
                    </a>
                  </li>
                  <li>
                    <a href={`/badge/${b.code}/badge.json`} download={`badge-${b.code}.json`}>
                      {t('badges.mine.downloadJson', { name: b.name })}
                    </a>
                  </li>
                </ul>
              </div>
            </section>
          ))}
        </Layout>,
      );
    },
    true,
  );

  const download = (format: 'jwt' | 'json') => async (req: FastifyRequest, reply: FastifyReply) => {
    const user = req.ctx.user;
    if (!user) return reply;
    const badge = await ownBadge(deps.db, user.regionCode, user.id, codeParam(req));
    if (!badge) return notFound(req, reply);
    reply.header('Content-Disposition', `attachment; filename="badge-${badge.code}.${format}"`);
    if (format === 'jwt') return reply.type('application/vc+jwt').send(badge.jwt);
    return reply.type('application/json').send(JSON.stringify(badge.credential, null, 2));
  };
  routes.get('/badge/:code/badge.jwt', ['citizen'], download('jwt'), true);
  routes.get('/badge/:code/badge.json', ['citizen'], download('json'), true);

  // --- The public page of a badge (what a shared link opens).
  routes.get('/badge/:code', 'public', async (req, reply) => {
    const result = await verifyBadgeByCode(deps.db, codeParam(req), new Date());
    if (!result) return notFound(req, reply);
    return sendPage(reply, <BadgeVerifyPage ctx={req.ctx} result={result} />);
  });

  // --- Operators: find a badge by its code, revoke it with a reason.
  const lookupPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t } = req.ctx;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('badges.operator.lookupTitle')}>
        <h1>{t('badges.operator.lookupTitle')}</h1>
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <p>{t('badges.operator.lookupIntro')}</p>
        <form method="post" action="/operatore/badge" novalidate>
          <CsrfField ctx={req.ctx} />
          <TextField
            name="codice"
            label={t('badges.operator.codeLabel')}
            hint={t('badges.operator.codeHint')}
            values={values}
            errors={errors}
            maxLength={20}
          />
          <SubmitButton>{t('badges.operator.find')}</SubmitButton>
        </form>
      </Layout>,
      status,
    );
  };
  routes.get('/operatore/badge', ['cpi_operator'], async (req, reply) => lookupPage(req, reply, {}, {}));
  routes.post('/operatore/badge', ['cpi_operator'], async (req, reply) => {
    const { t, user } = req.ctx;
    if (!user) return reply;
    const parsed = parseForm(LookupForm, req.body, t);
    if (!parsed.ok) return lookupPage(req, reply, parsed.values, parsed.errors, 400);
    const badge = await badgeForOperator(deps, user, { code: parsed.data.codice });
    if (!badge) return lookupPage(req, reply, parsed.values, { codice: t('badges.operator.notFound') }, 404);
    return reply.redirect(`/operatore/badge/${badge.id}/revoca`, 303);
  });

  const revokePage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const { t, lang, user } = req.ctx;
    if (!user) return reply;
    const id = String((req.params as { id: string }).id);
    const badge = UUID.test(id) ? await badgeForOperator(deps, user, { id }) : null;
    if (!badge) return notFound(req, reply);
    await deps.audit.recordReads(user, 'badge', 'badge_revocation', [
      { subjectId: badge.citizenId, objectId: badge.id },
    ]);
    const fmt = dateTimeFormat(lang, { dateStyle: 'long', timeZone: 'Europe/Rome' });
    const ok = (req.query as { ok?: string }).ok;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('badges.operator.revokeTitle')}>
        <h1>{t('badges.operator.revokeTitle')}</h1>
        {ok === 'revoked' && <Notice kind="success">{t('badges.operator.revoked')}</Notice>}
        <ErrorSummary ctx={req.ctx} errors={errors} />
        <dl class="sl-dl">
          <dt>{t('badges.result.badge')}</dt>
          <dd>{badge.name}</dd>
          <dt>{t('badges.operator.person')}</dt>
          <dd>
            {badge.givenName} {badge.familyName}
          </dd>
          <dt>{t('badges.result.issuedAt')}</dt>
          <dd>{fmt.format(badge.issuedAt)}</dd>
          <dt>{t('badges.result.code')}</dt>
          <dd>
            <a href={`/badge/${badge.code}`}>{badge.code}</a>
          </dd>
          <dt>{t('badges.result.status')}</dt>
          <dd>
            {badge.revokedAt
              ? t('badges.operator.revokedOnBecause', {
                  date: fmt.format(badge.revokedAt),
                  reason: badge.revocationReason ?? '',
                })
              : t('badges.status.valid')}
          </dd>
        </dl>
        {!badge.revokedAt && (
          <form method="post" action={`/operatore/badge/${badge.id}/revoca`} novalidate>
            <CsrfField ctx={req.ctx} />
            <TextArea
              name="reason"
              label={t('badges.operator.reasonLabel')}
              hint={t('badges.operator.reasonHint')}
              values={values}
              errors={errors}
              maxLength={1000}
              rows={4}
            />
            <SubmitButton>{t('badges.operator.revoke')}</SubmitButton>
          </form>
        )}
      </Layout>,
      status,
    );
  };
  routes.get('/operatore/badge/:id/revoca', ['cpi_operator'], async (req, reply) =>
    revokePage(req, reply, {}, {}),
  );
  routes.post('/operatore/badge/:id/revoca', ['cpi_operator'], async (req, reply) => {
    const { t, user } = req.ctx;
    if (!user) return reply;
    const id = String((req.params as { id: string }).id);
    if (!UUID.test(id)) return notFound(req, reply);
    const parsed = parseForm(RevokeForm, req.body, t);
    if (!parsed.ok) return revokePage(req, reply, parsed.values, parsed.errors, 400);
    const outcome = await revokeBadge(deps, user, id, parsed.data.reason, new Date());
    if (outcome === 'not_found') return notFound(req, reply);
    return reply.redirect(`/operatore/badge/${id}/revoca?ok=revoked`, 303);
  });
}

function notFound(req: FastifyRequest, reply: FastifyReply) {
  const { t } = req.ctx;
  return sendPage(
    reply,
    <Layout ctx={req.ctx} title={t('badges.public.notFoundTitle')}>
      <h1>{t('badges.public.notFoundTitle')}</h1>
      <p>{t('badges.public.notFound')}</p>
    </Layout>,
    404,
  );
}
