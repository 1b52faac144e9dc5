import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import { AssistedBanner, activeSession, onBehalfMarks, recordOnBehalf } from '../../assisted/contract.ts';
import { readPersonRecord } from '../../casework/use-cases/person-record.ts';
import { currentTier, personChannelPlan } from '../../onboarding/use-cases/profiling.ts';
import { type AuditLog, actorOf } from '../../platform/audit/audit.ts';
import type { AppointmentChannel } from '../../platform/db/schema.ts';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import type { Lang } from '../../platform/i18n/i18n.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  RadioGroup,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import { suggestedChannel } from '../domain/channel-suggestion.ts';
import {
  bookSlot,
  cancelAppointment,
  citizenAppointmentsOf,
  firstAvailable,
  joinWaitlist,
  leaveWaitlist,
  moveAppointment,
  waitingDays,
} from '../use-cases/booking.ts';
import { phaseOf, servicesOf } from '../use-cases/catalogue.ts';
import {
  type AgendaNotifyDeps,
  afterBooking,
  notifyAppointment,
  videoLink,
} from '../use-cases/notifications.ts';

/**
 * The citizen books one choice per page: service, channel, office (for in person), then a slot,
 * soonest first, paged on the server (no JavaScript needed).
 */
const PAGE_SIZE = 8;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const bodyField = (req: FastifyRequest, name: string): string | undefined => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
};
const CHANNELS: AppointmentChannel[] = ['in_person', 'phone', 'video'];

/**
 * Where the picker's steps lead. `move` is the appointment being moved: its service is fixed, the
 * slot form asks for a reason, and the current time is shown. `waitlist` offers full group
 * sessions' waiting lists (to the person themselves, who joins by choosing one).
 */
export type PickerPaths = {
  self: string;
  book: string;
  back: string;
  move?: { service: string; startsAt: Date };
  waitlist?: boolean;
  /** Whose channel plan suggests the channel: the person booked for. */
  personId: string;
  /** Shown under the title: an operator acting on the person's behalf (assisted mode). */
  banner?: ComponentChildren;
};

type Query = { servizio?: string; canale?: string; sede?: string; pagina?: string };

/** How an appointment's time is written: "giovedì 3 dicembre, 09:30". */
export function appointmentTime(lang: Lang) {
  return dateTimeFormat(lang, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Rome',
  });
}

export function registerBookingRoutes(
  routes: RouteCatalogue,
  deps: AgendaNotifyDeps & { audit: AuditLog },
): void {
  const { db } = deps;

  routes.get('/appuntamenti', ['citizen'], async (req, reply) => {
    const { t } = req.ctx;
    const user = req.ctx.user!;
    const { appointments: list, waiting } = await citizenAppointmentsOf(db, user.regionCode, user.id);
    // Appointments an operator booked in assisted mode say so (who, and where to see the rest).
    const marks = await onBehalfMarks(
      db,
      user.regionCode,
      user.id,
      list.map((a) => a.id),
    );
    const ok = (req.query as Record<string, unknown>).ok;
    const when = appointmentTime(req.ctx.lang);
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={t('agenda.mine.title')}>
        <h1>{t('agenda.mine.title')}</h1>
        {typeof ok === 'string' && /^[a-z]+$/.test(ok) && (
          <Notice kind="success">{t(`agenda.done.${ok}`)}</Notice>
        )}
        {(req.query as Record<string, unknown>).errore === 'reason' && (
          <Notice kind="warning">{t('agenda.errors.reasonNeeded')}</Notice>
        )}
        <p>
          <a class="btn btn-primary" href="/appuntamenti/nuovo">
            {t('agenda.mine.book')}
          </a>
        </p>
        {waiting.length > 0 && (
          <section aria-labelledby="waitlist-heading" class="mb-4">
            <h2 id="waitlist-heading" class="h4">
              {t('agenda.waitlist.mine')}
            </h2>
            <ul class="list-unstyled">
              {waiting.map((w) => (
                <li class="card mb-3 sl-waitlist">
                  <div class="card-body">
                    <h3 class="h5">{w.title ?? t(`agenda.services.${w.service_code}`)}</h3>
                    <p class="mb-1">{when.format(w.starts_at)}</p>
                    <p class="mb-2">{t('agenda.waitlist.place', { n: Number(w.place ?? 1) })}</p>
                    <form method="post" action={`/appuntamenti/attesa/${w.id}/lascia`}>
                      <CsrfField ctx={req.ctx} />
                      <button type="submit" class="btn btn-outline-primary btn-sm">
                        {t('agenda.waitlist.leave')}
                      </button>
                    </form>
                  </div>
                </li>
              ))}
            </ul>
          </section>
        )}
        {list.length === 0 ? (
          <p>{t('agenda.mine.none')}</p>
        ) : (
          <ul class="list-unstyled">
            {list.map((a) => (
              <li class="card mb-3">
                <div class="card-body">
                  <h2 class="h5">{t(`agenda.services.${a.service_code}`)}</h2>
                  <p class="mb-1">{when.format(a.starts_at)}</p>
                  <p class="mb-1">
                    {a.channel === 'in_person'
                      ? `${a.office} — ${a.address}`
                      : t(`agenda.channels.${a.channel}`)}
                  </p>
                  {a.channel === 'video' && a.status === 'booked' && (
                    <p class="mb-1">
                      <a href={videoLink(deps.config, a.id)}>{t('agenda.videoLink')}</a>
                    </p>
                  )}
                  <p class="mb-2">{t(`agenda.status.${a.status}`)}</p>
                  {marks.has(a.id) && (
                    <p class="mb-2">
                      <a href="/i-miei-dati/per-tuo-conto">{t('assisted.mark', { who: marks.get(a.id) })}</a>
                    </p>
                  )}
                  {a.status === 'booked' && a.starts_at > new Date() && (
                    <p class="mb-2">
                      <a href={`/appuntamenti/${a.id}/sposta`}>{t('agenda.move.link')}</a>
                    </p>
                  )}
                  {a.status === 'booked' && a.starts_at > new Date() && (
                    <form method="post" action={`/appuntamenti/${a.id}/annulla`} novalidate>
                      <CsrfField ctx={req.ctx} />
                      <TextField
                        id={`reason-${a.id}`}
                        name="reason"
                        label={t('agenda.cancelReason')}
                        values={{}}
                        errors={{}}
                        maxLength={300}
                      />
                      <button type="submit" class="btn btn-outline-primary btn-sm">
                        {t('agenda.cancel')}
                      </button>
                    </form>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });

  routes.get('/appuntamenti/nuovo', ['citizen'], (req, reply) =>
    renderPicker(req, reply, {
      self: '/appuntamenti/nuovo',
      book: '/appuntamenti/prenota',
      back: '/appuntamenti',
      waitlist: true,
      personId: req.ctx.user!.id,
    }),
  );

  /** The channel the person's plan suggests for this service, if they have a plan. */
  const planSuggestion = async (
    regionCode: string,
    userId: string,
    serviceCode: string,
    offered: AppointmentChannel[],
  ) => {
    const phase = phaseOf(serviceCode);
    if (!phase) return null;
    const person = { regionCode, userId };
    const tier = await currentTier(deps, person);
    if (!tier) return null;
    const plan = await personChannelPlan(deps, person, tier.tier as 1 | 2 | 3);
    return suggestedChannel(plan[phase].channel, offered);
  };

  const renderPicker = async (
    req: FastifyRequest,
    reply: FastifyReply,
    paths: PickerPaths,
    q: Query = req.query as Query,
    posted: { values: FormValues; errors: FieldErrors } = { values: {}, errors: {} },
  ) => {
    const { t } = req.ctx;
    const user = req.ctx.user!;
    const services = await servicesOf(db, user.regionCode);
    const service = services.find((s) => s.code === (paths.move?.service ?? q.servizio));
    const status = Object.keys(posted.errors).length > 0 ? 400 : 200;
    const page = (title: string, body: ComponentChildren, errors: FieldErrors = posted.errors) =>
      sendPage(
        reply,
        <Layout ctx={req.ctx} title={title}>
          <p>
            <a href={paths.back}>{t('agenda.backToMine')}</a>
          </p>
          <h1>{title}</h1>
          <ErrorSummary ctx={req.ctx} errors={errors} />
          {paths.banner}
          {paths.move && (
            <p class="lead">
              {t('agenda.move.now', {
                service: t(`agenda.services.${paths.move.service}`),
                when: appointmentTime(req.ctx.lang).format(paths.move.startsAt),
              })}
            </p>
          )}
          {body}
        </Layout>,
        status,
      );
    if (!service) {
      return page(
        t('agenda.pick.service'),
        <form method="get" action={paths.self}>
          <RadioGroup
            name="servizio"
            label={t('agenda.pick.serviceLegend')}
            values={{ servizio: q.servizio }}
            errors={{}}
            options={services.map((s) => ({
              value: s.code,
              label: `${t(`agenda.services.${s.code}`)} (${s.duration_minutes} min)`,
            }))}
          />
          <button type="submit" class="btn btn-primary">
            {t('agenda.next')}
          </button>
        </form>,
      );
    }
    const channel = CHANNELS.find((c) => c === q.canale && service.channels.includes(c));
    if (!channel) {
      const suggestion = await planSuggestion(
        user.regionCode,
        paths.personId,
        service.code,
        service.channels,
      );
      return page(
        t('agenda.pick.channel'),
        <form method="get" action={paths.self}>
          <input type="hidden" name="servizio" value={service.code} />
          {suggestion && <p>{t('agenda.pick.suggested', { channel: t(`agenda.channels.${suggestion}`) })}</p>}
          <RadioGroup
            name="canale"
            label={t('agenda.pick.channelLegend')}
            values={{ canale: suggestion ?? undefined }}
            errors={{}}
            options={service.channels.map((c) => ({ value: c, label: t(`agenda.channels.${c}`) }))}
          />
          <button type="submit" class="btn btn-primary">
            {t('agenda.next')}
          </button>
        </form>,
      );
    }
    const offices = await db
      .selectFrom('offices')
      .select(['id', 'name', 'address'])
      .where('region_code', '=', user.regionCode)
      .orderBy('name')
      .execute();
    const office = offices.find((o) => o.id === q.sede);
    if (channel === 'in_person' && !office) {
      return page(
        t('agenda.pick.office'),
        <form method="get" action={paths.self}>
          <input type="hidden" name="servizio" value={service.code} />
          <input type="hidden" name="canale" value={channel} />
          <RadioGroup
            name="sede"
            label={t('agenda.pick.officeLegend')}
            values={{ sede: q.sede }}
            errors={{}}
            options={offices.map((o) => ({ value: o.id, label: `${o.name} — ${o.address}` }))}
          />
          <button type="submit" class="btn btn-primary">
            {t('agenda.next')}
          </button>
        </form>,
      );
    }
    const pageNo = Math.min(50, Math.max(0, Number.parseInt(q.pagina ?? '0', 10) || 0));
    const now = new Date();
    const slots = await firstAvailable(db, {
      regionCode: user.regionCode,
      serviceCode: service.code,
      channel,
      officeId: office?.id ?? null,
      from: now,
      limit: PAGE_SIZE + 1,
      offset: pageNo * PAGE_SIZE,
    });
    const shown = slots.slice(0, PAGE_SIZE);
    const full =
      paths.waitlist && service.group_session && pageNo === 0
        ? await firstAvailable(db, {
            regionCode: user.regionCode,
            serviceCode: service.code,
            channel,
            officeId: office?.id ?? null,
            from: now,
            limit: PAGE_SIZE,
            full: true,
          })
        : [];
    const when = appointmentTime(req.ctx.lang);
    const base = `${paths.self}?servizio=${service.code}&canale=${channel}${office ? `&sede=${office.id}` : ''}`;
    return page(
      t('agenda.pick.slot'),
      <>
        <p>
          {t('agenda.pick.slotIntro', {
            service: t(`agenda.services.${service.code}`),
            channel: t(`agenda.channels.${channel}`),
          })}
        </p>
        {pageNo === 0 && shown[0] && (
          <p class="lead">{t('agenda.waiting', { count: waitingDays(now, shown[0].starts_at) })}</p>
        )}
        {shown.length === 0 ? (
          <p>{t('agenda.noSlots')}</p>
        ) : (
          <form method="post" action={paths.book} novalidate>
            <CsrfField ctx={req.ctx} />
            <input type="hidden" name="servizio" value={service.code} />
            <input type="hidden" name="canale" value={channel} />
            {office && <input type="hidden" name="sede" value={office.id} />}
            <RadioGroup
              name="slot"
              label={t('agenda.pick.slotLegend')}
              values={posted.values}
              errors={posted.errors}
              options={shown.map((s) => ({
                value: s.id,
                label: `${s.title ? `${s.title}: ` : ''}${when.format(s.starts_at)}${s.capacity > 1 ? ` — ${t('agenda.seatsLeft', { n: s.capacity - Number(s.taken ?? 0) })}` : ''}`,
              }))}
            />
            {paths.move && (
              <TextField
                name="reason"
                label={t('agenda.move.reason')}
                values={posted.values}
                errors={posted.errors}
                maxLength={300}
              />
            )}
            <button type="submit" class="btn btn-primary">
              {paths.move ? t('agenda.move.button') : t('agenda.confirmBooking')}
            </button>
          </form>
        )}
        {full.length > 0 && (
          <section aria-labelledby="full-heading" class="mt-4">
            <h2 id="full-heading" class="h4">
              {t('agenda.waitlist.fullTitle')}
            </h2>
            <p>{t('agenda.waitlist.explain')}</p>
            <ul class="list-unstyled">
              {full.map((s) => (
                <li class="mb-2">
                  <form method="post" action={paths.book}>
                    <CsrfField ctx={req.ctx} />
                    <input type="hidden" name="servizio" value={service.code} />
                    <input type="hidden" name="canale" value={channel} />
                    <input type="hidden" name="slot" value={s.id} />
                    <span
                      id={`full-${s.id}`}
                    >{`${s.title ? `${s.title}: ` : ''}${when.format(s.starts_at)}`}</span>{' '}
                    <button
                      type="submit"
                      class="btn btn-outline-primary btn-sm"
                      aria-describedby={`full-${s.id}`}
                    >
                      {t('agenda.waitlist.join')}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          </section>
        )}
        <nav aria-label={t('agenda.pages')} class="mt-3">
          <ul class="sl-inline-list">
            {pageNo > 0 && (
              <li>
                <a href={`${base}&pagina=${pageNo - 1}`}>{t('agenda.earlier')}</a>
              </li>
            )}
            {slots.length > PAGE_SIZE && (
              <li>
                <a href={`${base}&pagina=${pageNo + 1}`}>{t('agenda.later')}</a>
              </li>
            )}
          </ul>
        </nav>
      </>,
    );
  };

  // An operator books for a person (by phone or at the desk): the same choices, recorded as theirs.
  const personFor = async (req: FastifyRequest) => {
    const { id } = req.params as { id: string };
    const operator = req.ctx.user!;
    return readPersonRecord(
      { db, audit: deps.audit, notifier: deps.notifier, defaultRegion: operator.regionCode },
      operator,
      id,
      'appointment',
    );
  };

  routes.get('/operatore/persone/:id/appuntamento', ['cpi_operator', 'apl_operator'], async (req, reply) => {
    const person = await personFor(req);
    if (!person) return reply.callNotFound();
    const self = `/operatore/persone/${person.id}/appuntamento`;
    // In assisted mode the operator sees, on every step, that they act on the person's behalf.
    const assisted = await activeSession(db, req.ctx.user!, person.id);
    return renderPicker(req, reply, {
      self,
      book: self,
      back: `/operatore/persone/${person.id}?purpose=appointment`,
      personId: person.id,
      banner: assisted && (
        <AssistedBanner
          ctx={req.ctx}
          personId={person.id}
          personName={`${person.given_name} ${person.family_name}`}
          session={assisted}
        />
      ),
    });
  });

  routes.post('/operatore/persone/:id/appuntamento', ['cpi_operator', 'apl_operator'], async (req, reply) => {
    const person = await personFor(req);
    if (!person) return reply.callNotFound();
    const operator = req.ctx.user!;
    const form = parseForm(
      z.object({
        slot: z.string().uuid('agenda.errors.pickSlot'),
        servizio: z.string().max(60),
        canale: z.enum(['in_person', 'phone', 'video']),
      }),
      req.body,
      req.ctx.t,
    );
    const self = `/operatore/persone/${person.id}/appuntamento`;
    if (!form.ok) return reply.redirect(self, 303);
    // With an active assisted session the booking is audited on the person's behalf and marked.
    let onBehalf = false;
    const result = await bookSlot(
      db,
      {
        regionCode: operator.regionCode,
        slotId: form.data.slot,
        citizenId: person.id,
        serviceCode: form.data.servizio,
        channel: form.data.canale,
        bookedBy: operator.id,
      },
      undefined,
      async (trx, id) => {
        await afterBooking(deps, operator.regionCode, id, 'booked', trx);
        onBehalf = await recordOnBehalf(deps, trx, operator, person.id, {
          action: 'appointment.booked',
          objectType: 'appointment',
          objectId: id,
          details: { service: form.data.servizio, channel: form.data.canale },
        });
      },
    );
    if (!result.ok) {
      return sendPage(
        reply,
        <Layout ctx={req.ctx} title={req.ctx.t('agenda.errors.title')}>
          <h1>{req.ctx.t('agenda.errors.title')}</h1>
          <p class="lead">{req.ctx.t(`agenda.errors.${result.reason}`)}</p>
          <p>
            <a href={self}>{req.ctx.t('agenda.pickAnother')}</a>
          </p>
        </Layout>,
        400,
      );
    }
    if (onBehalf) return reply.redirect(`/operatore/persone/${person.id}/assistenza?ok=booked`, 303);
    return reply.redirect(`/operatore/persone/${person.id}?purpose=appointment&ok=booked`, 303);
  });

  routes.post('/appuntamenti/prenota', ['citizen'], async (req, reply) => {
    const user = req.ctx.user!;
    const form = parseForm(
      z.object({
        slot: z.string().uuid('agenda.errors.pickSlot'),
        servizio: z.string().max(60),
        canale: z.enum(['in_person', 'phone', 'video']),
      }),
      req.body,
      req.ctx.t,
    );
    if (!form.ok)
      return renderPicker(
        req,
        reply,
        {
          self: '/appuntamenti/nuovo',
          book: '/appuntamenti/prenota',
          back: '/appuntamenti',
          waitlist: true,
          personId: user.id,
        },
        { servizio: form.values.servizio, canale: form.values.canale, sede: bodyField(req, 'sede') },
        form,
      );
    const result = await bookSlot(
      db,
      {
        regionCode: user.regionCode,
        slotId: form.data.slot,
        citizenId: user.id,
        serviceCode: form.data.servizio,
        channel: form.data.canale,
        bookedBy: user.id,
      },
      undefined,
      (trx, id) => afterBooking(deps, user.regionCode, id, 'booked', trx),
    );
    if (result.ok) return reply.redirect('/appuntamenti?ok=booked', 303);
    if (result.reason === 'full') {
      await joinWaitlist(db, {
        regionCode: user.regionCode,
        slotId: form.data.slot,
        citizenId: user.id,
        serviceCode: form.data.servizio,
        channel: form.data.canale,
      });
      return reply.redirect('/appuntamenti?ok=waitlisted', 303);
    }
    return sendPage(
      reply,
      <Layout ctx={req.ctx} title={req.ctx.t('agenda.errors.title')}>
        <h1>{req.ctx.t('agenda.errors.title')}</h1>
        <p class="lead">{req.ctx.t(`agenda.errors.${result.reason}`)}</p>
        <p>
          <a
            href={`/appuntamenti/nuovo?servizio=${encodeURIComponent(form.data.servizio)}&canale=${form.data.canale}`}
          >
            {req.ctx.t('agenda.pickAnother')}
          </a>
        </p>
      </Layout>,
      400,
    );
  });

  routes.post('/appuntamenti/:id/annulla', ['citizen'], async (req, reply) => {
    const user = req.ctx.user!;
    const { id } = req.params as { id: string };
    const form = parseForm(
      z.object({
        reason: z
          .string()
          .trim()
          .min(1, 'errors.required')
          .max(300, 'errors.tooLong')
          .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
      }),
      req.body,
      req.ctx.t,
    );
    if (!form.ok) return reply.redirect('/appuntamenti?errore=reason', 303);
    const result = await cancelAppointment(db, {
      regionCode: user.regionCode,
      appointmentId: id,
      actorId: user.id,
      reason: form.data.reason,
      citizenId: user.id,
    });
    if (!result.ok) return reply.callNotFound();
    await notifyAppointment(deps, user.regionCode, id, 'cancelled');
    if (result.promoted) await afterBooking(deps, user.regionCode, result.promoted);
    return reply.redirect('/appuntamenti?ok=cancelled', 303);
  });

  // Moving: the same appointment at another time, with a reason. The person, or an operator whose
  // agenda or office holds it.
  const MoveForm = z.object({
    slot: z.string().uuid('agenda.errors.pickSlot'),
    canale: z.enum(['in_person', 'phone', 'video']),
    reason: z
      .string()
      .trim()
      .min(1, 'agenda.errors.moveReason')
      .max(300, 'errors.tooLong')
      .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters'),
  });

  const movable = async (req: FastifyRequest) => {
    const { id } = req.params as { id: string };
    if (!UUID.test(id)) return null;
    const user = req.ctx.user!;
    const row = await db
      .selectFrom('appointments as a')
      .innerJoin('agenda_slots as s', (j) =>
        j.onRef('s.region_code', '=', 'a.region_code').onRef('s.id', '=', 'a.slot_id'),
      )
      .select(['a.id', 'a.citizen_id', 'a.service_code', 's.starts_at'])
      .where('a.region_code', '=', user.regionCode)
      .where('a.id', '=', id)
      .where('a.status', '=', 'booked')
      .where('s.starts_at', '>', new Date())
      .$if(user.role === 'citizen', (q) => q.where('a.citizen_id', '=', user.id))
      .$if(user.role !== 'citizen', (q) =>
        q.where((eb) =>
          eb.or([eb('s.operator_id', '=', user.id), eb('s.office_id', '=', user.officeId ?? user.id)]),
        ),
      )
      .executeTakeFirst();
    if (!row) return null;
    const base = user.role === 'citizen' ? '/appuntamenti' : '/operatore/agenda/appuntamenti';
    const paths: PickerPaths = {
      self: `${base}/${row.id}/sposta`,
      book: `${base}/${row.id}/sposta`,
      back: user.role === 'citizen' ? '/appuntamenti' : '/operatore/agenda',
      move: { service: row.service_code, startsAt: row.starts_at },
      personId: row.citizen_id,
    };
    return { ...row, paths };
  };

  const showMove = async (req: FastifyRequest, reply: FastifyReply) => {
    const appt = await movable(req);
    if (!appt) return reply.callNotFound();
    return renderPicker(req, reply, appt.paths);
  };

  const doMove = async (req: FastifyRequest, reply: FastifyReply) => {
    const appt = await movable(req);
    if (!appt) return reply.callNotFound();
    const user = req.ctx.user!;
    const form = parseForm(MoveForm, req.body, req.ctx.t);
    const q: Query = { canale: bodyField(req, 'canale'), sede: bodyField(req, 'sede') };
    if (!form.ok) return renderPicker(req, reply, appt.paths, q, form);
    const result = await moveAppointment(db, {
      regionCode: user.regionCode,
      appointmentId: appt.id,
      slotId: form.data.slot,
      channel: form.data.canale,
      actorId: user.id,
      reason: form.data.reason,
    });
    if (!result.ok) {
      return renderPicker(req, reply, appt.paths, q, {
        values: form.values,
        errors: { slot: req.ctx.t(`agenda.errors.${result.reason}`) },
      });
    }
    if (user.role !== 'citizen') {
      await deps.audit.record({
        regionCode: user.regionCode,
        action: 'appointment.move',
        outcome: 'ok',
        actor: actorOf(user),
        subjectId: appt.citizen_id,
        purpose: 'appointment',
        objectType: 'appointment',
        objectId: appt.id,
        details: { reason: form.data.reason },
      });
    }
    await afterBooking(deps, user.regionCode, appt.id, 'moved');
    if (result.promoted) await afterBooking(deps, user.regionCode, result.promoted);
    return reply.redirect(
      user.role === 'citizen' ? '/appuntamenti?ok=moved' : '/operatore/agenda?ok=moved',
      303,
    );
  };

  routes.get('/appuntamenti/:id/sposta', ['citizen'], showMove);
  routes.post('/appuntamenti/:id/sposta', ['citizen'], doMove);
  routes.get('/operatore/agenda/appuntamenti/:id/sposta', ['cpi_operator', 'apl_operator'], showMove);
  routes.post('/operatore/agenda/appuntamenti/:id/sposta', ['cpi_operator', 'apl_operator'], doMove);

  routes.post('/appuntamenti/attesa/:id/lascia', ['citizen'], async (req, reply) => {
    const user = req.ctx.user!;
    const { id } = req.params as { id: string };
    if (!(await leaveWaitlist(db, user.regionCode, user.id, id))) return reply.callNotFound();
    return reply.redirect('/appuntamenti?ok=leftWaitlist', 303);
  });
}
