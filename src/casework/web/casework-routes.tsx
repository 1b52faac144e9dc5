import { z } from 'zod';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import {
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
import {
  type CaseworkDeps,
  HELP_CHANNELS,
  HELP_TOPICS,
  listHelpRequests,
  nearestOfficeId,
  officesOf,
  submitHelpRequest,
} from '../use-cases/help-requests.ts';

/** A page path to remember with a help request (never a full URL). */
function safeStep(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/[A-Za-z0-9/_-]{0,150}$/.test(value) ? value : undefined;
}

import { dateTimeFormat, formatDay } from '../../platform/i18n/format.ts';
import { READ_PURPOSES, readPersonRecord, searchPeople, whoReadMyData } from '../use-cases/person-record.ts';

type Office = Awaited<ReturnType<typeof officesOf>>[number];

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'errors.required')
    .max(max, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');

const HelpForm = z.object({
  name: text(120),
  contact: text(200),
  channel: z.enum(HELP_CHANNELS, { message: 'errors.choose' }),
  topic: z.enum(HELP_TOPICS, { message: 'errors.choose' }),
  officeId: z.string().uuid('errors.choose'),
  message: text(4000),
});

function HelpPage({
  ctx,
  offices,
  values,
  errors = {},
}: {
  ctx: RequestContext;
  offices: Office[];
  values: FormValues;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('help.title')}>
      <h1>{t('help.title')}</h1>
      <p class="lead">{t('help.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/aiuto" novalidate>
        <CsrfField ctx={ctx} />
        {values.step && <input type="hidden" name="step" value={values.step} />}
        <TextField
          name="name"
          label={t('help.name')}
          autocomplete="name"
          values={values}
          errors={errors}
          maxLength={120}
        />
        <TextField
          name="contact"
          label={t('help.contact')}
          hint={t('help.contactHint')}
          autocomplete="tel"
          values={values}
          errors={errors}
          maxLength={200}
        />
        <RadioGroup
          name="channel"
          label={t('help.channel')}
          values={values}
          errors={errors}
          options={HELP_CHANNELS.map((c) => ({ value: c, label: t(`help.channels.${c}`) }))}
        />
        <SelectField
          name="topic"
          label={t('help.topic')}
          values={values}
          errors={errors}
          options={[
            { value: '', label: t('form.choose') },
            ...HELP_TOPICS.map((c) => ({ value: c, label: t(`help.topics.${c}`) })),
          ]}
        />
        <SelectField
          name="officeId"
          label={t('help.office')}
          hint={t('help.officeHint')}
          values={values}
          errors={errors}
          options={offices.map((o) => ({ value: o.id, label: `${o.name} — ${o.municipality}` }))}
        />
        <TextArea
          name="message"
          label={t('help.message')}
          hint={t('help.messageHint')}
          values={values}
          errors={errors}
          maxLength={4000}
        />
        <button type="submit" class="btn btn-primary">
          {t('help.submit')}
        </button>
      </form>
      <h2 class="h4 mt-5">{t('help.officesHeading')}</h2>
      <ul class="list-unstyled">
        {offices.map((o) => (
          <li class="mb-3">
            <strong>{o.name}</strong>
            <br />
            {o.address} — {o.municipality}
            <br />
            {t('help.hours')}: {o.hours}
            <br />
            {t('help.phone')}: <a href={`tel:${o.phone.replace(/\s/g, '')}`}>{o.phone}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

function HelpSentPage({ ctx }: { ctx: RequestContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('help.sentTitle')}>
      <h1>{t('help.sentTitle')}</h1>
      <Notice kind="success">{t('help.sentBody')}</Notice>
      <p>
        <a href="/">{t('errors.backHome')}</a>
      </p>
    </Layout>
  );
}

export function registerCaseworkRoutes(routes: RouteCatalogue, deps: CaseworkDeps): void {
  routes.get('/aiuto', 'public', async (req, reply) => {
    const regionCode = req.ctx.user?.regionCode ?? deps.defaultRegion;
    const offices = await officesOf(deps.db, regionCode);
    const u = req.ctx.user;
    const values: FormValues = {
      name: u ? `${u.givenName} ${u.familyName}` : '',
      contact: u?.email ?? '',
      channel: 'phone',
      officeId: u?.officeId ?? (u ? await nearestOfficeId(deps.db, u) : null) ?? offices[0]?.id,
      step: safeStep((req.query as Record<string, unknown>).da),
    };
    return sendPage(reply, HelpPage({ ctx: req.ctx, offices, values }));
  });

  routes.post('/aiuto', 'public', async (req, reply) => {
    const regionCode = req.ctx.user?.regionCode ?? deps.defaultRegion;
    const offices = await officesOf(deps.db, regionCode);
    const form = parseForm(HelpForm, req.body, req.ctx.t);
    if (!form.ok)
      return sendPage(
        reply,
        HelpPage({ ctx: req.ctx, offices, values: form.values, errors: form.errors }),
        400,
      );
    const result = await submitHelpRequest(deps, req.ctx.user, {
      ...form.data,
      language: req.ctx.lang,
      step: safeStep(form.values.step) ?? null,
    });
    if (!result.ok) {
      return sendPage(
        reply,
        HelpPage({
          ctx: req.ctx,
          offices,
          values: form.values,
          errors: { officeId: req.ctx.t('errors.choose') },
        }),
        400,
      );
    }
    return reply.redirect('/aiuto/inviata', 303);
  });

  routes.get('/aiuto/inviata', 'public', async (req, reply) =>
    sendPage(reply, HelpSentPage({ ctx: req.ctx })),
  );

  routes.get('/operatore/richieste-aiuto', ['cpi_operator', 'apl_operator'], async (req, reply) => {
    const { t, lang } = req.ctx;
    const rows = await listHelpRequests(deps, req.ctx.user!);
    const fmt = dateTimeFormat(lang, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Europe/Rome',
    });
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('operator.helpTitle')} wide>
        <h1>{t('operator.helpTitle')}</h1>
        {rows.length === 0 ? (
          <p>{t('operator.helpEmpty')}</p>
        ) : (
          <table class="table">
            <caption class="visually-hidden">{t('operator.helpTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('operator.when')}</th>
                <th scope="col">{t('help.name')}</th>
                <th scope="col">{t('help.contact')}</th>
                <th scope="col">{t('help.channel')}</th>
                <th scope="col">{t('help.topic')}</th>
                <th scope="col">{t('help.message')}</th>
                <th scope="col">{t('operator.fromPage')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{fmt.format(r.created_at)}</td>
                  <td>{r.name}</td>
                  <td>{r.contact}</td>
                  <td>{t(`help.channels.${r.channel}`)}</td>
                  <td>{t(`help.topics.${r.topic}`)}</td>
                  <td>{r.message}</td>
                  <td>{r.step ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
    );
  });

  routes.get('/operatore/persone', ['cpi_operator', 'apl_operator'], async (req, reply) => {
    const { t } = req.ctx;
    const q = String((req.query as Record<string, unknown>).q ?? '').slice(0, 100);
    const results = q ? await searchPeople(deps, req.ctx.user!, q) : [];
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('operator.peopleTitle')}>
        <h1>{t('operator.peopleTitle')}</h1>
        <form method="get" action="/operatore/persone">
          <TextField
            name="q"
            label={t('operator.search')}
            hint={t('operator.searchHint')}
            values={{ q }}
            errors={{}}
            maxLength={100}
          />
          <button type="submit" class="btn btn-primary">
            {t('operator.searchSubmit')}
          </button>
        </form>
        {q && (
          <>
            <h2 class="h4 mt-4">{t('operator.results', { count: results.length })}</h2>
            {results.length === 20 && <p>{t('operator.resultsFirst')}</p>}
            <ul>
              {results.map((p) => (
                <li>
                  <a href={`/operatore/persone/${p.id}`}>{`${p.family_name} ${p.given_name}`}</a>
                  {/* What tells namesakes apart: birth date and codice fiscale, or (APL) the email. */}
                  {p.email !== null ? (
                    <span class="text-muted">
                      {` — ${t('fields.email')}: `}
                      <bdi>{p.email}</bdi>
                    </span>
                  ) : (
                    <span class="text-muted">
                      {` — ${t('fields.birthDate')}: `}
                      <bdi>{p.birth_date ? formatDay(req.ctx.lang, p.birth_date) : '—'}</bdi>
                      {` · ${t('fields.fiscalCode')}: `}
                      <bdi>{p.fiscal_code ?? '—'}</bdi>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </Layout>,
    );
  });

  routes.get('/operatore/persone/:id', ['cpi_operator', 'apl_operator'], async (req, reply) => {
    const { t } = req.ctx;
    const { id } = req.params as { id: string };
    const purposeRaw = (req.query as Record<string, unknown>).purpose;
    const purpose = READ_PURPOSES.find((p) => p === purposeRaw);
    if (!purpose) {
      // The purpose of every look at a person's data is recorded: ask for it first.
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('operator.purposeTitle')}>
          <h1>{t('operator.purposeTitle')}</h1>
          <p>{t('operator.purposeIntro')}</p>
          <form method="get" action={`/operatore/persone/${encodeURIComponent(id)}`}>
            <RadioGroup
              name="purpose"
              label={t('operator.purpose')}
              values={{ purpose: 'interview' }}
              errors={{}}
              options={READ_PURPOSES.map((p) => ({ value: p, label: t(`purposes.${p}`) }))}
            />
            <button type="submit" class="btn btn-primary">
              {t('operator.open')}
            </button>
          </form>
        </Layout>,
      );
    }
    const person = await readPersonRecord(deps, req.ctx.user!, id, purpose);
    if (!person) return reply.callNotFound();
    const fmt = dateTimeFormat(req.ctx.lang, { dateStyle: 'long', timeZone: 'UTC' });
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={`${person.given_name} ${person.family_name}`}>
        <h1>{`${person.given_name} ${person.family_name}`}</h1>
        {person.is_minor && (
          <div class="alert alert-warning" role="note">
            {t('operator.minor')}
          </div>
        )}
        <dl class="sl-dl">
          <dt>{t('fields.fiscalCode')}</dt>
          <dd>{person.fiscal_code ?? '—'}</dd>
          <dt>{t('fields.birthDate')}</dt>
          <dd>{person.birth_date ? fmt.format(person.birth_date) : '—'}</dd>
          <dt>{t('fields.email')}</dt>
          <dd>{person.email ?? '—'}</dd>
          <dt>{t('fields.phone')}</dt>
          <dd>{person.phone ?? '—'}</dd>
        </dl>
        <ul>
          <li>
            <a href={`/operatore/persone/${person.id}/fascicolo?purpose=${purpose}`}>
              {t('operator.dossierLink')}
            </a>
          </li>
          <li>
            <a href={`/operatore/persone/${person.id}/assistenza`}>{t('operator.assistedLink')}</a>
          </li>
          {req.ctx.user!.role === 'cpi_operator' ? (
            <li>
              <a href={`/operatore/persone/${person.id}/invio-apl`}>{t('operator.referralLink')}</a>
            </li>
          ) : (
            <li>
              <a href={`/apl/persone/${person.id}`}>{t('operator.aplReferralLink')}</a>
            </li>
          )}
          <li>
            <a href={`/operatore/persone/${person.id}/livello`}>{t('operator.tierLink')}</a>
          </li>
          <li>
            <a href={`/operatore/persone/${person.id}/appuntamento`}>{t('operator.bookLink')}</a>
          </li>
          <li>
            <a href={`/operatore/persone/${person.id}/competenze-digitali`}>{t('operator.digitalLink')}</a>
          </li>
          {req.ctx.user!.role === 'cpi_operator' ? (
            <li>
              <a href={`/operatore/persone/${person.id}/patto`}>{t('operator.pactLink')}</a>
            </li>
          ) : null}
          <li>
            <a href={`/operatore/persone/${person.id}/piano`}>{t('operator.planLink')}</a>
          </li>
          <li>
            <a href={`/operatore/persone/${person.id}/competenze`}>{t('operator.skillsLink')}</a>
          </li>
          {req.ctx.user!.role === 'cpi_operator' ? (
            <li>
              <a href={`/operatore/persone/${person.id}/condizionalita`}>
                {t('operator.conditionalityLink')}
              </a>
            </li>
          ) : null}
          <li>
            <a href={`/operatore/persone/${person.id}/messaggi`}>{t('nav.messages')}</a>
          </li>
          {req.ctx.user!.role === 'cpi_operator' ? (
            <li>
              <a href={`/operatore/persone/${person.id}/certificati?purpose=${purpose}`}>
                {t('certificates.operator.link')}
              </a>
            </li>
          ) : null}
          <li>
            <a href={`/operatore/persone/${person.id}/portabilita`}>{t('operator.portabilityLink')}</a>
          </li>
        </ul>
        <p class="small text-muted">{t('operator.auditNotice', { purpose: t(`purposes.${purpose}`) })}</p>
      </Layout>,
    );
  });

  // "I miei dati": one page that gathers what the person can see and do about their own data.
  routes.get('/i-miei-dati', ['citizen'], async (req, reply) => {
    const { t } = req.ctx;
    const links: { href: string; label: string; hint: string }[] = [
      { href: '/fascicolo', label: t('myDataHub.dossier'), hint: t('myDataHub.dossierHint') },
      { href: '/i-miei-dati/accessi', label: t('nav.whoSawMyData'), hint: t('myDataHub.accessHint') },
      {
        href: '/i-miei-dati/per-tuo-conto',
        label: t('myDataHub.onBehalf'),
        hint: t('myDataHub.onBehalfHint'),
      },
      { href: '/certificati', label: t('nav.certificates'), hint: t('myDataHub.certificatesHint') },
      {
        href: '/i-miei-dati/portabilita',
        label: t('myDataHub.portability'),
        hint: t('myDataHub.portabilityHint'),
      },
      { href: '/agenzia', label: t('myDataHub.agencies'), hint: t('myDataHub.agenciesHint') },
      { href: '/valutazioni', label: t('myDataHub.surveys'), hint: t('myDataHub.surveysHint') },
      {
        href: '/preferenze/comunicazioni',
        label: t('myDataHub.communications'),
        hint: t('myDataHub.communicationsHint'),
      },
      { href: '/i-miei-dati/cancellazione', label: t('myDataHub.erasure'), hint: t('myDataHub.erasureHint') },
    ];
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('myDataHub.title')}>
        <h1>{t('myDataHub.title')}</h1>
        <p class="lead">{t('myDataHub.intro')}</p>
        <ul class="list-group mb-4">
          {links.map((l) => (
            <li class="list-group-item">
              <a href={l.href}>{l.label}</a>
              <span class="d-block small text-muted">{l.hint}</span>
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  routes.get('/i-miei-dati/accessi', ['citizen'], async (req, reply) => {
    const { t, lang } = req.ctx;
    const rows = await whoReadMyData(deps, req.ctx.user!);
    const fmt = dateTimeFormat(lang, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Europe/Rome',
    });
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('myData.title')} wide>
        <h1>{t('myData.title')}</h1>
        <p class="lead">{t('myData.intro')}</p>
        {rows.length === 0 ? (
          <p>{t('myData.empty')}</p>
        ) : (
          <table class="table">
            <caption class="visually-hidden">{t('myData.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('myData.when')}</th>
                <th scope="col">{t('myData.who')}</th>
                <th scope="col">{t('myData.where')}</th>
                <th scope="col">{t('myData.what')}</th>
                <th scope="col">{t('myData.why')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{fmt.format(r.at)}</td>
                  <td>
                    {r.given_name ? `${r.given_name} ${r.family_name}` : t('myData.system')}
                    {r.actor_role && (
                      <span class="d-block small text-muted">{t(`roles.${r.actor_role}`)}</span>
                    )}
                  </td>
                  <td>{r.office_name ?? r.agency_name ?? '—'}</td>
                  <td>{t(`auditActions.${r.action.replace('.', '_')}`)}</td>
                  <td>{r.purpose ? t(`purposes.${r.purpose}`) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Layout>,
      200,
    );
  });
}
