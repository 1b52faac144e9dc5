import { z } from 'zod';
import { verifyBadgeJwt } from '../badges/use-cases/verify.ts';
import {
  type CaseworkDeps,
  HELP_CHANNELS,
  HELP_TOPICS,
  officesOf,
  submitHelpRequest,
} from '../casework/use-cases/help-requests.ts';
import type { ApiRegistry } from '../platform/api/api.ts';
import { ROLES } from '../platform/auth/roles.ts';
import type { RouteCatalogue } from '../platform/http/routes.ts';
import { Layout } from '../platform/ui/layout.tsx';
import { sendPage } from '../platform/ui/render.ts';

const Me = z
  .object({
    id: z.string().uuid(),
    role: z.enum(ROLES as [string, ...string[]]),
    regionCode: z.string(),
    officeId: z.string().uuid().nullable(),
    agencyId: z.string().uuid().nullable(),
    givenName: z.string(),
    familyName: z.string(),
  })
  .meta({ id: 'Me' });

const Office = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    address: z.string(),
    municipality: z.string(),
    hours: z.string(),
    email: z.string(),
    phone: z.string(),
  })
  .meta({ id: 'Office' });

const HelpRequestInput = z
  .object({
    officeId: z.string().uuid(),
    name: z.string().trim().min(1).max(120),
    contact: z.string().trim().min(1).max(200),
    channel: z.enum(HELP_CHANNELS),
    topic: z.enum(HELP_TOPICS),
    message: z.string().trim().min(1).max(4000),
    language: z.enum(['it', 'en', 'ar']).default('it'),
  })
  .meta({ id: 'HelpRequestInput' });

const BadgeVerification = z
  .object({
    valid: z.boolean(),
    revoked: z.boolean(),
    issuer: z.object({ id: z.string(), name: z.string() }).nullable(),
    achievement: z
      .object({
        name: z.string(),
        description: z.string(),
        skills: z.array(z.object({ uri: z.string(), label: z.string() })),
      })
      .nullable(),
    issuedAt: z.string().nullable(),
    reason: z.string().optional(),
  })
  .meta({ id: 'BadgeVerification' });

export function registerApiV1(api: ApiRegistry, deps: CaseworkDeps): void {
  api.addPublic({
    method: 'POST',
    path: '/badge/verifica',
    summary: 'Verify a digital badge (Open Badges 3.0, vc+jwt): signature, issuer, dates, revocation',
    tag: 'badges',
    body: z.object({ credential: z.string().min(1).max(100_000) }).meta({ id: 'BadgeVerificationInput' }),
    response: BadgeVerification,
    handler: async ({ body }) => {
      const r = await verifyBadgeJwt(deps.db, body.credential, new Date());
      return {
        status: 200,
        body: {
          valid: r.valid,
          revoked: r.revoked,
          issuer: r.issuer,
          achievement: r.achievement,
          issuedAt: r.issuedAt ? r.issuedAt.toISOString() : null,
          ...(r.reason ? { reason: r.reason } : {}),
        },
      };
    },
  });
  api.add({
    method: 'GET',
    path: '/me',
    summary: 'The account the token belongs to',
    tag: 'identity',
    roles: ROLES,
    response: Me,
    handler: async ({ user }) => ({
      status: 200,
      body: {
        id: user.id,
        role: user.role,
        regionCode: user.regionCode,
        officeId: user.officeId,
        agencyId: user.agencyId,
        givenName: user.givenName,
        familyName: user.familyName,
      },
    }),
  });
  api.add({
    method: 'GET',
    path: '/offices',
    summary: "The CPI offices of the caller's Region",
    tag: 'organisation',
    roles: ROLES,
    response: z.array(Office),
    handler: async ({ user }) => ({ status: 200, body: await officesOf(deps.db, user.regionCode) }),
  });
  api.add({
    method: 'POST',
    path: '/help-requests',
    summary: 'Record a request for help for a person (e.g. taken by phone)',
    tag: 'casework',
    roles: ['cpi_operator', 'apl_operator'],
    body: HelpRequestInput,
    response: z.object({ id: z.string().uuid() }),
    handler: async ({ user, body }) => {
      const result = await submitHelpRequest(deps, { ...user }, body);
      if (!result.ok) return { status: 404, error: 'unknown_office' };
      return { status: 201, body: { id: result.id } };
    },
  });
}

/** /api/docs: the OpenAPI document as a readable page (no JavaScript needed). */
export function registerApiDocs(routes: RouteCatalogue, api: ApiRegistry): void {
  routes.get('/api/docs', 'public', async (req, reply) => {
    const { t } = req.ctx;
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('apiDocs.title')} wide>
        <h1>{t('apiDocs.title')}</h1>
        <p>{t('apiDocs.intro')}</p>
        <p>
          <a href="/api/openapi.json">/api/openapi.json</a>
        </p>
        <table class="table">
          <caption class="visually-hidden">{t('apiDocs.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('apiDocs.method')}</th>
              <th scope="col">{t('apiDocs.path')}</th>
              <th scope="col">{t('apiDocs.summary')}</th>
              <th scope="col">{t('apiDocs.roles')}</th>
            </tr>
          </thead>
          <tbody>
            {api.endpoints.map((e) => (
              <tr>
                <td>
                  <code>{e.method}</code>
                </td>
                <td>
                  <code>{`/api/v1${e.path}`}</code>
                </td>
                <td>{e.summary}</td>
                <td>
                  {e.roles === 'public'
                    ? t('apiDocs.public')
                    : e.roles.map((r) => t(`roles.${r}`)).join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });
}
