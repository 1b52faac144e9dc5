import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CsrfField,
  ErrorSummary,
  type FormValues,
  Notice,
  RadioGroup,
  SubmitButton,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { AREAS, itemText, type Level, MAX_ITEMS } from '../domain/digital-check.ts';
import {
  type Attempt,
  assistedSubject,
  currentQuestion,
  type DigitalCheckOutcome,
  findOpenAttempt,
  latestResult,
  type Question,
  recordAnswer,
  type Subject,
  selfSubject,
  startOrResume,
} from '../use-cases/digital-check.ts';

type Deps = { db: Db; audit: AuditLog };

/** Where the pages live and whose check it is: the person alone, or with a CPI operator. */
type Mode = { base: string; subject: Subject };
type Step = 'intro' | 'start' | 'result' | null;
type Resolve = (req: FastifyRequest, step: Step) => Promise<Mode | null>;

const CITIZEN_BASE = '/profilo/competenze-digitali';
const OPERATOR_BASE = '/operatore/persone/:id/competenze-digitali';

const AnswerForm = z.object({
  itemId: z.string({ error: 'errors.invalid' }).regex(/^[a-z0-9-]{1,40}$/, 'errors.invalid'),
  answer: z.string({ error: 'errors.choose' }).regex(/^[a-z]$/, 'errors.choose'),
});

/** Services that may suit the person, by overall level (keys of digital.services). */
const SERVICES: Record<Level, readonly string[]> = {
  0: ['assistedChannel', 'facilitation', 'basicCourse'],
  1: ['facilitation', 'basicCourse', 'assistedChannel'],
  2: ['remote', 'targetedCourse'],
  3: ['remote', 'advancedCourse'],
};

function fullName(s: Subject): string {
  return `${s.givenName} ${s.familyName}`;
}

function levelText(ctx: RequestContext, level: Level): string {
  return `${ctx.t('digital.result.levelOf', { level })} — ${ctx.t(`digital.levels.${level}`)}`;
}

function formatDate(ctx: RequestContext, date: Date): string {
  return dateTimeFormat(ctx.lang, { dateStyle: 'long', timeZone: 'Europe/Rome' }).format(date);
}

function AssistedNote({ ctx, mode }: { ctx: RequestContext; mode: Mode }) {
  if (!mode.subject.operator) return null;
  return (
    <div class="alert alert-info" role="note">
      {ctx.t('digital.operator.assistedNote')}
    </div>
  );
}

function IntroPage({
  ctx,
  mode,
  open,
  last,
}: {
  ctx: RequestContext;
  mode: Mode;
  open: Attempt | null;
  last: DigitalCheckOutcome | null;
}) {
  const { t } = ctx;
  const title = mode.subject.operator
    ? t('digital.operator.title', { name: fullName(mode.subject) })
    : t('digital.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <AssistedNote ctx={ctx} mode={mode} />
      <p class="lead">{t('digital.intro.lead')}</p>
      <p>{t('digital.intro.what')}</p>
      <ul>
        <li>{t('digital.intro.time')}</li>
        <li>{t('digital.intro.stop')}</li>
        <li>{t('digital.intro.noPenalty')}</li>
      </ul>
      <p>{t('digital.intro.howTo')}</p>
      {last && (
        <p>
          {t('digital.intro.lastResult', {
            date: formatDate(ctx, last.finishedAt),
            level: levelText(ctx, last.overall),
          })}{' '}
          <a href={`${mode.base}/risultato`}>{t('digital.intro.seeResult')}</a>
        </p>
      )}
      {open ? (
        <>
          <Notice kind="info">{t('digital.intro.inProgress', { count: open.state.answers.length })}</Notice>
          <a class="btn btn-primary" href={`${mode.base}/domanda`}>
            {t('digital.intro.resume')}
          </a>
        </>
      ) : (
        <form method="post" action={`${mode.base}/inizia`}>
          <CsrfField ctx={ctx} />
          <SubmitButton>{last ? t('digital.intro.restart') : t('digital.intro.start')}</SubmitButton>
        </form>
      )}
      {mode.subject.operator && (
        <>
          <p class="small text-muted mt-4">{t('digital.operator.auditNotice')}</p>
          <p>
            <a href={`/operatore/persone/${mode.subject.userId}`}>{t('digital.operator.backToPerson')}</a>
          </p>
        </>
      )}
    </Layout>
  );
}

function QuestionPage({
  ctx,
  mode,
  question,
  values = {},
  error,
  notice,
}: {
  ctx: RequestContext;
  mode: Mode;
  question: Question;
  values?: FormValues;
  error?: string;
  notice?: string;
}) {
  const { t } = ctx;
  const text = itemText(question.item, ctx.lang);
  const title = t('digital.question.title', { number: question.number });
  return (
    <Layout ctx={ctx} title={title}>
      <p class="text-muted mb-1">
        {t('digital.question.progress', { number: question.number, max: MAX_ITEMS })} ·{' '}
        {t('digital.question.area', { area: t(`digital.areas.${question.item.area}`) })}
      </p>
      <h1 class="h3">{title}</h1>
      <AssistedNote ctx={ctx} mode={mode} />
      {notice && <Notice kind="info">{notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={{ answer: error }} />
      <form method="post" action={`${mode.base}/domanda`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="itemId" value={question.item.id} />
        <div lang={text.lang === ctx.lang ? undefined : text.lang}>
          <RadioGroup
            name="answer"
            label={text.prompt}
            values={values}
            errors={{ answer: error }}
            options={text.options.map((o) => ({ value: o.id, label: o.label }))}
          />
        </div>
        <SubmitButton>{t('digital.question.submit')}</SubmitButton>
      </form>
      <p class="mt-4">
        <a href={mode.base}>{t('digital.question.stop')}</a>
      </p>
    </Layout>
  );
}

function ResultPage({
  ctx,
  mode,
  outcome,
}: {
  ctx: RequestContext;
  mode: Mode;
  outcome: DigitalCheckOutcome;
}) {
  const { t } = ctx;
  const title = mode.subject.operator
    ? t('digital.operator.resultTitle', { name: fullName(mode.subject) })
    : t('digital.result.title');
  const weak = AREAS.filter((a) => outcome.areas[a] < 2);
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <h2 class="h4">{t('digital.result.overall')}</h2>
      <p class="lead">
        <strong>{levelText(ctx, outcome.overall)}</strong>
      </p>
      <p class="small text-muted">
        {t('digital.result.when', { date: formatDate(ctx, outcome.finishedAt), count: outcome.answered })}
        {outcome.administeredBy && ` ${t('digital.result.assisted')}`}
      </p>
      <h2 class="h4 mt-4">{t('digital.result.byArea')}</h2>
      <table class="table">
        <caption class="visually-hidden">{t('digital.result.byArea')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('digital.result.area')}</th>
            <th scope="col">{t('digital.result.level')}</th>
          </tr>
        </thead>
        <tbody>
          {AREAS.map((a) => (
            <tr>
              <th scope="row">{t(`digital.areas.${a}`)}</th>
              <td>{levelText(ctx, outcome.areas[a])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 class="h4 mt-4">{t('digital.result.meaning')}</h2>
      <p>{t(`digital.meaning.${outcome.overall}`)}</p>
      <ul>
        {SERVICES[outcome.overall].map((s) => (
          <li>{t(`digital.services.${s}`)}</li>
        ))}
      </ul>
      {weak.length > 0 && (
        <>
          <h2 class="h5 mt-4">{t('digital.result.toImprove')}</h2>
          <ul>
            {weak.map((a) => (
              <li>{t(`digital.areas.${a}`)}</li>
            ))}
          </ul>
        </>
      )}
      <p class="mt-4">
        <a href={mode.base}>{t('digital.result.back')}</a>
      </p>
    </Layout>
  );
}

function handlers(deps: Deps, resolve: Resolve) {
  const notFound = (reply: FastifyReply) => reply.callNotFound();

  const intro = async (req: FastifyRequest, reply: FastifyReply) => {
    const mode = await resolve(req, 'intro');
    if (!mode) return notFound(reply);
    const [open, last] = await Promise.all([
      findOpenAttempt(deps, mode.subject),
      latestResult(deps, mode.subject),
    ]);
    return sendPage(reply, IntroPage({ ctx: req.ctx, mode, open, last }));
  };

  const start = async (req: FastifyRequest, reply: FastifyReply) => {
    const mode = await resolve(req, 'start');
    if (!mode) return notFound(reply);
    await startOrResume(deps, mode.subject);
    return reply.redirect(`${mode.base}/domanda`, 303);
  };

  /** Nothing to answer: to the result if there is one, otherwise to the introduction. */
  const away = async (mode: Mode, reply: FastifyReply) => {
    const last = await latestResult(deps, mode.subject);
    return reply.redirect(last ? `${mode.base}/risultato` : mode.base, 303);
  };

  const showQuestion = async (req: FastifyRequest, reply: FastifyReply) => {
    const mode = await resolve(req, null);
    if (!mode) return notFound(reply);
    const question = await currentQuestion(deps, mode.subject);
    if (!question) return away(mode, reply);
    const stato = (req.query as Record<string, unknown>).stato;
    const notice = stato === 'gia-registrata' ? req.ctx.t('digital.question.alreadyAnswered') : undefined;
    return sendPage(reply, QuestionPage({ ctx: req.ctx, mode, question, notice }));
  };

  const submitAnswer = async (req: FastifyRequest, reply: FastifyReply) => {
    const mode = await resolve(req, null);
    if (!mode) return notFound(reply);
    const { t } = req.ctx;
    const form = parseForm(AnswerForm, req.body, t);
    const refuse = async (message: string, values: FormValues = {}) => {
      const question = await currentQuestion(deps, mode.subject);
      if (!question) return away(mode, reply);
      return sendPage(reply, QuestionPage({ ctx: req.ctx, mode, question, values, error: message }), 400);
    };
    if (!form.ok) {
      return refuse(form.errors.itemId ? t('digital.question.forged') : t('errors.choose'));
    }
    const outcome = await recordAnswer(deps, mode.subject, {
      itemId: form.data.itemId,
      optionId: form.data.answer,
    });
    switch (outcome.kind) {
      case 'no_attempt':
        return away(mode, reply);
      case 'already_answered':
        return reply.redirect(`${mode.base}/domanda?stato=gia-registrata`, 303);
      case 'refused':
        return sendPage(
          reply,
          QuestionPage({
            ctx: req.ctx,
            mode,
            question: outcome.question,
            error: outcome.reason === 'unexpected_item' ? t('digital.question.forged') : t('errors.choose'),
          }),
          400,
        );
      case 'next':
        return reply.redirect(`${mode.base}/domanda`, 303);
      case 'finished':
        return reply.redirect(`${mode.base}/risultato`, 303);
    }
  };

  const showResult = async (req: FastifyRequest, reply: FastifyReply) => {
    const mode = await resolve(req, 'result');
    if (!mode) return notFound(reply);
    const outcome = await latestResult(deps, mode.subject);
    if (!outcome) return reply.redirect(mode.base, 303);
    return sendPage(reply, ResultPage({ ctx: req.ctx, mode, outcome }));
  };

  return { intro, start, showQuestion, submitAnswer, showResult };
}

/**
 * The digital-skills check: the citizen alone under /profilo/competenze-digitali, or a CPI operator
 * with the person under /operatore/persone/:id/competenze-digitali (the attempt records the
 * operator as administered_by). Plain forms, one question per page, Post/Redirect/Get: no JavaScript.
 */
export function registerDigitalCheckRoutes(routes: RouteCatalogue, deps: Deps): void {
  const self: Resolve = async (req) =>
    req.ctx.user ? { base: CITIZEN_BASE, subject: selfSubject(req.ctx.user) } : null;
  const assisted: Resolve = async (req, step) => {
    const { id } = req.params as { id: string };
    if (!req.ctx.user) return null;
    const subject = await assistedSubject(deps, req.ctx.user, id, step);
    return subject ? { base: `/operatore/persone/${subject.userId}/competenze-digitali`, subject } : null;
  };

  for (const [base, access, resolve] of [
    [CITIZEN_BASE, ['citizen'], self],
    [OPERATOR_BASE, ['cpi_operator'], assisted],
  ] as const) {
    const h = handlers(deps, resolve);
    routes.get(base, access, h.intro);
    routes.post(`${base}/inizia`, access, h.start);
    routes.get(`${base}/domanda`, access, h.showQuestion);
    routes.post(`${base}/domanda`, access, h.submitAnswer);
    routes.get(`${base}/risultato`, access, h.showResult);
  }
}
