import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RequestContext } from '../../platform/http/context.ts';
import { parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { SLUG } from '../domain/ateco.ts';
import {
  addSite,
  type CompanyDeps,
  companySpaceOf,
  type Municipality,
  markHeadquarters,
  removeSite,
  resolveMunicipality,
  setPublicSlug,
  updateCompanyData,
} from '../use-cases/company.ts';
import {
  changeRole,
  companyPeople,
  disableUser,
  inviteUser,
  revokeInvite,
} from '../use-cases/company-users.ts';
import {
  atecoCodeField,
  atecoSection,
  COMPANY_ROLES,
  crossFieldErrors,
  requireCompanyAdmin,
  requiredText,
  sectionOptions,
  sizeBand,
  sizeOptions,
  text,
} from './company-shared.tsx';

const dataSchema = z.object({
  description: text(2000).default(''),
  website: z
    .string()
    .trim()
    .max(200, 'errors.tooLong')
    .refine((v) => v === '' || /^https:\/\/[^\s]{3,192}$/.test(v), 'company.errors.website')
    .refine((v) => {
      if (v === '') return true;
      try {
        return new URL(v).protocol === 'https:';
      } catch {
        return false;
      }
    }, 'company.errors.website')
    .default(''),
  atecoSection,
  atecoCode: atecoCodeField,
  sizeBand,
});
const slugSchema = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'errors.required')
    .max(60, 'errors.tooLong')
    .regex(SLUG, 'company.errors.slug'),
});
const siteSchema = z.object({
  siteMunicipality: requiredText(2, 100, 'company.errors.municipality'),
  siteCode: z.string().max(6).default(''),
  siteAddress: requiredText(3, 200, 'company.errors.address'),
  siteHq: z.enum(['yes']).optional(),
});
const inviteSchema = z.object({
  email: z.string().trim().max(254, 'errors.tooLong').email('errors.email'),
  role: z.enum(COMPANY_ROLES, { message: 'errors.choose' }),
});
const roleSchema = z.object({ role: z.enum(COMPANY_ROLES, { message: 'errors.choose' }) });

type SpaceForms = {
  eid?: string;
  notice?: string;
  problem?: string;
  data?: { values: FormValues; errors: FieldErrors };
  slug?: { values: FormValues; errors: FieldErrors };
  site?: { values: FormValues; errors: FieldErrors; options: Municipality[] };
};

const NOTICES = ['data', 'slug', 'site', 'hq', 'removed', 'role', 'disabled', 'invited', 'revoked'] as const;
const EID_OUTCOMES = ['linked', 'invalid_fiscal_code', 'already_linked', 'not_allowed'] as const;
const eidOutcomeOf = (q: unknown) =>
  EID_OUTCOMES.includes(q as (typeof EID_OUTCOMES)[number]) ? String(q) : undefined;
const noticeOf = (ctx: RequestContext, q: unknown): string | undefined =>
  NOTICES.includes(q as (typeof NOTICES)[number]) ? ctx.t(`company.notices.${q}`) : undefined;

export function registerCompanySpace(routes: RouteCatalogue, deps: CompanyDeps): void {
  const { db } = deps;

  const space = async (ctx: RequestContext, forms: SpaceForms = {}) => {
    const { t } = ctx;
    const user = ctx.user!;
    if (!user.companyId) return null;
    const found = await companySpaceOf(db, user);
    if (!found) return null;
    const { company, role, fiscalCode, sites } = found;
    const isAdmin = role === 'admin';
    const dataValues = forms.data?.values ?? {
      description: company.description ?? '',
      website: company.website ?? '',
      atecoSection: company.ateco_section ?? '',
      atecoCode: company.ateco_code ?? '',
      sizeBand: company.size_band ?? '',
    };
    const dataErrors = forms.data?.errors ?? {};
    const errors = { ...dataErrors, ...(forms.slug?.errors ?? {}), ...(forms.site?.errors ?? {}) };
    return (
      <Layout ctx={ctx} title={t('company.space.title')}>
        <h1>{company.name}</h1>
        <p class="lead">{t('company.space.intro')}</p>
        {forms.notice && <Notice kind="success">{forms.notice}</Notice>}
        {forms.problem && <Notice kind="warning">{forms.problem}</Notice>}
        {forms.eid && (
          <Notice kind={forms.eid === 'linked' ? 'success' : 'warning'}>
            {t(`company.eid.outcomes.${forms.eid}`)}
          </Notice>
        )}
        <ErrorSummary ctx={ctx} errors={errors} />
        <ul>
          <li>
            <a href="/azienda/offerte">{t('company.space.vacancies')}</a>
          </li>
          {isAdmin && (
            <li>
              <a href="/azienda/utenti">{t('company.users.title')}</a>
            </li>
          )}
          {company.public_slug && (
            <li>
              <a href={`/aziende/${company.public_slug}`}>{t('company.space.publicPage')}</a>
            </li>
          )}
        </ul>

        <section aria-labelledby="data-heading" class="mb-5">
          <h2 id="data-heading">{t('company.space.dataHeading')}</h2>
          <dl class="sl-dl">
            <dt>{t('company.fields.vat')}</dt>
            <dd>{company.vat_number}</dd>
            <dt>{t('company.fields.fiscalCode')}</dt>
            <dd>{company.fiscal_code}</dd>
            <dt>{t('company.fields.atecoSection')}</dt>
            <dd>
              {company.ateco_section
                ? `${company.ateco_section} — ${t(`profile.ateco.${company.ateco_section}`)}${company.ateco_code ? ` (${company.ateco_code})` : ''}`
                : t('company.space.notSet')}
            </dd>
            <dt>{t('company.fields.sizeBand')}</dt>
            <dd>{company.size_band ? t(`company.sizes.${company.size_band}`) : t('company.space.notSet')}</dd>
            <dt>{t('company.fields.website')}</dt>
            <dd>{company.website ?? t('company.space.notSet')}</dd>
            <dt>{t('company.fields.description')}</dt>
            <dd>{company.description ?? t('company.space.notSet')}</dd>
          </dl>
          {isAdmin ? (
            <form method="post" action="/azienda/dati" novalidate>
              <CsrfField ctx={ctx} />
              <h3 class="h5">{t('company.space.editData')}</h3>
              <TextArea
                name="description"
                label={t('company.fields.description')}
                hint={t('company.fields.descriptionHint')}
                values={dataValues}
                errors={dataErrors}
                maxLength={2000}
              />
              <TextField
                name="website"
                type="url"
                label={t('company.fields.website')}
                hint={t('company.fields.websiteHint')}
                values={dataValues}
                errors={dataErrors}
                maxLength={200}
              />
              <SelectField
                name="atecoSection"
                label={t('company.fields.atecoSection')}
                values={dataValues}
                errors={dataErrors}
                options={sectionOptions(t)}
              />
              <TextField
                name="atecoCode"
                label={t('company.fields.atecoCode')}
                hint={t('company.fields.atecoCodeHint')}
                values={dataValues}
                errors={dataErrors}
                maxLength={10}
              />
              <RadioGroup
                name="sizeBand"
                label={t('company.fields.sizeBand')}
                values={dataValues}
                errors={dataErrors}
                options={sizeOptions(t)}
              />
              <button type="submit" class="btn btn-primary">
                {t('company.space.saveData')}
              </button>
            </form>
          ) : (
            <p>{t('company.space.recruiterNote')}</p>
          )}
        </section>

        <section aria-labelledby="sites-heading" class="mb-5">
          <h2 id="sites-heading">{t('company.sites.title')}</h2>
          <table class="table">
            <caption>{t('company.sites.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('company.sites.place')}</th>
                <th scope="col">{t('company.fields.address')}</th>
                <th scope="col">{t('company.sites.kind')}</th>
                <th scope="col">{t('company.sites.vacancies')}</th>
                {isAdmin && <th scope="col">{t('company.sites.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {sites.map((s) => (
                <tr>
                  <td>{`${s.name} (${s.province})`}</td>
                  <td>{s.address}</td>
                  <td>{s.headquarters ? t('company.sites.headquarters') : t('company.sites.branch')}</td>
                  <td>{String(s.vacancies ?? 0)}</td>
                  {isAdmin && (
                    <td>
                      {!s.headquarters && (
                        <form method="post" action={`/azienda/sedi/${s.id}/principale`} class="mb-2">
                          <CsrfField ctx={ctx} />
                          <button type="submit" class="btn btn-outline-primary btn-sm">
                            {t('company.sites.makeHq', { place: s.name })}
                          </button>
                        </form>
                      )}{' '}
                      {!s.headquarters && Number(s.vacancies ?? 0) === 0 && (
                        <form method="post" action={`/azienda/sedi/${s.id}/rimuovi`} class="mb-2">
                          <CsrfField ctx={ctx} />
                          <button type="submit" class="btn btn-outline-primary btn-sm">
                            {t('company.sites.remove', { place: s.name })}
                          </button>
                        </form>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {isAdmin && (
            <form method="post" action="/azienda/sedi" novalidate>
              <CsrfField ctx={ctx} />
              <h3 class="h5">{t('company.sites.add')}</h3>
              <TextField
                name="siteMunicipality"
                label={t('company.fields.municipality')}
                hint={t('company.fields.municipalityHint')}
                values={forms.site?.values ?? {}}
                errors={forms.site?.errors ?? {}}
                maxLength={100}
              />
              {(forms.site?.options.length ?? 0) > 0 && (
                <RadioGroup
                  name="siteCode"
                  label={t('company.fields.chooseMunicipality')}
                  values={forms.site?.values ?? {}}
                  errors={forms.site?.errors ?? {}}
                  options={(forms.site?.options ?? []).map((m) => ({
                    value: m.istat_code,
                    label: `${m.name} (${m.province})`,
                  }))}
                />
              )}
              <TextField
                name="siteAddress"
                label={t('company.fields.address')}
                hint={t('company.fields.addressHint')}
                values={forms.site?.values ?? {}}
                errors={forms.site?.errors ?? {}}
                maxLength={200}
              />
              <CheckboxGroup
                name="siteHq"
                label={t('company.sites.kind')}
                options={[{ value: 'yes', label: t('company.sites.isHq') }]}
                checked={forms.site?.values.siteHq === 'yes' ? ['yes'] : []}
                errors={forms.site?.errors ?? {}}
              />
              <button type="submit" class="btn btn-primary">
                {t('company.sites.addSubmit')}
              </button>
            </form>
          )}
        </section>

        <section aria-labelledby="eid-heading" class="mb-5">
          <h2 id="eid-heading">{t('company.eid.title')}</h2>
          {fiscalCode ? (
            <p>{t('company.eid.linked', { fiscalCode })}</p>
          ) : (
            <>
              <p>{t('company.eid.intro')}</p>
              <ul>
                <li>
                  <a href="/accedi/collega/spid">{t('company.eid.linkSpid')}</a>
                </li>
                <li>
                  <a href="/accedi/collega/cie">{t('company.eid.linkCie')}</a>
                </li>
              </ul>
            </>
          )}
        </section>

        <section aria-labelledby="page-heading" class="mb-5">
          <h2 id="page-heading">{t('company.slug.title')}</h2>
          <p>
            {company.public_slug
              ? t('company.slug.current', { url: `/aziende/${company.public_slug}` })
              : t('company.slug.none')}
          </p>
          {isAdmin && (
            <form method="post" action="/azienda/pagina" novalidate>
              <CsrfField ctx={ctx} />
              <TextField
                name="slug"
                label={t('company.slug.label')}
                hint={t('company.slug.hint')}
                values={forms.slug?.values ?? { slug: company.public_slug ?? '' }}
                errors={forms.slug?.errors ?? {}}
                maxLength={60}
              />
              <button type="submit" class="btn btn-primary">
                {t('company.slug.submit')}
              </button>
            </form>
          )}
        </section>
      </Layout>
    );
  };

  const show = async (req: FastifyRequest, reply: FastifyReply, forms: SpaceForms, status = 200) => {
    const page = await space(req.ctx, forms);
    if (!page) return reply.callNotFound();
    return sendPage(reply, page, status);
  };

  routes.get('/azienda', ['employer'], async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    return show(req, reply, { notice: noticeOf(req.ctx, q.ok), eid: eidOutcomeOf(q.eid) });
  });

  routes.post('/azienda/dati', ['employer'], async (req, reply) => {
    if (!(await requireCompanyAdmin(deps, req, reply))) return reply;
    const { t } = req.ctx;
    const form = parseForm(dataSchema, req.body, t);
    if (!form.ok) return show(req, reply, { data: form }, 400);
    const cross = crossFieldErrors(t, form.data);
    if (Object.keys(cross).length > 0)
      return show(req, reply, { data: { values: form.values, errors: cross } }, 400);
    await updateCompanyData(deps, req.ctx.user!, {
      description: form.data.description || null,
      website: form.data.website || null,
      atecoSection: form.data.atecoSection,
      atecoCode: form.data.atecoCode || null,
      sizeBand: form.data.sizeBand,
    });
    return reply.redirect('/azienda?ok=data', 303);
  });

  routes.post('/azienda/pagina', ['employer'], async (req, reply) => {
    if (!(await requireCompanyAdmin(deps, req, reply))) return reply;
    const { t } = req.ctx;
    const form = parseForm(slugSchema, req.body, t);
    if (!form.ok) return show(req, reply, { slug: form }, 400);
    const result = await setPublicSlug(deps, req.ctx.user!, form.data.slug);
    if (!result.ok)
      return show(
        req,
        reply,
        { slug: { values: form.values, errors: { slug: t('company.errors.slugTaken') } } },
        400,
      );
    return reply.redirect('/azienda?ok=slug', 303);
  });

  routes.post('/azienda/sedi', ['employer'], async (req, reply) => {
    if (!(await requireCompanyAdmin(deps, req, reply))) return reply;
    const { t } = req.ctx;
    const form = parseForm(siteSchema, req.body, t);
    if (!form.ok) return show(req, reply, { site: { ...form, options: [] } }, 400);
    const place = await resolveMunicipality(db, form.data.siteMunicipality, form.data.siteCode);
    if (!place.ok) {
      const field = place.reason === 'choose' ? 'siteCode' : 'siteMunicipality';
      const message = t(
        place.reason === 'choose' ? 'company.errors.chooseMunicipality' : 'company.errors.noMunicipality',
        { q: form.data.siteMunicipality },
      );
      return show(
        req,
        reply,
        { site: { values: form.values, errors: { [field]: message }, options: place.options } },
        400,
      );
    }
    await addSite(deps, req.ctx.user!, {
      municipalityCode: place.municipality.istat_code,
      address: form.data.siteAddress,
      headquarters: form.data.siteHq === 'yes',
    });
    return reply.redirect('/azienda?ok=site', 303);
  });

  routes.post('/azienda/sedi/:id/principale', ['employer'], async (req, reply) => {
    if (!(await requireCompanyAdmin(deps, req, reply))) return reply;
    const result = await markHeadquarters(deps, req.ctx.user!, String((req.params as { id: string }).id));
    if (result === 'not_found') return reply.callNotFound();
    return reply.redirect('/azienda?ok=hq', 303);
  });

  routes.post('/azienda/sedi/:id/rimuovi', ['employer'], async (req, reply) => {
    if (!(await requireCompanyAdmin(deps, req, reply))) return reply;
    const result = await removeSite(deps, req.ctx.user!, String((req.params as { id: string }).id));
    if (result === 'not_found') return reply.callNotFound();
    if (result !== 'ok')
      return show(req, reply, { problem: req.ctx.t(`company.sites.errors.${result}`) }, 409);
    return reply.redirect('/azienda?ok=removed', 303);
  });

  // ── Users and invitations (admins) ──────────────────────────────────────────────────────────
  const usersPage = async (
    ctx: RequestContext,
    opts: { notice?: string; problem?: string; values?: FormValues; errors?: FieldErrors } = {},
  ) => {
    const { t, lang } = ctx;
    const user = ctx.user!;
    const { users, invites } = await companyPeople(deps, user);
    const date = dateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'Europe/Rome' });
    const values = opts.values ?? { role: 'recruiter' };
    const errors = opts.errors ?? {};
    return (
      <Layout ctx={ctx} title={t('company.users.title')} wide>
        <p>
          <a href="/azienda">{t('company.users.back')}</a>
        </p>
        <h1>{t('company.users.title')}</h1>
        {opts.notice && <Notice kind="success">{opts.notice}</Notice>}
        {opts.problem && <Notice kind="warning">{opts.problem}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} />
        <table class="table">
          <caption>{t('company.users.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('company.users.name')}</th>
              <th scope="col">{t('company.fields.email')}</th>
              <th scope="col">{t('company.users.role')}</th>
              <th scope="col">{t('company.users.state')}</th>
              <th scope="col">{t('company.sites.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const name = `${u.given_name} ${u.family_name}`;
              const other = u.company_role === 'admin' ? 'recruiter' : 'admin';
              return (
                <tr>
                  <th scope="row">{name}</th>
                  <td>{u.email ?? ''}</td>
                  <td>{t(`company.roles.${u.company_role ?? 'recruiter'}`)}</td>
                  <td>{u.disabled_at ? t('company.users.disabled') : t('company.users.active')}</td>
                  <td>
                    {!u.disabled_at && u.id !== user.id && (
                      <>
                        <form method="post" action={`/azienda/utenti/${u.id}/ruolo`} class="mb-2">
                          <CsrfField ctx={ctx} />
                          <input type="hidden" name="role" value={other} />
                          <button type="submit" class="btn btn-outline-primary btn-sm">
                            {t(`company.users.makeRole.${other}`, { name })}
                          </button>
                        </form>{' '}
                        <form method="post" action={`/azienda/utenti/${u.id}/disattiva`} class="mb-2">
                          <CsrfField ctx={ctx} />
                          <button type="submit" class="btn btn-outline-primary btn-sm">
                            {t('company.users.disable', { name })}
                          </button>
                        </form>
                      </>
                    )}
                    {u.id === user.id && t('company.users.you')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <h2>{t('company.users.invitesHeading')}</h2>
        {invites.length === 0 ? (
          <p>{t('company.users.noInvites')}</p>
        ) : (
          <table class="table">
            <caption>{t('company.users.invitesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('company.fields.email')}</th>
                <th scope="col">{t('company.users.role')}</th>
                <th scope="col">{t('company.users.expires')}</th>
                <th scope="col">{t('company.sites.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {invites.map((i) => (
                <tr>
                  <th scope="row">{i.email}</th>
                  <td>{t(`company.roles.${i.company_role}`)}</td>
                  <td>{i.expired ? t('company.users.expired') : date.format(i.expires_at)}</td>
                  <td>
                    <form method="post" action={`/azienda/inviti/${i.id}/revoca`} class="mb-2">
                      <CsrfField ctx={ctx} />
                      <button type="submit" class="btn btn-outline-primary btn-sm">
                        {t('company.users.revoke', { email: i.email })}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>{t('company.users.inviteHeading')}</h2>
        <p>{t('company.users.inviteIntro')}</p>
        <form method="post" action="/azienda/utenti/invita" novalidate>
          <CsrfField ctx={ctx} />
          <TextField
            name="email"
            type="email"
            label={t('company.fields.email')}
            values={values}
            errors={errors}
            maxLength={254}
          />
          <RadioGroup
            name="role"
            label={t('company.users.role')}
            values={values}
            errors={errors}
            options={COMPANY_ROLES.map((r) => ({ value: r, label: t(`company.roles.${r}Long`) }))}
          />
          <button type="submit" class="btn btn-primary">
            {t('company.users.inviteSubmit')}
          </button>
        </form>
      </Layout>
    );
  };

  routes.get(
    '/azienda/utenti',
    ['employer'],
    async (req, reply) => {
      if (!(await requireCompanyAdmin(deps, req, reply))) return reply;
      return sendPage(
        reply,
        await usersPage(req.ctx, { notice: noticeOf(req.ctx, (req.query as Record<string, unknown>).ok) }),
      );
    },
    true,
  );

  routes.post('/azienda/utenti/invita', ['employer'], async (req, reply) => {
    if (!(await requireCompanyAdmin(deps, req, reply))) return reply;
    const { t } = req.ctx;
    const form = parseForm(inviteSchema, req.body, t);
    if (!form.ok) return sendPage(reply, await usersPage(req.ctx, form), 400);
    const result = await inviteUser(deps, req.ctx.user!, { ...form.data, lang: req.ctx.lang });
    if (!result.ok)
      return sendPage(
        reply,
        await usersPage(req.ctx, {
          values: form.values,
          errors: { email: t(`company.errors.${result.reason}`) },
        }),
        400,
      );
    return reply.redirect('/azienda/utenti?ok=invited', 303);
  });

  routes.post('/azienda/utenti/:id/ruolo', ['employer'], async (req, reply) => {
    if (!(await requireCompanyAdmin(deps, req, reply))) return reply;
    const { t } = req.ctx;
    const form = parseForm(roleSchema, req.body, t);
    if (!form.ok) return sendPage(reply, await usersPage(req.ctx, { problem: t('errors.choose') }), 400);
    const result = await changeRole(
      deps,
      req.ctx.user!,
      String((req.params as { id: string }).id),
      form.data.role,
    );
    if (result === 'not_found') return reply.callNotFound();
    if (result !== 'ok')
      return sendPage(reply, await usersPage(req.ctx, { problem: t(`company.users.errors.${result}`) }), 409);
    return reply.redirect('/azienda/utenti?ok=role', 303);
  });

  routes.post('/azienda/utenti/:id/disattiva', ['employer'], async (req, reply) => {
    if (!(await requireCompanyAdmin(deps, req, reply))) return reply;
    const { t } = req.ctx;
    const result = await disableUser(deps, req.ctx.user!, String((req.params as { id: string }).id));
    if (result === 'not_found') return reply.callNotFound();
    if (result !== 'ok')
      return sendPage(reply, await usersPage(req.ctx, { problem: t(`company.users.errors.${result}`) }), 409);
    return reply.redirect('/azienda/utenti?ok=disabled', 303);
  });

  routes.post('/azienda/inviti/:id/revoca', ['employer'], async (req, reply) => {
    if (!(await requireCompanyAdmin(deps, req, reply))) return reply;
    const result = await revokeInvite(deps, req.ctx.user!, String((req.params as { id: string }).id));
    if (result === 'not_found') return reply.callNotFound();
    return reply.redirect('/azienda/utenti?ok=revoked', 303);
  });
}
