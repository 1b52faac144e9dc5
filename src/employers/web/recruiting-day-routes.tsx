import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ATECO_SECTIONS } from '../../onboarding/domain/profile-steps.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
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
import type { EmployerDeps, WireOptions } from '../deps.ts';
import {
  addSlots,
  bookSlot,
  cancelBooking,
  cancelDay,
  companyVacancies,
  createDay,
  dayBookings,
  dayOf,
  daySlots,
  daysOfRegion,
  joinDay,
  joinedDayIds,
  markAttendance,
  municipalitiesOf,
  myBookings,
  publishDay,
  publishedDays,
  todayRome,
} from '../use-cases/recruiting-day.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

type Day = NonNullable<Awaited<ReturnType<typeof dayOf>>>;
type Bookings = Awaited<ReturnType<typeof dayBookings>>;

const isRealDate = (s: string) => DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

function fmtDay(ctx: RequestContext, d: Date) {
  return dateTimeFormat(ctx.lang, { dateStyle: 'full', timeZone: 'UTC' }).format(d);
}
function fmtTime(ctx: RequestContext, d: Date) {
  return dateTimeFormat(ctx.lang, {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Rome',
  }).format(d);
}
function queryOf(ctx: RequestContext) {
  return new URL(ctx.url, 'http://x').searchParams;
}

function DayFacts({ ctx, day }: { ctx: RequestContext; day: Day }) {
  const { t } = ctx;
  return (
    <dl class="sl-dl">
      <dt>{t('recruiting.sector')}</dt>
      <dd>{t(`profile.ateco.${day.sector}`)}</dd>
      <dt>{t('recruiting.date')}</dt>
      <dd>{fmtDay(ctx, day.day)}</dd>
      <dt>{t('recruiting.mode')}</dt>
      <dd>{t(`recruiting.modes.${day.mode}`)}</dd>
      {day.mode === 'in_person' && (
        <>
          <dt>{t('recruiting.venue')}</dt>
          <dd>{`${day.venue ?? ''}, ${day.municipality ?? ''}`}</dd>
        </>
      )}
      <dt>{t('recruiting.organiser')}</dt>
      <dd>{day.office}</dd>
      <dt>{t('recruiting.statusLabel')}</dt>
      <dd>{t(`recruiting.status.${day.status}`)}</dd>
      {day.description && (
        <>
          <dt>{t('recruiting.description')}</dt>
          <dd>{day.description}</dd>
        </>
      )}
    </dl>
  );
}

/** The person's own booking: cancel it while the interview is still ahead. */
function CancelBooking({
  ctx,
  booking,
}: {
  ctx: RequestContext;
  booking: { id: string; status: string; starts_at: Date; day_status: string; company: string };
}) {
  if (booking.status !== 'booked' || booking.day_status !== 'published' || booking.starts_at <= new Date())
    return null;
  return (
    <form method="post" action={`/recruiting-day/prenotazioni/${booking.id}/annulla`} class="mt-2">
      <CsrfField ctx={ctx} />
      <button
        type="submit"
        class="btn btn-outline-primary btn-sm"
        aria-label={ctx.t('recruiting.cancelBookingWith', { company: booking.company })}
      >
        {ctx.t('recruiting.cancelBooking')}
      </button>
    </form>
  );
}

/** Bookings with the attendance form (operator: every company; company: its own). */
function BookingsTable({
  ctx,
  rows,
  action,
}: {
  ctx: RequestContext;
  rows: Bookings;
  action: (id: string) => string;
}) {
  const { t } = ctx;
  if (rows.length === 0) return <p>{t('recruiting.noBookings')}</p>;
  const now = new Date();
  return (
    <div class="table-responsive">
      <table class="table">
        <caption class="visually-hidden">{t('recruiting.bookings')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('recruiting.time')}</th>
            <th scope="col">{t('recruiting.person')}</th>
            <th scope="col">{t('recruiting.company')}</th>
            <th scope="col">{t('recruiting.statusLabel')}</th>
            <th scope="col">{t('recruiting.attendance')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr>
              <th scope="row">{fmtTime(ctx, b.starts_at)}</th>
              <td>
                {`${b.given_name} ${b.family_name}`}
                {b.videoLink && (
                  <a class="d-block small" href={b.videoLink}>
                    {t('recruiting.videoLinkFor', { name: `${b.given_name} ${b.family_name}` })}
                  </a>
                )}
              </td>
              <td>{b.company}</td>
              <td>{t(`recruiting.bookingStatus.${b.status}`)}</td>
              <td>
                {b.starts_at <= now ? (
                  <form method="post" action={action(b.id)}>
                    <CsrfField ctx={ctx} />
                    <label class="visually-hidden" for={`att-${b.id}`}>
                      {t('recruiting.attendanceFor', { name: `${b.given_name} ${b.family_name}` })}
                    </label>
                    <select id={`att-${b.id}`} name="status">
                      {(['attended', 'no_show'] as const).map((s) => (
                        <option value={s} selected={b.status === s}>
                          {t(`recruiting.bookingStatus.${s}`)}
                        </option>
                      ))}
                    </select>{' '}
                    <button type="submit" class="btn btn-outline-primary btn-sm">
                      {t('recruiting.saveAttendance')}
                    </button>
                  </form>
                ) : (
                  t('recruiting.attendanceLater')
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export async function wireRecruitingDays(
  routes: RouteCatalogue,
  deps: EmployerDeps,
  _options: WireOptions,
): Promise<void> {
  const { db } = deps;

  // ── CPI operator ─────────────────────────────────────────────────────────────────────────────
  const operatorList = async (ctx: RequestContext, values: FormValues = {}, errors: FieldErrors = {}) => {
    const { t } = ctx;
    const user = ctx.user!;
    const [days, municipalities] = await Promise.all([
      daysOfRegion(db, user.regionCode),
      municipalitiesOf(db, user.regionCode),
    ]);
    const ok = queryOf(ctx).get('ok');
    return (
      <Layout ctx={ctx} title={t('recruiting.operatorTitle')} wide>
        <h1>{t('recruiting.operatorTitle')}</h1>
        {ok === 'cancelled' && <Notice kind="success">{t('recruiting.notices.cancelled')}</Notice>}
        <section aria-labelledby="events-heading" class="mb-5">
          <h2 id="events-heading" class="h4">
            {t('recruiting.events')}
          </h2>
          {days.length === 0 ? (
            <p>{t('recruiting.noEvents')}</p>
          ) : (
            <div class="table-responsive">
              <table class="table">
                <caption class="visually-hidden">{t('recruiting.events')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('recruiting.eventTitle')}</th>
                    <th scope="col">{t('recruiting.date')}</th>
                    <th scope="col">{t('recruiting.sector')}</th>
                    <th scope="col">{t('recruiting.mode')}</th>
                    <th scope="col">{t('recruiting.statusLabel')}</th>
                  </tr>
                </thead>
                <tbody>
                  {days.map((d) => (
                    <tr>
                      <th scope="row">
                        <a href={`/operatore/recruiting-day/${d.id}`}>{d.title}</a>
                      </th>
                      <td>{fmtDay(ctx, d.day)}</td>
                      <td>{t(`profile.ateco.${d.sector}`)}</td>
                      <td>{t(`recruiting.modes.${d.mode}`)}</td>
                      <td>{t(`recruiting.status.${d.status}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section aria-labelledby="create-heading">
          <h2 id="create-heading" class="h4">
            {t('recruiting.create')}
          </h2>
          <ErrorSummary ctx={ctx} errors={errors} />
          <form method="post" action="/operatore/recruiting-day" novalidate>
            <CsrfField ctx={ctx} />
            <TextField
              name="title"
              label={t('recruiting.eventTitle')}
              values={values}
              errors={errors}
              maxLength={150}
            />
            <SelectField
              name="sector"
              label={t('recruiting.sector')}
              values={values}
              errors={errors}
              options={[
                { value: '', label: t('recruiting.choose') },
                ...ATECO_SECTIONS.map((s) => ({ value: s, label: `${s} — ${t(`profile.ateco.${s}`)}` })),
              ]}
            />
            <TextField
              name="day"
              label={t('recruiting.date')}
              hint={t('recruiting.dateHint')}
              values={values}
              errors={errors}
              maxLength={10}
              inputmode="numeric"
            />
            <RadioGroup
              name="mode"
              label={t('recruiting.mode')}
              values={values}
              errors={errors}
              options={(['virtual', 'in_person'] as const).map((m) => ({
                value: m,
                label: t(`recruiting.modes.${m}`),
              }))}
            />
            <TextField
              name="venue"
              label={t('recruiting.venue')}
              hint={t('recruiting.venueHint')}
              values={values}
              errors={errors}
              maxLength={200}
            />
            <SelectField
              name="municipality"
              label={t('recruiting.municipality')}
              hint={t('recruiting.venueHint')}
              values={values}
              errors={errors}
              options={[
                { value: '', label: t('recruiting.choose') },
                ...municipalities.map((m) => ({ value: m.istat_code, label: m.name })),
              ]}
            />
            <TextArea
              name="description"
              label={t('recruiting.description')}
              values={values}
              errors={errors}
              maxLength={2000}
            />
            <button type="submit" class="btn btn-primary">
              {t('recruiting.createButton')}
            </button>
          </form>
        </section>
      </Layout>
    );
  };

  routes.get('/operatore/recruiting-day', ['cpi_operator'], async (req, reply) =>
    sendPage(reply, await operatorList(req.ctx, { mode: 'virtual' })),
  );

  routes.post('/operatore/recruiting-day', ['cpi_operator'], async (req, reply) => {
    const { t } = req.ctx;
    const form = parseForm(
      z.object({
        title: z
          .string()
          .trim()
          .min(3, 'recruiting.errors.title')
          .max(150, 'errors.tooLong')
          .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
        sector: z.enum(ATECO_SECTIONS, { message: 'errors.choose' }),
        day: z.string().trim().refine(isRealDate, 'recruiting.errors.date'),
        mode: z.enum(['virtual', 'in_person'], { message: 'errors.choose' }),
        venue: z
          .string()
          .trim()
          .max(200, 'errors.tooLong')
          .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters')
          .default(''),
        municipality: z.string().trim().max(6, 'errors.choose').default(''),
        description: z
          .string()
          .trim()
          .max(2000, 'errors.tooLong')
          .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters')
          .default(''),
      }),
      req.body,
      t,
    );
    if (!form.ok) return sendPage(reply, await operatorList(req.ctx, form.values, form.errors), 400);
    const d = form.data;
    const result = await createDay(
      deps,
      req.ctx.user!,
      {
        title: d.title,
        sector: d.sector,
        day: d.day,
        mode: d.mode,
        venue: d.venue || null,
        municipalityCode: d.municipality || null,
        description: d.description || null,
      },
      todayRome(),
    );
    if (!result.ok)
      return sendPage(
        reply,
        await operatorList(req.ctx, form.values, { [result.field]: t(`recruiting.errors.${result.error}`) }),
        400,
      );
    return reply.redirect(`/operatore/recruiting-day/${result.id}?ok=created`, 303);
  });

  const operatorDetail = async (ctx: RequestContext, reply: FastifyReply, id: string, error?: string) => {
    const { t } = ctx;
    const user = ctx.user!;
    const day = await dayOf(db, user.regionCode, id);
    if (!day) return reply.callNotFound();
    const [companies, bookings] = await Promise.all([
      daySlots(db, user.regionCode, day.id),
      dayBookings(deps, user, day.id),
    ]);
    const ok = queryOf(ctx).get('ok');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={day.title} wide>
        <h1>{day.title}</h1>
        {ok && ['created', 'published', 'attendance'].includes(ok) && (
          <Notice kind="success">{t(`recruiting.notices.${ok}`)}</Notice>
        )}
        {error && (
          <div class="alert alert-danger" role="alert">
            {error}
          </div>
        )}
        <DayFacts ctx={ctx} day={day} />
        <ul class="sl-inline-list">
          {day.status === 'draft' && (
            <li>
              <form method="post" action={`/operatore/recruiting-day/${day.id}/pubblica`}>
                <CsrfField ctx={ctx} />
                <button type="submit" class="btn btn-primary">
                  {t('recruiting.publish')}
                </button>
              </form>
            </li>
          )}
          {day.status !== 'cancelled' && (
            <li>
              <form method="post" action={`/operatore/recruiting-day/${day.id}/annulla`}>
                <CsrfField ctx={ctx} />
                <button type="submit" class="btn btn-outline-primary">
                  {t('recruiting.cancel')}
                </button>
              </form>
            </li>
          )}
        </ul>
        <section aria-labelledby="companies-heading" class="mb-5">
          <h2 id="companies-heading" class="h4">
            {t('recruiting.companies')}
          </h2>
          {companies.length === 0 ? (
            <p>{t('recruiting.noCompanies')}</p>
          ) : (
            <ul>
              {companies.map((c) => (
                <li>
                  {t('recruiting.companySlots', {
                    name: c.name,
                    total: c.slots.length,
                    free: c.slots.filter((s) => s.free).length,
                  })}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="bookings-heading">
          <h2 id="bookings-heading" class="h4">
            {t('recruiting.bookings')}
          </h2>
          <BookingsTable
            ctx={ctx}
            rows={bookings}
            action={(b) => `/operatore/recruiting-day/prenotazioni/${b}/presenza`}
          />
        </section>
        <p class="mt-4">
          <a href="/operatore/recruiting-day">{t('recruiting.backToEvents')}</a>
        </p>
      </Layout>,
      error ? 400 : 200,
    );
  };

  routes.get('/operatore/recruiting-day/:id', ['cpi_operator'], async (req, reply) =>
    operatorDetail(req.ctx, reply, (req.params as { id: string }).id),
  );

  routes.post('/operatore/recruiting-day/:id/pubblica', ['cpi_operator'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const result = await publishDay(deps, req.ctx.user!, id);
    if (result === 'not_found') return reply.callNotFound();
    if (result === 'state') return operatorDetail(req.ctx, reply, id, req.ctx.t('recruiting.errors.state'));
    return reply.redirect(`/operatore/recruiting-day/${id}?ok=published`, 303);
  });

  routes.post('/operatore/recruiting-day/:id/annulla', ['cpi_operator'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const result = await cancelDay(deps, req.ctx.user!, id);
    if (result === 'not_found') return reply.callNotFound();
    if (result === 'state') return operatorDetail(req.ctx, reply, id, req.ctx.t('recruiting.errors.state'));
    return reply.redirect('/operatore/recruiting-day?ok=cancelled', 303);
  });

  const attendance =
    (back: (dayId: string) => string) =>
    async (req: { ctx: RequestContext; params: unknown; body: unknown }, reply: FastifyReply) => {
      const { bid } = req.params as { bid: string };
      const status = (req.body as Record<string, unknown> | undefined)?.status;
      if (status !== 'attended' && status !== 'no_show') return reply.callNotFound();
      const result = await markAttendance(deps, req.ctx.user!, bid, status);
      if (!result.ok && result.error === 'not_found') return reply.callNotFound();
      if (!result.ok) {
        const page = (
          <Layout ctx={req.ctx} title={req.ctx.t('recruiting.attendance')}>
            <h1>{req.ctx.t('recruiting.attendance')}</h1>
            <div class="alert alert-danger" role="alert">
              {req.ctx.t('recruiting.errors.future')}
            </div>
          </Layout>
        );
        return sendPage(reply, page, 400);
      }
      return reply.redirect(`${back(result.dayId)}?ok=attendance`, 303);
    };

  routes.post(
    '/operatore/recruiting-day/prenotazioni/:bid/presenza',
    ['cpi_operator'],
    attendance((d) => `/operatore/recruiting-day/${d}`),
  );

  // ── Public pages and the person's bookings ───────────────────────────────────────────────────
  routes.get(
    '/recruiting-day',
    'public',
    async (req, reply) => {
      const { t } = req.ctx;
      const user = req.ctx.user;
      const regionCode = user?.regionCode ?? deps.defaultRegion;
      const [days, mine] = await Promise.all([
        publishedDays(db, regionCode, todayRome()),
        user?.role === 'citizen' ? myBookings(deps, user) : Promise.resolve(null),
      ]);
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('recruiting.publicTitle')}>
          <h1>{t('recruiting.publicTitle')}</h1>
          {queryOf(req.ctx).get('ok') === 'bookingCancelled' && (
            <Notice kind="success">{t('recruiting.notices.bookingCancelled')}</Notice>
          )}
          <p>{t('recruiting.publicIntro')}</p>
          {mine && (
            <section aria-labelledby="mine-heading" class="mb-5">
              <h2 id="mine-heading" class="h4">
                {t('recruiting.myBookings')}
              </h2>
              {mine.length === 0 ? (
                <p>{t('recruiting.noMyBookings')}</p>
              ) : (
                <ul class="list-group">
                  {mine.map((b) => (
                    <li class="list-group-item">
                      <a href={`/recruiting-day/${b.day_id}`}>{b.title}</a>
                      {` — ${b.company}, ${fmtDay(req.ctx, b.starts_at)} ${fmtTime(req.ctx, b.starts_at)}`}
                      <span class="d-block small">
                        {b.day_status === 'cancelled'
                          ? t('recruiting.status.cancelled')
                          : t(`recruiting.bookingStatus.${b.status}`)}
                      </span>
                      {b.videoLink && b.day_status !== 'cancelled' && (
                        <a class="d-block small" href={b.videoLink}>
                          {t('recruiting.videoLink')}
                        </a>
                      )}
                      <CancelBooking ctx={req.ctx} booking={b} />
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
          <section aria-labelledby="events-heading">
            <h2 id="events-heading" class="h4">
              {t('recruiting.upcoming')}
            </h2>
            {days.length === 0 ? (
              <p>{t('recruiting.noUpcoming')}</p>
            ) : (
              <ul class="list-group">
                {days.map((d) => (
                  <li class="list-group-item">
                    <a href={`/recruiting-day/${d.id}`}>{d.title}</a>
                    <span class="d-block small">
                      {`${fmtDay(req.ctx, d.day)} · ${t(`profile.ateco.${d.sector}`)} · ${
                        d.mode === 'virtual'
                          ? t('recruiting.modes.virtual')
                          : `${d.venue}, ${d.municipality ?? ''}`
                      }`}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </Layout>,
      );
    },
    true,
  );

  const publicDay = async (
    ctx: RequestContext,
    reply: FastifyReply,
    id: string,
    values: FormValues = {},
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const { t } = ctx;
    const user = ctx.user;
    const regionCode = user?.regionCode ?? deps.defaultRegion;
    const day = await dayOf(db, regionCode, id);
    if (!day || day.status === 'draft') return reply.callNotFound();
    const companies = await daySlots(db, regionCode, day.id);
    const isCitizen = user?.role === 'citizen';
    const mine = isCitizen ? (await myBookings(deps, user!)).filter((b) => b.day_id === day.id) : [];
    const now = new Date();
    const open = day.status === 'published';
    const ok = queryOf(ctx).get('ok');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={day.title}>
        <h1>{day.title}</h1>
        {ok === 'booked' && <Notice kind="success">{t('recruiting.notices.booked')}</Notice>}
        {day.status === 'cancelled' && <Notice kind="warning">{t('recruiting.cancelledNotice')}</Notice>}
        <ErrorSummary ctx={ctx} errors={errors} />
        <DayFacts ctx={ctx} day={day} />
        {mine.length > 0 && (
          <section aria-labelledby="mine-heading" class="mb-4">
            <h2 id="mine-heading" class="h4">
              {t('recruiting.myBookings')}
            </h2>
            <ul>
              {mine.map((b) => (
                <li>
                  {`${b.company}: ${fmtTime(ctx, b.starts_at)} — ${t(`recruiting.bookingStatus.${b.status}`)}`}
                  {b.videoLink && open && (
                    <a class="d-block" href={b.videoLink}>
                      {t('recruiting.videoLink')}
                    </a>
                  )}
                  <CancelBooking ctx={ctx} booking={b} />
                </li>
              ))}
            </ul>
          </section>
        )}
        <section aria-labelledby="companies-heading">
          <h2 id="companies-heading" class="h4">
            {t('recruiting.companies')}
          </h2>
          {companies.length === 0 && <p>{t('recruiting.noCompanies')}</p>}
          {companies.map((c) => {
            const free = c.slots.filter((s) => s.free && s.startsAt > now);
            const booked = mine.some((b) => b.company === c.name && b.status !== 'cancelled');
            return (
              <article class="card mb-3">
                <div class="card-body">
                  <h3 class="h5">{c.name}</h3>
                  <p>{t('recruiting.freeSlots', { count: free.length })}</p>
                  {open && free.length > 0 && !booked && isCitizen && (
                    <form method="post" action={`/recruiting-day/${day.id}/prenota`} novalidate>
                      <CsrfField ctx={ctx} />
                      <input type="hidden" name="company" value={c.companyId} />
                      <RadioGroup
                        name={`slot-${c.companyId}`}
                        label={t('recruiting.chooseSlot', { company: c.name })}
                        values={values}
                        errors={errors}
                        options={free.map((s) => ({
                          value: s.id,
                          label: `${fmtTime(ctx, s.startsAt)}–${fmtTime(ctx, s.endsAt)}${s.vacancy ? ` · ${s.vacancy}` : ''}`,
                        }))}
                      />
                      <button type="submit" class="btn btn-primary">
                        {t('recruiting.book')}
                      </button>
                    </form>
                  )}
                  {open && free.length > 0 && !user && (
                    <p>
                      <a href={`/accedi?next=${encodeURIComponent(`/recruiting-day/${day.id}`)}`}>
                        {t('recruiting.signInToBook')}
                      </a>
                    </p>
                  )}
                </div>
              </article>
            );
          })}
        </section>
        <p class="mt-4">
          <a href="/recruiting-day">{t('recruiting.backToPublic')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get(
    '/recruiting-day/:id',
    'public',
    async (req, reply) => publicDay(req.ctx, reply, (req.params as { id: string }).id),
    true,
  );

  routes.post('/recruiting-day/:id/prenota', ['citizen'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const { t } = req.ctx;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const company = typeof body.company === 'string' ? body.company : '';
    const field = `slot-${company}`;
    const slot = typeof body[field] === 'string' ? (body[field] as string) : '';
    const values: FormValues = { [field]: slot };
    if (!slot)
      return publicDay(req.ctx, reply, id, values, { [field]: t('recruiting.errors.chooseSlot') }, 400);
    const result = await bookSlot(deps, req.ctx.user!, id, slot);
    if (result.ok) return reply.redirect(`/recruiting-day/${id}?ok=booked`, 303);
    if (result.error === 'not_found') return reply.callNotFound();
    return publicDay(req.ctx, reply, id, values, { [field]: t(`recruiting.errors.${result.error}`) }, 400);
  });

  routes.post('/recruiting-day/prenotazioni/:bid/annulla', ['citizen'], async (req, reply) => {
    const { bid } = req.params as { bid: string };
    const result = await cancelBooking(deps, req.ctx.user!, bid);
    if (result === 'not_found') return reply.callNotFound();
    if (result === 'past') {
      const { t } = req.ctx;
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={t('recruiting.publicTitle')}>
          <h1>{t('recruiting.publicTitle')}</h1>
          <div class="alert alert-danger" role="alert">
            {t('recruiting.errors.past')}
          </div>
          <p>
            <a href="/recruiting-day">{t('recruiting.backToPublic')}</a>
          </p>
        </Layout>,
        400,
      );
    }
    return reply.redirect('/recruiting-day?ok=bookingCancelled', 303);
  });

  // ── Employer: join, open slots, see bookings ────────────────────────────────────────────────
  routes.get('/azienda/recruiting-day', ['employer'], async (req, reply) => {
    const { t } = req.ctx;
    const user = req.ctx.user!;
    const [days, joined] = await Promise.all([
      publishedDays(db, user.regionCode, todayRome()),
      joinedDayIds(db, user),
    ]);
    const ok = queryOf(req.ctx).get('ok');
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('recruiting.employerTitle')}>
        <h1>{t('recruiting.employerTitle')}</h1>
        {ok === 'joined' && <Notice kind="success">{t('recruiting.notices.joined')}</Notice>}
        <p>{t('recruiting.employerIntro')}</p>
        {days.length === 0 ? (
          <p>{t('recruiting.noUpcoming')}</p>
        ) : (
          <ul class="list-group">
            {days.map((d) => (
              <li class="list-group-item">
                <strong>{d.title}</strong>
                <span class="d-block small">
                  {`${fmtDay(req.ctx, d.day)} · ${t(`profile.ateco.${d.sector}`)} · ${t(`recruiting.modes.${d.mode}`)}`}
                </span>
                {joined.has(d.id) ? (
                  <a href={`/azienda/recruiting-day/${d.id}`}>
                    {t('recruiting.manageSlots', { title: d.title })}
                  </a>
                ) : (
                  <form method="post" action={`/azienda/recruiting-day/${d.id}/partecipa`}>
                    <CsrfField ctx={req.ctx} />
                    <button
                      type="submit"
                      class="btn btn-outline-primary btn-sm"
                      aria-label={t('recruiting.joinNamed', { title: d.title })}
                    >
                      {t('recruiting.join')}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });

  routes.post('/azienda/recruiting-day/:id/partecipa', ['employer'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const result = await joinDay(deps, req.ctx.user!, id, todayRome());
    if (result === 'not_found') return reply.callNotFound();
    if (result === 'state') {
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={req.ctx.t('recruiting.employerTitle')}>
          <h1>{req.ctx.t('recruiting.employerTitle')}</h1>
          <div class="alert alert-danger" role="alert">
            {req.ctx.t('recruiting.errors.state')}
          </div>
          <p>
            <a href="/azienda/recruiting-day">{req.ctx.t('recruiting.backToEvents')}</a>
          </p>
        </Layout>,
        400,
      );
    }
    return reply.redirect(`/azienda/recruiting-day/${id}?ok=joined`, 303);
  });

  const employerDay = async (
    ctx: RequestContext,
    reply: FastifyReply,
    id: string,
    values: FormValues = { from: '09:00', to: '12:00', length: '20' },
    errors: FieldErrors = {},
    status = 200,
  ) => {
    const { t } = ctx;
    const user = ctx.user!;
    const day = await dayOf(db, user.regionCode, id);
    const joined = await joinedDayIds(db, user);
    if (!day || !joined.has(day.id)) return reply.callNotFound();
    const [companies, bookings, vacancies] = await Promise.all([
      daySlots(db, user.regionCode, day.id),
      dayBookings(deps, user, day.id),
      companyVacancies(db, user),
    ]);
    const own = companies.find((c) => c.companyId === user.companyId);
    const ok = queryOf(ctx).get('ok');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={day.title} wide>
        <h1>{day.title}</h1>
        {ok === 'joined' && <Notice kind="success">{t('recruiting.notices.joined')}</Notice>}
        {ok === 'slots' && (
          <Notice kind="success">
            {t('recruiting.notices.slots', { count: Number(queryOf(ctx).get('n') ?? 0) })}
          </Notice>
        )}
        {ok === 'attendance' && <Notice kind="success">{t('recruiting.notices.attendance')}</Notice>}
        <DayFacts ctx={ctx} day={day} />
        <section aria-labelledby="slots-heading" class="mb-5">
          <h2 id="slots-heading" class="h4">
            {t('recruiting.yourSlots')}
          </h2>
          {!own || own.slots.length === 0 ? (
            <p>{t('recruiting.noSlots')}</p>
          ) : (
            <ul class="sl-inline-list">
              {own.slots.map((s) => (
                <li>{`${fmtTime(ctx, s.startsAt)}–${fmtTime(ctx, s.endsAt)} ${s.free ? t('recruiting.free') : t('recruiting.taken')}`}</li>
              ))}
            </ul>
          )}
          {day.status === 'published' && (
            <>
              <h3 class="h5 mt-4">{t('recruiting.addSlots')}</h3>
              <ErrorSummary ctx={ctx} errors={errors} />
              <form method="post" action={`/azienda/recruiting-day/${day.id}/orari`} novalidate>
                <CsrfField ctx={ctx} />
                <TextField
                  name="from"
                  label={t('recruiting.from')}
                  hint={t('recruiting.timeHint')}
                  values={values}
                  errors={errors}
                  maxLength={5}
                  inputmode="numeric"
                />
                <TextField
                  name="to"
                  label={t('recruiting.to')}
                  hint={t('recruiting.timeHint')}
                  values={values}
                  errors={errors}
                  maxLength={5}
                  inputmode="numeric"
                />
                <TextField
                  name="length"
                  label={t('recruiting.length')}
                  values={values}
                  errors={errors}
                  maxLength={3}
                  inputmode="numeric"
                />
                <SelectField
                  name="vacancy"
                  label={t('recruiting.vacancyOptional')}
                  values={values}
                  errors={errors}
                  options={[
                    { value: '', label: t('recruiting.noVacancy') },
                    ...vacancies.map((v) => ({ value: v.id, label: v.title })),
                  ]}
                />
                <button type="submit" class="btn btn-primary">
                  {t('recruiting.addSlotsButton')}
                </button>
              </form>
            </>
          )}
        </section>
        <section aria-labelledby="bookings-heading">
          <h2 id="bookings-heading" class="h4">
            {t('recruiting.bookings')}
          </h2>
          <BookingsTable
            ctx={ctx}
            rows={bookings}
            action={(b) => `/azienda/recruiting-day/prenotazioni/${b}/presenza`}
          />
        </section>
        <p class="mt-4">
          <a href="/azienda/recruiting-day">{t('recruiting.backToEvents')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  routes.get('/azienda/recruiting-day/:id', ['employer'], async (req, reply) =>
    employerDay(req.ctx, reply, (req.params as { id: string }).id),
  );

  routes.post('/azienda/recruiting-day/:id/orari', ['employer'], async (req, reply) => {
    const { id } = req.params as { id: string };
    const { t } = req.ctx;
    const form = parseForm(
      z.object({
        from: z.string().trim().regex(TIME, 'recruiting.errors.time'),
        to: z.string().trim().regex(TIME, 'recruiting.errors.time'),
        length: z.coerce
          .number({ message: 'recruiting.errors.length' })
          .int('recruiting.errors.length')
          .min(5, 'recruiting.errors.length')
          .max(240, 'recruiting.errors.length'),
        vacancy: z.string().trim().max(36, 'errors.choose').default(''),
      }),
      req.body,
      t,
    );
    if (!form.ok) return employerDay(req.ctx, reply, id, form.values, form.errors, 400);
    const result = await addSlots(deps, req.ctx.user!, id, {
      from: form.data.from,
      to: form.data.to,
      length: form.data.length,
      vacancyId: form.data.vacancy || null,
    });
    if (result.ok) return reply.redirect(`/azienda/recruiting-day/${id}?ok=slots&n=${result.count}`, 303);
    if (result.error === 'not_found') return reply.callNotFound();
    const field =
      result.error === 'vacancy'
        ? 'vacancy'
        : result.error === 'length'
          ? 'length'
          : result.error === 'order'
            ? 'to'
            : 'from';
    return employerDay(
      req.ctx,
      reply,
      id,
      form.values,
      { [field]: t(`recruiting.errors.${result.error}`) },
      400,
    );
  });

  routes.post(
    '/azienda/recruiting-day/prenotazioni/:bid/presenza',
    ['employer'],
    attendance((d) => `/azienda/recruiting-day/${d}`),
  );
}
