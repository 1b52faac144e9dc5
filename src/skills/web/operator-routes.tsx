import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorOf } from '../../platform/audit/audit.ts';
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
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { parseLevel } from '../domain/levels.ts';
import {
  checklist,
  evidenceFileForOperator,
  loadAssessment,
  personForOperator,
  validateAssessment,
} from '../use-cases/assessment.ts';
import type { SkillsDeps } from '../wiring.ts';
import {
  fmtDate,
  langOf,
  levelOptions,
  levelText,
  sendEvidence,
  sizeKb,
  UUID,
  validDate,
} from './shared.tsx';

type Req = FastifyRequest;
type Reply = FastifyReply;

const sessionSchema = z.object({
  sessionDate: z
    .string()
    .trim()
    .refine(validDate, 'skills.errors.date')
    .refine((s) => s <= new Date().toISOString().slice(0, 10), 'skills.errors.futureDate'),
  sessionMode: z.enum(['in_person', 'remote'], { message: 'errors.choose' }),
  notes: z.string().trim().max(4000, 'errors.tooLong').regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
});

export function operatorRoutes(routes: RouteCatalogue, deps: SkillsDeps): void {
  const ops = ['cpi_operator', 'apl_operator'] as const;

  const review = async (
    req: Req,
    reply: Reply,
    id: string,
    values: FormValues | null,
    errors: FieldErrors,
    status = 200,
  ) => {
    const ctx: RequestContext = req.ctx;
    const { t } = ctx;
    const op = ctx.user!;
    const person = await personForOperator(deps.db, op, id);
    if (!person) return reply.callNotFound();
    const lang = langOf(ctx);
    const view = await loadAssessment(deps.db, op.regionCode, id, lang);
    await deps.audit.recordReads(actorOf(op), 'skill_assessment', 'skills_assessment', [
      { subjectId: id, objectId: view?.assessment.id ?? null },
    ]);
    const name = `${person.given_name} ${person.family_name}`;
    const sections = view ? await checklist(deps.db, op.regionCode, view.assessment.id, lang) : [];
    const a = view?.assessment;
    const validated = a?.status === 'validated';
    const shown: FormValues = values ?? {
      sessionDate: new Date().toISOString().slice(0, 10),
      sessionMode: 'in_person',
      notes: '',
    };
    if (!values && view)
      for (const s of sections.flatMap((x) => x.skills)) {
        const l = view.levels.get(s.uri);
        shown[s.field] = String(l?.validated_level ?? l?.self_level ?? 0);
      }
    const ok = (req.query as Record<string, unknown>).ok === 'validated';
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('skills.op.title', { name })} wide>
        <h1>{t('skills.op.title', { name })}</h1>
        {status === 200 && ok && <Notice kind="success">{t('skills.ok.validated')}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} />
        {!view || !a ? (
          <p>{t('skills.op.none')}</p>
        ) : (
          <>
            <p>{t(`skills.status.${a.status}`)}</p>
            <h2 class="h4">{t('skills.op.background')}</h2>
            <dl class="sl-dl">
              <dt>{t('skills.op.targets')}</dt>
              <dd>{view.targets.map((x) => x.label).join(', ') || t('skills.overview.noneYet')}</dd>
              <dt>{t('skills.op.jobs')}</dt>
              <dd>
                {view.jobs.length === 0
                  ? t('skills.jobs.none')
                  : view.jobs
                      .map((j) => t('skills.jobs.item', { title: j.title, count: j.years }))
                      .join('; ')}
              </dd>
              <dt>{t('skills.education.eqf')}</dt>
              <dd>
                {a.education_eqf
                  ? t(`skills.education.eqfLevels.l${a.education_eqf}`)
                  : t('skills.education.eqfNone')}
                {a.education_title ? ` — ${a.education_title}` : ''}
              </dd>
              <dt>{t('skills.education.informal')}</dt>
              <dd>{a.informal_experience ?? '—'}</dd>
            </dl>
            <h2 class="h4 mt-4">{t('skills.op.evidence')}</h2>
            {view.evidence.length === 0 ? (
              <p>{t('skills.evidence.none')}</p>
            ) : (
              <ul>
                {view.evidence.map((e) => (
                  <li>
                    <a href={`/operatore/persone/${id}/competenze/prove/${e.id}`}>
                      {t('skills.evidence.file', { name: e.filename, size: sizeKb(e.size) })}
                    </a>{' '}
                    — {e.skillLabel ?? t('skills.evidence.general')} — {t(`skills.scan.${e.scanStatus}`)}
                  </li>
                ))}
              </ul>
            )}
            {validated ? (
              <>
                <h2 class="h4 mt-4">{t('skills.op.validatedTitle')}</h2>
                <p>
                  {t('skills.op.session', {
                    date: a.session_date ? fmtDate(ctx, a.session_date) : '',
                    mode: t(`skills.op.modes.${a.session_mode ?? 'in_person'}`),
                  })}
                </p>
                {a.session_notes && <p>{a.session_notes}</p>}
                <div class="table-responsive">
                  <table class="table">
                    <caption>{t('skills.op.levelsCaption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('skills.op.skill')}</th>
                        <th scope="col">{t('skills.op.selfLevel')}</th>
                        <th scope="col">{t('skills.op.validatedLevel')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {sections
                        .flatMap((x) => x.skills)
                        .map((s) => (
                          <tr>
                            <th scope="row">{s.label}</th>
                            <td>{levelText(ctx, view.levels.get(s.uri)?.self_level)}</td>
                            <td>{levelText(ctx, view.levels.get(s.uri)?.validated_level)}</td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                </div>
              </>
            ) : sections.length === 0 ? (
              <p class="mt-4">{t('skills.op.noTarget')}</p>
            ) : (
              <form method="post" action={`/operatore/persone/${id}/competenze`} novalidate class="mt-4">
                <CsrfField ctx={ctx} />
                <h2 class="h4">{t('skills.op.validate')}</h2>
                <p>{t('skills.op.validateHint')}</p>
                {sections.map((section) => (
                  <section>
                    <h3 class="h5 mt-4">
                      {t('skills.checklist.for', { occupation: section.occupationLabel })}
                    </h3>
                    <div class="table-responsive">
                      <table class="table">
                        <caption>{t('skills.op.levelsCaption')}</caption>
                        <thead>
                          <tr>
                            <th scope="col">{t('skills.op.skill')}</th>
                            <th scope="col">{t('skills.op.relation')}</th>
                            <th scope="col">{t('skills.op.selfLevel')}</th>
                            <th scope="col">{t('skills.op.files')}</th>
                            <th scope="col">{t('skills.op.validatedLevel')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {section.skills.map((s) => {
                            const files = view.evidence.filter((e) => e.skillUri === s.uri);
                            return (
                              <tr>
                                <th scope="row">{s.label}</th>
                                <td>{t(`skills.op.relations.${s.relation}`)}</td>
                                <td>{levelText(ctx, view.levels.get(s.uri)?.self_level)}</td>
                                <td>
                                  {files.length === 0
                                    ? '—'
                                    : files.map((e) => (
                                        <a
                                          class="d-block"
                                          href={`/operatore/persone/${id}/competenze/prove/${e.id}`}
                                        >
                                          {e.filename}
                                        </a>
                                      ))}
                                </td>
                                <td>
                                  <label class="visually-hidden" for={s.field}>
                                    {t('skills.op.validatedFor', { skill: s.label })}
                                  </label>
                                  <select id={s.field} name={s.field}>
                                    {levelOptions(ctx).map((o) => (
                                      <option value={o.value} selected={o.value === shown[s.field]}>
                                        {o.label}
                                      </option>
                                    ))}
                                  </select>
                                </td>
                              </tr>
                            );
                          })}
                        </tbody>
                      </table>
                    </div>
                  </section>
                ))}
                <h3 class="h5 mt-4">{t('skills.op.sessionTitle')}</h3>
                <TextField
                  name="sessionDate"
                  type="date"
                  label={t('skills.op.sessionDate')}
                  values={shown}
                  errors={errors}
                />
                <RadioGroup
                  name="sessionMode"
                  label={t('skills.op.sessionMode')}
                  options={[
                    { value: 'in_person', label: t('skills.op.modes.in_person') },
                    { value: 'remote', label: t('skills.op.modes.remote') },
                  ]}
                  values={shown}
                  errors={errors}
                />
                <TextArea
                  name="notes"
                  label={t('skills.op.notes')}
                  values={shown}
                  errors={errors}
                  maxLength={4000}
                />
                <button type="submit" class="btn btn-primary">
                  {t('skills.op.validateButton')}
                </button>
              </form>
            )}
          </>
        )}
      </Layout>,
      status,
    );
  };

  routes.get(
    '/operatore/persone/:id/competenze',
    [...ops],
    async (req, reply) => review(req, reply, (req.params as { id: string }).id, null, {}),
    true,
  );

  routes.post('/operatore/persone/:id/competenze', [...ops], async (req, reply) => {
    const { id } = req.params as { id: string };
    const op = req.ctx.user!;
    if (!UUID.test(id)) return reply.callNotFound();
    const form = parseForm(sessionSchema, req.body, req.ctx.t);
    if (!form.ok) return review(req, reply, id, form.values, form.errors, 400);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const r = await validateAssessment(deps, op, id, {
      levelOf: (field) => parseLevel(body[field]),
      sessionDate: form.data.sessionDate,
      sessionMode: form.data.sessionMode,
      notes: form.data.notes || null,
    });
    if (r === 'not_found') return reply.callNotFound();
    if (r === 'ok') return reply.redirect(`/operatore/persone/${id}/competenze?ok=validated`, 303);
    return reply.redirect(`/operatore/persone/${id}/competenze`, 303);
  });

  routes.get('/operatore/persone/:id/competenze/prove/:eid', [...ops], async (req, reply) => {
    const { id, eid } = req.params as { id: string; eid: string };
    return sendEvidence(reply, await evidenceFileForOperator(deps, req.ctx.user!, id, eid));
  });
}
