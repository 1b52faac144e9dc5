import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PdfSection } from '../../cv/adapters/cv-pdf.ts';
import { renderCvPdf } from '../../cv/adapters/cv-pdf.ts';
import { validateCv } from '../../cv/domain/cv.ts';
import { pdfSections } from '../../cv/web/cv-format.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { sendAttachment } from '../../platform/http/uploads.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  TextArea,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import type { EmployerDeps } from '../deps.ts';
import {
  answerRequest,
  type CitizenRequest,
  type CompanyContact,
  contactOfCompany,
  contactsOfCompany,
  DECLINE_COOLDOWN_DAYS,
  hasDomicile,
  type Message,
  type RevealedPerson,
  requestOfCitizen,
  requestsOfCitizen,
  sendMessage,
  setVisibility,
  threadOf,
  visibilityOf,
} from '../use-cases/contact.ts';

const CITIZEN = ['citizen'] as const;
const EMPLOYER = ['employer'] as const;
const OK_NOTICES = ['visibleOn', 'visibleOff', 'accepted', 'declined', 'sent', 'message'] as const;

const VisibilitySchema = z.object({ visibile: z.enum(['si', 'no'], { message: 'errors.choose' }) });
const MessageSchema = z.object({
  testo: z
    .string()
    .trim()
    .min(1, 'errors.required')
    .max(4000, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
});

function okNotice(ctx: RequestContext, req: FastifyRequest) {
  const ok = (req.query as Record<string, unknown> | undefined)?.ok;
  if (typeof ok !== 'string' || !(OK_NOTICES as readonly string[]).includes(ok)) return null;
  return <Notice kind="success">{ctx.t(`candidates.done.${ok}`)}</Notice>;
}

function when(ctx: RequestContext, d: Date | string): string {
  return dateTimeFormat(ctx.lang, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Rome',
  }).format(new Date(d));
}

function day(ctx: RequestContext, d: Date): string {
  return dateTimeFormat(ctx.lang, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Rome',
  }).format(d);
}

export function registerContactRoutes(routes: RouteCatalogue, deps: EmployerDeps): void {
  const { db } = deps;

  // ── The person: consent and requests ──────────────────────────────────────────────────────
  const citizenHome = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const ctx = req.ctx;
    const user = ctx.user!;
    const { t } = ctx;
    const visibility = await visibilityOf(db, user);
    const requests = await requestsOfCitizen(db, user);
    const located = await hasDomicile(db, user);
    const visible = visibility?.visible === true;
    const formValues: FormValues = { visibile: visible ? 'si' : 'no', ...values };
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('candidates.citizen.title')}>
        <h1>{t('candidates.citizen.title')}</h1>
        {okNotice(ctx, req)}
        <ErrorSummary ctx={ctx} errors={errors} />
        <section aria-labelledby="consent-heading" class="mb-5" id="fatti-trovare">
          <h2 id="consent-heading">{t('candidates.consent.title')}</h2>
          <p>{t('candidates.consent.intro')}</p>
          <h3 class="h5">{t('candidates.consent.seeTitle')}</h3>
          <p>{t('candidates.consent.see')}</p>
          <h3 class="h5">{t('candidates.consent.neverTitle')}</h3>
          <p>{t('candidates.consent.never')}</p>
          <p>{t('candidates.consent.withdraw')}</p>
          <p role="status">
            <strong>
              {visible
                ? t('candidates.consent.nowOn', { date: day(ctx, visibility!.changedAt) })
                : t('candidates.consent.nowOff')}
            </strong>
          </p>
          {visible && !located && (
            <Notice kind="warning">
              {t('candidates.consent.needsDomicile')}{' '}
              <a href="/profilo">{t('candidates.consent.toProfile')}</a>
            </Notice>
          )}
          <form method="post" action="/contatti/visibilita" novalidate>
            <CsrfField ctx={ctx} />
            <RadioGroup
              name="visibile"
              label={t('candidates.consent.question')}
              values={formValues}
              errors={errors}
              options={[
                { value: 'si', label: t('candidates.consent.yes') },
                { value: 'no', label: t('candidates.consent.no') },
              ]}
            />
            <button type="submit" class="btn btn-primary">
              {t('candidates.consent.save')}
            </button>
          </form>
        </section>
        <section aria-labelledby="requests-heading">
          <h2 id="requests-heading">{t('candidates.citizen.requests')}</h2>
          {requests.length === 0 ? (
            <p>{t('candidates.citizen.none')}</p>
          ) : (
            <ul class="list-unstyled">
              {requests.map((r) => (
                <li class="card mb-3">
                  <div class="card-body">
                    <CitizenRequestCard ctx={ctx} r={r} />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      </Layout>,
      status,
    );
  };

  routes.get('/contatti', CITIZEN, (req, reply) => citizenHome(req, reply, {}, {}));

  routes.post('/contatti/visibilita', CITIZEN, async (req, reply) => {
    const form = parseForm(VisibilitySchema, req.body, req.ctx.t);
    if (!form.ok) return citizenHome(req, reply, form.values, form.errors, 400);
    const visible = form.data.visibile === 'si';
    await setVisibility(deps, req.ctx.user!, visible);
    return reply.redirect(`/contatti?ok=${visible ? 'visibleOn' : 'visibleOff'}`, 303);
  });

  for (const [path, answer] of [
    ['accetta', 'accepted'],
    ['rifiuta', 'declined'],
  ] as const) {
    routes.post(`/contatti/:id/${path}`, CITIZEN, async (req, reply) => {
      const { id } = req.params as { id: string };
      const done = await answerRequest(deps, req.ctx.user!, id, answer);
      if (!done) return reply.callNotFound();
      return reply.redirect(
        answer === 'accepted' ? `/contatti/${id}?ok=accepted` : '/contatti?ok=declined',
        303,
      );
    });
  }

  const citizenThread = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const ctx = req.ctx;
    const user = ctx.user!;
    const { t } = ctx;
    const { id } = req.params as { id: string };
    const r = await requestOfCitizen(db, user, id);
    if (!r) return reply.callNotFound();
    const messages = r.status === 'accepted' ? await threadOf(db, user.regionCode, r.id, 'citizen') : [];
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('candidates.thread.titleCitizen', { company: r.company })}>
        <h1>{t('candidates.thread.titleCitizen', { company: r.company })}</h1>
        {okNotice(ctx, req)}
        <ErrorSummary ctx={ctx} errors={errors} />
        <CitizenRequestCard ctx={ctx} r={r} detail />
        {r.status === 'accepted' && (
          <Thread
            ctx={ctx}
            messages={messages}
            mine="citizen"
            otherName={r.company}
            action={`/contatti/${r.id}/messaggi`}
            values={values}
            errors={errors}
          />
        )}
        <p class="mt-4">
          <a href="/contatti">{t('candidates.thread.backCitizen')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/contatti/:id', CITIZEN, (req, reply) => citizenThread(req, reply, {}, {}));

  routes.post('/contatti/:id/messaggi', CITIZEN, async (req, reply) => {
    const { id } = req.params as { id: string };
    const form = parseForm(MessageSchema, req.body, req.ctx.t);
    if (!form.ok) return citizenThread(req, reply, form.values, form.errors, 400);
    const sent = await sendMessage(deps, req.ctx.user!, 'citizen', id, form.data.testo);
    if (!sent) return reply.callNotFound();
    return reply.redirect(`/contatti/${id}?ok=message#messaggi`, 303);
  });

  // ── The company: its requests, the revealed person, the thread ─────────────────────────────
  routes.get('/azienda/candidati/contatti', EMPLOYER, async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const contacts = await contactsOfCompany(deps, ctx.user!);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('candidates.company.title')}>
        <h1>{t('candidates.company.title')}</h1>
        {okNotice(ctx, req)}
        <p>
          <a href="/azienda/candidati">{t('candidates.company.toSearch')}</a>
        </p>
        {contacts.length === 0 ? (
          <p>{t('candidates.company.none')}</p>
        ) : (
          <div class="table-responsive">
            <table class="table">
              <caption class="visually-hidden">{t('candidates.company.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('candidates.company.candidate')}</th>
                  <th scope="col">{t('candidates.company.vacancy')}</th>
                  <th scope="col">{t('candidates.company.status')}</th>
                  <th scope="col">{t('candidates.company.sent')}</th>
                </tr>
              </thead>
              <tbody>
                {contacts.map((c) => (
                  <tr>
                    <th scope="row">
                      <a href={`/azienda/candidati/contatti/${c.id}`}>
                        {t('candidates.pseudonym', { code: c.pseudonym })}
                      </a>
                    </th>
                    <td>{c.vacancyTitle ?? '—'}</td>
                    <td>
                      {t(`candidates.contactStatus.${c.status}`)}
                      {c.unread > 0 && ` — ${t('candidates.thread.unread', { count: c.unread })}`}
                    </td>
                    <td>{when(ctx, c.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });

  const companyThread = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) => {
    const ctx = req.ctx;
    const user = ctx.user!;
    const { t } = ctx;
    const { id } = req.params as { id: string };
    const c = await contactOfCompany(deps, user, id);
    if (!c) return reply.callNotFound();
    const messages = c.status === 'accepted' ? await threadOf(db, user.regionCode, c.id, 'company') : [];
    const name = c.person
      ? `${c.person.givenName} ${c.person.familyName}`
      : t('candidates.pseudonym', { code: c.pseudonym });
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('candidates.thread.titleCompany', { name })}>
        <h1>{t('candidates.thread.titleCompany', { name })}</h1>
        {okNotice(ctx, req)}
        <ErrorSummary ctx={ctx} errors={errors} />
        <CompanyContactCard ctx={ctx} c={c} />
        {c.person && <PersonCard ctx={ctx} p={c.person} contactId={c.id} />}
        {c.status === 'accepted' && (
          <Thread
            ctx={ctx}
            messages={messages}
            mine="company"
            otherName={name}
            action={`/azienda/candidati/contatti/${c.id}/messaggi`}
            values={values}
            errors={errors}
          />
        )}
        <p class="mt-4">
          <a href="/azienda/candidati/contatti">{t('candidates.thread.backCompany')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/azienda/candidati/contatti/:id', EMPLOYER, (req, reply) => companyThread(req, reply, {}, {}));

  routes.get(
    '/azienda/candidati/contatti/:id/cv.pdf',
    EMPLOYER,
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const c = await contactOfCompany(deps, req.ctx.user!, id);
      const checked = c?.person?.cv ? validateCv(c.person.cv) : null;
      if (!c?.person || !checked?.ok) return reply.callNotFound();
      // The PDF's fonts cover Latin scripts: an Arabic interface gets an Italian CV.
      const lang = req.ctx.lang === 'en' ? 'en' : 'it';
      const name = `${c.person.givenName} ${c.person.familyName}`;
      const pdf = await renderCvPdf({
        lang: lang === 'en' ? 'en-GB' : 'it-IT',
        title: name,
        author: name,
        sections: pdfSections(translator(lang), lang, checked.cv),
      });
      return sendAttachment(reply, {
        filename: `cv-${c.pseudonym}.pdf`,
        contentType: 'application/pdf',
        content: pdf,
      });
    },
    true,
  );

  routes.post('/azienda/candidati/contatti/:id/messaggi', EMPLOYER, async (req, reply) => {
    const { id } = req.params as { id: string };
    const form = parseForm(MessageSchema, req.body, req.ctx.t);
    if (!form.ok) return companyThread(req, reply, form.values, form.errors, 400);
    const sent = await sendMessage(deps, req.ctx.user!, 'company', id, form.data.testo);
    if (!sent) return reply.callNotFound();
    return reply.redirect(`/azienda/candidati/contatti/${id}?ok=message#messaggi`, 303);
  });
}

function CitizenRequestCard({
  ctx,
  r,
  detail = false,
}: {
  ctx: RequestContext;
  r: CitizenRequest;
  detail?: boolean;
}) {
  const { t } = ctx;
  const Heading = detail ? 'h2' : 'h3';
  return (
    <>
      <Heading class="h5">{t('candidates.citizen.from', { company: r.company })}</Heading>
      <dl class="sl-dl">
        {r.vacancyTitle && (
          <>
            <dt>{t('candidates.citizen.vacancy')}</dt>
            <dd>{r.vacancyTitle}</dd>
          </>
        )}
        <dt>{t('candidates.citizen.message')}</dt>
        <dd>{r.message}</dd>
        <dt>{t('candidates.citizen.received')}</dt>
        <dd>{when(ctx, r.createdAt)}</dd>
        <dt>{t('candidates.citizen.status')}</dt>
        <dd>
          {t(`candidates.contactStatus.${r.status}`)}
          {r.unread > 0 && ` — ${t('candidates.thread.unread', { count: r.unread })}`}
        </dd>
      </dl>
      {r.status === 'pending' && (
        <>
          <p>{t('candidates.citizen.acceptMeans')}</p>
          <div class="d-flex flex-wrap gap-2 align-items-end">
            <form method="post" action={`/contatti/${r.id}/accetta`}>
              <CsrfField ctx={ctx} />
              <button type="submit" class="btn btn-primary btn-sm">
                {t('candidates.citizen.accept', { company: r.company })}
              </button>
            </form>
            <form method="post" action={`/contatti/${r.id}/rifiuta`}>
              <CsrfField ctx={ctx} />
              <button type="submit" class="btn btn-outline-primary btn-sm">
                {t('candidates.citizen.decline', { company: r.company })}
              </button>
            </form>
          </div>
        </>
      )}
      {!detail && r.status === 'accepted' && (
        <p class="mb-0">
          <a href={`/contatti/${r.id}`}>{t('candidates.citizen.openThread', { company: r.company })}</a>
        </p>
      )}
    </>
  );
}

function CompanyContactCard({ ctx, c }: { ctx: RequestContext; c: CompanyContact }) {
  const { t } = ctx;
  const again =
    c.status === 'declined' && c.answeredAt
      ? new Date(new Date(c.answeredAt).getTime() + DECLINE_COOLDOWN_DAYS * 86_400_000)
      : null;
  return (
    <section aria-labelledby="request-heading" class="mb-4">
      <h2 id="request-heading" class="h4">
        {t('candidates.company.request')}
      </h2>
      <dl class="sl-dl">
        <dt>{t('candidates.company.candidate')}</dt>
        <dd>{t('candidates.pseudonym', { code: c.pseudonym })}</dd>
        {c.vacancyTitle && (
          <>
            <dt>{t('candidates.company.vacancy')}</dt>
            <dd>{c.vacancyTitle}</dd>
          </>
        )}
        <dt>{t('candidates.citizen.message')}</dt>
        <dd>{c.message}</dd>
        <dt>{t('candidates.company.sent')}</dt>
        <dd>{when(ctx, c.createdAt)}</dd>
        <dt>{t('candidates.company.status')}</dt>
        <dd>{t(`candidates.contactStatus.${c.status}`)}</dd>
      </dl>
      {c.status === 'pending' && <p>{t('candidates.company.pendingHint')}</p>}
      {again && <p>{t('candidates.company.declinedHint', { date: day(ctx, again) })}</p>}
    </section>
  );
}

function PersonCard({ ctx, p, contactId }: { ctx: RequestContext; p: RevealedPerson; contactId: string }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="person-heading" class="mb-4">
      <h2 id="person-heading" class="h4">
        {t('candidates.person.title')}
      </h2>
      <dl class="sl-dl">
        <dt>{t('candidates.person.name')}</dt>
        <dd>{`${p.givenName} ${p.familyName}`}</dd>
        <dt>{t('candidates.person.email')}</dt>
        <dd>{p.email ? <a href={`mailto:${p.email}`}>{p.email}</a> : '—'}</dd>
        <dt>{t('candidates.person.phone')}</dt>
        <dd>{p.phone ?? '—'}</dd>
      </dl>
      <h3 class="h5">{t('candidates.person.cv')}</h3>
      {p.cv === null ? (
        <p>{t('candidates.person.noCv')}</p>
      ) : (
        <>
          <p>
            <a href={`/azienda/candidati/contatti/${contactId}/cv.pdf`}>{t('candidates.person.cvPdf')}</a>
          </p>
          <CvSections ctx={ctx} cv={p.cv} />
        </>
      )}
    </section>
  );
}

/** The CV in the same wording as its PDF (cv context's formatter); a malformed document shows nothing. */
function cvSections(ctx: RequestContext, cv: unknown): PdfSection[] {
  const checked = validateCv(cv);
  if (!checked.ok) return [];
  try {
    return pdfSections(ctx.t, ctx.lang, checked.cv);
  } catch {
    return [];
  }
}

function CvSections({ ctx, cv }: { ctx: RequestContext; cv: unknown }) {
  const sections = cvSections(ctx, cv);
  if (sections.length === 0) return <p>{ctx.t('candidates.person.noCv')}</p>;
  return (
    <>
      {sections.map((s) => (
        <section>
          <h4 class="h6">{s.heading}</h4>
          {(s.paragraphs ?? []).map((para) => (
            <p>{para}</p>
          ))}
          {(s.entries ?? []).length > 0 && (
            <ul>
              {(s.entries ?? []).map((e) => (
                <li>
                  <strong>{e.heading}</strong>
                  {e.lines.filter(Boolean).map((l) => (
                    <span class="d-block">{l}</span>
                  ))}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}

function Thread({
  ctx,
  messages,
  mine,
  otherName,
  action,
  values,
  errors,
}: {
  ctx: RequestContext;
  messages: Message[];
  mine: 'citizen' | 'company';
  otherName: string;
  action: string;
  values: FormValues;
  errors: FieldErrors;
}) {
  const { t } = ctx;
  return (
    <section aria-labelledby="messaggi" class="mb-4">
      <h2 id="messaggi" class="h4">
        {t('candidates.thread.messages')}
      </h2>
      {messages.length === 0 ? (
        <p>{t('candidates.thread.empty')}</p>
      ) : (
        <ol class="list-unstyled">
          {messages.map((m) => (
            <li class="card mb-2">
              <div class="card-body">
                <p class="small text-muted mb-1">
                  {`${m.side === mine ? t('candidates.thread.you') : otherName} — ${when(ctx, m.createdAt)}`}
                </p>
                <p class="mb-0">{m.body}</p>
              </div>
            </li>
          ))}
        </ol>
      )}
      <form method="post" action={action} novalidate>
        <CsrfField ctx={ctx} />
        <TextArea
          name="testo"
          label={t('candidates.thread.write')}
          hint={t('candidates.thread.writeHint')}
          values={values}
          errors={errors}
          rows={4}
          maxLength={4000}
          required
        />
        <button type="submit" class="btn btn-primary">
          {t('candidates.thread.send')}
        </button>
      </form>
    </section>
  );
}
