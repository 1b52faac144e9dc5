import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { sendAttachment } from '../../platform/http/uploads.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
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
import { BENEFITS, DECISIONS, EVENT_KINDS, type Suggestion } from '../domain/rules.ts';
import type { ConditionalityDeps } from '../use-cases/events.ts';
import {
  addOperatorEvent,
  decideEvent,
  isUuid,
  justificationDocument,
  personLedger,
  type Review,
  reviewEvent,
  reviewQueue,
} from '../use-cases/ledger.ts';
import { dateFmt, EventFacts, eventTitle } from './shared.tsx';

const OPERATOR = ['cpi_operator'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const text = (max: number, required: string) =>
  z
    .string()
    .trim()
    .min(1, required)
    .max(max, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');

const DecisionSchema = z.object({
  decision: z.enum(DECISIONS, { message: 'errors.choose' }),
  reasons: text(4000, 'conditionality.errors.reasonsRequired'),
});

const romeToday = () => dateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());

const EventSchema = z.object({
  kind: z.enum(EVENT_KINDS, { message: 'errors.choose' }),
  benefit: z.enum(BENEFITS, { message: 'errors.choose' }),
  date: z
    .string()
    .trim()
    .regex(DATE, 'conditionality.errors.date')
    .refine(
      (d) =>
        !Number.isNaN(Date.parse(`${d}T12:00:00Z`)) && new Date(`${d}T12:00:00Z`).toISOString().startsWith(d),
      {
        message: 'conditionality.errors.date',
      },
    )
    .refine((d) => d <= romeToday(), { message: 'conditionality.errors.future' })
    .refine((d) => d >= `${Number(romeToday().slice(0, 4)) - 2}${romeToday().slice(4)}`, {
      message: 'conditionality.errors.tooOld',
    }),
  description: text(2000, 'conditionality.errors.descriptionRequired'),
});

function SuggestionBox({ ctx, review }: { ctx: RequestContext; review: Review }) {
  const { t } = ctx;
  const s: Suggestion | null = review.suggestion;
  return (
    <section aria-labelledby="suggestion-heading" class="callout mb-4">
      <h2 id="suggestion-heading" class="h5">
        {t('conditionality.op.suggestion')}
      </h2>
      {s ? (
        <>
          <p class="mb-1">
            <strong>{t(`conditionality.decisions.${s.decision}`)}</strong>
            {' — '}
            {t(`conditionality.effects.${s.effect}`)}
          </p>
          <p class="mb-1">
            {t('conditionality.op.occurrence', { step: s.step, earlier: s.earlier, months: s.periodMonths })}
          </p>
          <p class="mb-1">
            {t('conditionality.op.legalSource')}: {s.source}
          </p>
          {s.toVerify && <p class="mb-1 fw-bold">{t('conditionality.op.toVerify')}</p>}
          <p class="small mb-0">{t('conditionality.op.suggestionHint')}</p>
        </>
      ) : (
        <p class="mb-0">{t('conditionality.op.noSuggestion')}</p>
      )}
      {review.earlier.pending > 0 && (
        <p class="mt-2 mb-0">{t('conditionality.op.pendingEarlier', { count: review.earlier.pending })}</p>
      )}
    </section>
  );
}

export function registerOperatorRoutes(routes: RouteCatalogue, deps: ConditionalityDeps): void {
  routes.get('/operatore/condizionalita', OPERATOR, async (req, reply) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const rows = await reviewQueue(deps, ctx.user!);
    const toDecide = rows.filter((r) => r.status !== 'decided');
    const decided = rows.filter((r) => r.status === 'decided');
    const fmt = dateFmt(ctx);
    const Table = ({ list, caption }: { list: typeof rows; caption: string }) => (
      <div class="table-responsive">
        <table class="table table-sm">
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('conditionality.op.person')}</th>
              <th scope="col">{t('conditionality.op.event')}</th>
              <th scope="col">{t('conditionality.benefitLabel')}</th>
              <th scope="col">{t('conditionality.statusLabel')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr>
                <td>
                  <a href={`/operatore/condizionalita/${r.id}`}>{`${r.family_name} ${r.given_name}`}</a>
                </td>
                <td>{`${t(`conditionality.kinds.${r.kind}`)} — ${fmt.format(r.occurred_at)}`}</td>
                <td>{r.benefit ? t(`conditionality.benefits.${r.benefit}`) : '—'}</td>
                <td>
                  {r.decision
                    ? `${t(`conditionality.status.${r.status}`)}: ${t(`conditionality.decisions.${r.decision}`)}`
                    : t(`conditionality.status.${r.status}`)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('conditionality.op.title')} wide>
        <h1>{t('conditionality.op.title')}</h1>
        <p class="lead">{t('conditionality.op.intro')}</p>
        <section aria-labelledby="todo-heading" class="mb-5">
          <h2 id="todo-heading" class="h4">
            {t('conditionality.op.toDecide', { count: toDecide.length })}
          </h2>
          {toDecide.length === 0 ? (
            <p>{t('conditionality.op.nothingToDecide')}</p>
          ) : (
            <Table list={toDecide} caption={t('conditionality.op.toDecide', { count: toDecide.length })} />
          )}
        </section>
        <section aria-labelledby="decided-heading">
          <h2 id="decided-heading" class="h4">
            {t('conditionality.op.decided')}
          </h2>
          {decided.length === 0 ? (
            <p>{t('conditionality.op.noneDecided')}</p>
          ) : (
            <Table list={decided} caption={t('conditionality.op.decided')} />
          )}
        </section>
        <p class="small text-muted mt-4">{t('conditionality.op.auditNotice')}</p>
      </Layout>,
    );
  });

  const renderReview = async (
    req: FastifyRequest,
    reply: FastifyReply,
    form: { values: FormValues; errors: FieldErrors; warning?: string } = { values: {}, errors: {} },
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const { id } = req.params as { id: string };
    const review = await reviewEvent(deps, ctx.user!, id);
    if (!review) return reply.callNotFound();
    const { event, person } = review;
    const ok = (req.query as Record<string, unknown>).ok;
    const values = { ...form.values };
    if (!values.decision && review.suggestion) values.decision = review.suggestion.decision;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('conditionality.op.reviewTitle')} wide>
        <p>
          <a href="/operatore/condizionalita">{t('conditionality.op.back')}</a>
        </p>
        <h1>{t('conditionality.op.reviewTitle')}</h1>
        {ok === 'decided' && <Notice kind="success">{t('conditionality.op.decidedNotice')}</Notice>}
        {form.warning && <Notice kind="warning">{form.warning}</Notice>}
        <ErrorSummary ctx={ctx} errors={form.errors} />
        <p class="lead">
          {`${person.given_name} ${person.family_name}`}
          {person.fiscal_code && <span class="d-block small">{person.fiscal_code}</span>}
        </p>
        <h2 class="h4">{eventTitle(ctx, event)}</h2>
        <EventFacts ctx={ctx} event={event} forOperator />
        {review.obligations.length > 0 && (
          <>
            <h2 class="h5 mt-4">{t('conditionality.op.obligations')}</h2>
            <ul>
              {review.obligations.map((o) => (
                <li>{`${t(`conditionality.benefits.${o.benefit}`)}: ${o.obligations.join('; ')}`}</li>
              ))}
            </ul>
          </>
        )}
        {event.status !== 'decided' ? (
          <>
            <SuggestionBox ctx={ctx} review={review} />
            <form method="post" action={`/operatore/condizionalita/${event.id}/decisione`} novalidate>
              <CsrfField ctx={ctx} />
              <RadioGroup
                name="decision"
                label={t('conditionality.op.decision')}
                values={values}
                errors={form.errors}
                options={DECISIONS.map((d) => ({ value: d, label: t(`conditionality.decisions.${d}`) }))}
              />
              <TextArea
                name="reasons"
                label={t('conditionality.op.reasons')}
                hint={t('conditionality.op.reasonsHint')}
                values={values}
                errors={form.errors}
                maxLength={4000}
              />
              <button type="submit" class="btn btn-primary">
                {t('conditionality.op.decide')}
              </button>
            </form>
          </>
        ) : (
          <p class="mt-3">{t('conditionality.op.alreadyDecidedHint')}</p>
        )}
        <h2 class="h5 mt-5">{t('conditionality.op.history')}</h2>
        {review.history.length === 0 ? (
          <p>{t('conditionality.op.noHistory')}</p>
        ) : (
          <ul>
            {review.history.map((h) => (
              <li>
                <a href={`/operatore/condizionalita/${h.id}`}>{eventTitle(ctx, h)}</a>
                {` — ${t(`conditionality.status.${h.status}`)}${h.decision ? `: ${t(`conditionality.decisions.${h.decision}`)}` : ''}`}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href={`/operatore/persone/${person.id}/condizionalita`}>{t('conditionality.op.addForPerson')}</a>
        </p>
        <p class="small text-muted mt-4">{t('conditionality.op.auditNotice')}</p>
      </Layout>,
      status,
    );
  };

  routes.get('/operatore/condizionalita/:id', OPERATOR, async (req, reply) => renderReview(req, reply));

  routes.post('/operatore/condizionalita/:id/decisione', OPERATOR, async (req, reply) => {
    const { t } = req.ctx;
    const { id } = req.params as { id: string };
    if (!isUuid(id)) return reply.callNotFound();
    const parsed = parseForm(DecisionSchema, req.body, t);
    if (!parsed.ok) return renderReview(req, reply, { values: parsed.values, errors: parsed.errors }, 400);
    const result = await decideEvent(deps, req.ctx.user!, id, parsed.data);
    if (!result.ok && result.reason === 'not_found') return reply.callNotFound();
    if (!result.ok) {
      return renderReview(
        req,
        reply,
        { values: {}, errors: {}, warning: t('conditionality.errors.alreadyDecided') },
        409,
      );
    }
    return reply.redirect(`/operatore/condizionalita/${id}?ok=decided`, 303);
  });

  routes.get('/operatore/condizionalita/:id/giustificazioni/:jid', OPERATOR, async (req, reply) => {
    const { id, jid } = req.params as { id: string; jid: string };
    const doc = await justificationDocument(deps, req.ctx.user!, id, jid);
    return sendAttachment(reply, doc && { ...doc, contentType: 'application/pdf' });
  });

  const renderPerson = async (
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues = {},
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const ctx = req.ctx;
    const { t } = ctx;
    const { id } = req.params as { id: string };
    const ledger = await personLedger(deps, ctx.user!, id);
    if (!ledger) return reply.callNotFound();
    const { person, events, obligations } = ledger;
    const ok = (req.query as Record<string, unknown>).ok;
    const own = obligations.map((o) => o.benefit);
    const benefits = [...own, ...BENEFITS.filter((b) => !own.includes(b))];
    const initial: FormValues = { benefit: own[0] ?? '', date: romeToday(), ...values };
    return sendPage(
      reply,
      <Layout
        ctx={ctx}
        title={t('conditionality.op.personTitle', { name: `${person.given_name} ${person.family_name}` })}
      >
        <h1>{t('conditionality.op.personTitle', { name: `${person.given_name} ${person.family_name}` })}</h1>
        {ok === 'added' && <Notice kind="success">{t('conditionality.op.addedNotice')}</Notice>}
        <h2 class="h4">{t('conditionality.mine.events')}</h2>
        {events.length === 0 ? (
          <p>{t('conditionality.op.noHistory')}</p>
        ) : (
          <ul>
            {events.map((e) => (
              <li>
                <a href={`/operatore/condizionalita/${e.id}`}>{eventTitle(ctx, e)}</a>
                {` — ${t(`conditionality.status.${e.status}`)}`}
              </li>
            ))}
          </ul>
        )}
        <h2 class="h4 mt-5">{t('conditionality.op.addTitle')}</h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <form method="post" action={`/operatore/persone/${person.id}/condizionalita`} novalidate>
          <CsrfField ctx={ctx} />
          <SelectField
            name="kind"
            label={t('conditionality.op.kind')}
            values={initial}
            errors={errors}
            options={[
              { value: '', label: t('conditionality.op.chooseOne') },
              ...EVENT_KINDS.map((k) => ({ value: k, label: t(`conditionality.kinds.${k}`) })),
            ]}
          />
          <SelectField
            name="benefit"
            label={t('conditionality.benefitLabel')}
            values={initial}
            errors={errors}
            options={[
              { value: '', label: t('conditionality.op.chooseOne') },
              ...benefits.map((b) => ({ value: b, label: t(`conditionality.benefits.${b}`) })),
            ]}
          />
          <TextField
            name="date"
            type="date"
            label={t('conditionality.op.date')}
            hint={t('conditionality.op.dateHint')}
            values={initial}
            errors={errors}
            maxLength={10}
          />
          <TextArea
            name="description"
            label={t('conditionality.descriptionLabel')}
            hint={t('conditionality.op.descriptionHint')}
            values={initial}
            errors={errors}
            maxLength={2000}
          />
          <button type="submit" class="btn btn-primary">
            {t('conditionality.op.add')}
          </button>
        </form>
        <p class="small text-muted mt-4">{t('conditionality.op.auditNotice')}</p>
      </Layout>,
      status,
    );
  };

  routes.get('/operatore/persone/:id/condizionalita', OPERATOR, async (req, reply) =>
    renderPerson(req, reply),
  );

  routes.post('/operatore/persone/:id/condizionalita', OPERATOR, async (req, reply) => {
    const { t } = req.ctx;
    const { id } = req.params as { id: string };
    if (!isUuid(id)) return reply.callNotFound();
    const parsed = parseForm(EventSchema, req.body, t);
    if (!parsed.ok) return renderPerson(req, reply, parsed.values, parsed.errors, 400);
    const result = await addOperatorEvent(deps, req.ctx.user!, id, {
      kind: parsed.data.kind,
      benefit: parsed.data.benefit,
      occurredAt: new Date(`${parsed.data.date}T12:00:00Z`),
      description: parsed.data.description,
    });
    if (!result.ok) return reply.callNotFound();
    return reply.redirect(`/operatore/persone/${id}/condizionalita?ok=added`, 303);
  });
}
