import type { FastifyReply } from 'fastify';
import type { RequestContext } from '../../platform/http/context.ts';
import { formValues } from '../../platform/http/forms.ts';
import type { RouteCatalogue } from '../../platform/http/routes.ts';
import { dateTimeFormat, numberFormat } from '../../platform/i18n/format.ts';
import { LANGUAGES, type Lang, translator } from '../../platform/i18n/i18n.ts';
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  Notice,
  SelectField,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { sendPage } from '../../platform/ui/render.ts';
import {
  AGE_BANDS,
  BOOKED_WITHIN_DAYS,
  CHANNELS,
  DEFAULT_LINK,
  MAX_PER_MINUTE,
  MIN_CELL,
  parseCampaignForm,
  showCount,
  TEMPLATES,
  type TemplateId,
  TIERS,
  throttlePlan,
} from '../domain/segment.ts';
import {
  type Campaign,
  type CampaignDeps,
  campaignFor,
  campaignResults,
  countSegment,
  createCampaign,
  listCampaigns,
  perMinuteOf,
  regionProvinces,
  sendCampaign,
  setPerMinute,
} from '../use-cases/campaigns.ts';
import { AGE_KEY, notFound, segmentWords } from './shared.tsx';

const STAFF = ['regional_manager', 'cpi_operator'] as const;

const dateOf = (lang: string, at: Date) =>
  dateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(at);

function Count({ ctx, n }: { ctx: RequestContext; n: number }) {
  const shown = showCount(n);
  return (
    <>
      {shown.suppressed
        ? ctx.t('campaigns.page.fewer', { min: MIN_CELL })
        : numberFormat(ctx.lang).format(shown.value)}
    </>
  );
}

async function listPage(
  reply: FastifyReply,
  ctx: RequestContext,
  deps: CampaignDeps,
  form: { values: FormValues; errors: FieldErrors } | null,
  notice: string | null,
  status = 200,
) {
  const { t, lang } = ctx;
  const user = ctx.user!;
  const campaigns = await listCampaigns(deps.db, user);
  const isManager = user.role === 'regional_manager';
  const values = form?.values ?? { al_minuto: String(await perMinuteOf(deps.db, user.regionCode)) };
  const errors = form?.errors ?? {};
  const title = t('campaigns.title');
  return sendPage(
    reply,
    <Layout ctx={ctx} title={title} wide>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      {notice && <Notice kind="success">{notice}</Notice>}
      <p class="lead">{t('campaigns.lead')}</p>
      {!isManager && <p>{t('campaigns.leadOperator')}</p>}
      <p>
        <a class="btn btn-primary" href="/campagne/nuova">
          {t('campaigns.new')}
        </a>
      </p>
      <h2 class="h4 mt-4">{t('campaigns.listTitle')}</h2>
      {campaigns.length === 0 ? (
        <p>{t('campaigns.none')}</p>
      ) : (
        <div class="table-responsive">
          <table class="table">
            <caption class="visually-hidden">{t('campaigns.listTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('campaigns.col.name')}</th>
                <th scope="col">{t('campaigns.col.template')}</th>
                <th scope="col">{t('campaigns.col.channel')}</th>
                <th scope="col">{t('campaigns.col.status')}</th>
                <th scope="col">{t('campaigns.col.created')}</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={`/campagne/${c.id}`}>{c.name}</a>
                  </th>
                  <td>{t(`campaigns.templateNames.${c.template}`)}</td>
                  <td>{t(`campaigns.channels.${c.channel}`)}</td>
                  <td>{t(`campaigns.status.${c.status}`)}</td>
                  <td>{dateOf(lang, c.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isManager && (
        <section class="mt-5">
          <h2 class="h4">{t('campaigns.settings.title')}</h2>
          <form method="post" action="/campagne/impostazioni" novalidate>
            <CsrfField ctx={ctx} />
            <TextField
              name="al_minuto"
              label={t('campaigns.settings.perMinute')}
              hint={t('campaigns.settings.perMinuteHint')}
              values={values}
              errors={errors}
              inputmode="numeric"
              maxLength={5}
            />
            <button type="submit" class="btn btn-outline-primary">
              {t('campaigns.settings.save')}
            </button>
          </form>
        </section>
      )}
    </Layout>,
    status,
  );
}

const FIELD_OF: Record<string, string> = {
  name: 'nome',
  template: 'modello',
  channel: 'canale',
  link: 'collegamento',
  segment: 'fascia',
  tier: 'fascia',
  province: 'provincia',
  ageBand: 'eta',
  inactiveDays: 'inattivita',
};

async function formPage(
  reply: FastifyReply,
  ctx: RequestContext,
  deps: CampaignDeps,
  values: FormValues,
  errors: FieldErrors,
  status = 200,
) {
  const { t } = ctx;
  const provinces = await regionProvinces(deps.db, ctx.user!.regionCode);
  const title = t('campaigns.form.title');
  const any = { value: '', label: t('campaigns.form.any') };
  return sendPage(
    reply,
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p class="lead">{t('campaigns.form.lead')}</p>
      <form method="post" action="/campagne/nuova" novalidate>
        <CsrfField ctx={ctx} />
        <TextField
          name="nome"
          label={t('campaigns.form.name')}
          hint={t('campaigns.form.nameHint')}
          values={values}
          errors={errors}
          maxLength={120}
        />
        <SelectField
          name="modello"
          label={t('campaigns.form.template')}
          values={values}
          errors={errors}
          options={TEMPLATES.map((id) => ({ value: id, label: t(`campaigns.templateNames.${id}`) }))}
        />
        <SelectField
          name="canale"
          label={t('campaigns.form.channel')}
          hint={t('campaigns.form.channelHint')}
          values={values}
          errors={errors}
          options={CHANNELS.map((c) => ({ value: c, label: t(`campaigns.channels.${c}`) }))}
        />
        <TextField
          name="collegamento"
          label={t('campaigns.form.link')}
          hint={t('campaigns.form.linkHint')}
          values={values}
          errors={errors}
          maxLength={200}
        />
        <fieldset class="mb-4" aria-describedby="segmento-hint">
          <legend class="h5">{t('campaigns.form.segment')}</legend>
          <p id="segmento-hint" class="form-text">
            {t('campaigns.form.segmentHint')}
          </p>
          <SelectField
            name="fascia"
            label={t('campaigns.form.tier')}
            values={values}
            errors={errors}
            options={[
              any,
              ...TIERS.map((n) => ({ value: String(n), label: t('campaigns.tierN', { tier: n }) })),
            ]}
          />
          <SelectField
            name="provincia"
            label={t('campaigns.form.province')}
            values={values}
            errors={errors}
            options={[any, ...provinces.map((p) => ({ value: p, label: p }))]}
          />
          <SelectField
            name="eta"
            label={t('campaigns.form.age')}
            values={values}
            errors={errors}
            options={[any, ...AGE_BANDS.map((b) => ({ value: b, label: t(`campaigns.ages.${AGE_KEY[b]}`) }))]}
          />
          <TextField
            name="inattivita"
            label={t('campaigns.form.inactive')}
            hint={t('campaigns.form.inactiveHint')}
            values={values}
            errors={errors}
            inputmode="numeric"
            maxLength={5}
          />
        </fieldset>
        <button type="submit" class="btn btn-primary">
          {t('campaigns.form.save')}
        </button>
      </form>
      <p class="mt-4">
        <a href="/campagne">{t('campaigns.page.back')}</a>
      </p>
    </Layout>,
    status,
  );
}

/** The message of a template in one language, with an example name and links. */
function preview(lang: Lang, template: TemplateId, channel: Campaign['channel'], base: string) {
  const t = translator(lang);
  const values = {
    name: t('campaigns.page.sampleName'),
    link: `${base}/c/…`,
    stop: `${base}/campagne/disiscriviti/…`,
  };
  if (channel === 'sms')
    return {
      subject: null,
      text: `${t(`campaigns.templates.${template}.sms`, values)} ${t('campaigns.mail.smsStop', values)}`,
    };
  return {
    subject: t(`campaigns.templates.${template}.subject`),
    text: [
      t(`campaigns.templates.${template}.body`, values),
      '',
      t('campaigns.mail.why'),
      t('campaigns.mail.unsubscribe', values),
    ].join('\n'),
  };
}

async function detailPage(
  reply: FastifyReply,
  ctx: RequestContext,
  deps: CampaignDeps,
  campaign: Campaign,
  notice: string | null,
  problem: string | null,
  status = 200,
) {
  const { t, lang } = ctx;
  const user = ctx.user!;
  const draft = campaign.status === 'draft';
  const reach = draft ? await countSegment(deps.db, user, campaign.segment, new Date()) : null;
  const results = draft ? null : await campaignResults(deps.db, campaign);
  const perMinute = await perMinuteOf(deps.db, user.regionCode);
  const errors: FieldErrors = problem ? { invia: problem } : {};
  return sendPage(
    reply,
    <Layout ctx={ctx} title={campaign.name} wide>
      <h1>{campaign.name}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      {notice && <Notice kind="success">{notice}</Notice>}
      <dl class="sl-dl mb-4">
        <dt>{t('campaigns.col.status')}</dt>
        <dd>
          {t(`campaigns.status.${campaign.status}`)}
          {campaign.sent_at
            ? ` — ${t('campaigns.page.sentAt', { date: dateOf(lang, campaign.sent_at) })}`
            : ''}
        </dd>
        <dt>{t('campaigns.page.template')}</dt>
        <dd>{t(`campaigns.templateNames.${campaign.template}`)}</dd>
        <dt>{t('campaigns.page.channel')}</dt>
        <dd>{t(`campaigns.channels.${campaign.channel}`)}</dd>
        <dt>{t('campaigns.page.link')}</dt>
        <dd>{campaign.link_path}</dd>
        <dt>{t('campaigns.page.segment')}</dt>
        <dd>
          {campaign.office_id ? t('campaigns.page.office') : t('campaigns.page.region')}
          <ul class="mb-0">
            {segmentWords(ctx, campaign.segment).map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </dd>
        {reach && (
          <>
            <dt>{t('campaigns.page.reach')}</dt>
            <dd id="raggiunte">
              <Count ctx={ctx} n={reach.reachable} />
            </dd>
          </>
        )}
      </dl>
      {reach && <p>{t('campaigns.page.reachNote', { min: MIN_CELL })}</p>}

      {results && (
        <section>
          <h2 class="h4 mt-4">{t('campaigns.page.results')}</h2>
          <div class="table-responsive">
            <table class="table table-bordered">
              <caption class="visually-hidden">{t('campaigns.page.results')}</caption>
              <tbody>
                {(
                  [
                    ['recipients', results.recipients],
                    ['pending', results.pending],
                    ['sentCount', results.sent],
                    ['opened', results.opened],
                    ['booked', results.booked],
                    ['optedOut', results.optedOut],
                    ['skipped', results.skippedOptOut + results.noContact],
                  ] as const
                ).map(([key, n]) => (
                  <tr>
                    <th scope="row">{t(`campaigns.page.${key}`)}</th>
                    <td>
                      <Count ctx={ctx} n={n} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>{t('campaigns.page.resultsNote', { days: BOOKED_WITHIN_DAYS })}</p>
          <p>{t('campaigns.page.reachNote', { min: MIN_CELL })}</p>
        </section>
      )}

      {draft && (
        <section>
          <h2 class="h4 mt-4">{t('campaigns.page.preview')}</h2>
          <p>{t('campaigns.page.previewNote')}</p>
          {LANGUAGES.map((l) => {
            const p = preview(l.code, campaign.template, campaign.channel, deps.config.publicUrl);
            return (
              <article class="card mb-3" lang={l.code} dir={l.dir}>
                <div class="card-body">
                  <h3 class="h5">{l.name}</h3>
                  {p.subject && <p class="fw-bold">{p.subject}</p>}
                  <pre class="sl-outbox-body">{p.text}</pre>
                </div>
              </article>
            );
          })}
          {reach && reach.reachable > 0 && (
            <p>{t('campaigns.page.minutes', { n: throttlePlan(reach.reachable, perMinute).minutes })}</p>
          )}
          <form method="post" action={`/campagne/${campaign.id}/invia`} novalidate>
            <CsrfField ctx={ctx} />
            <p id="invia-hint">{t('campaigns.page.sendHint')}</p>
            <button type="submit" class="btn btn-primary" id="invia" aria-describedby="invia-hint">
              {t('campaigns.page.send')}
            </button>
          </form>
        </section>
      )}
      <p class="mt-4">
        <a href="/campagne">{t('campaigns.page.back')}</a>
      </p>
    </Layout>,
    status,
  );
}

/** Staff pages: the list, a new campaign with its segment, the preview, sending and the results. */
export function registerCampaignRoutes(
  routes: RouteCatalogue,
  deps: CampaignDeps,
  kick: () => Promise<void>,
): void {
  routes.get('/campagne', [...STAFF], async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const notice = q.ok === 'ritmo' ? req.ctx.t('campaigns.settings.saved') : null;
    return listPage(reply, req.ctx, deps, null, notice);
  });

  routes.post('/campagne/impostazioni', ['regional_manager'], async (req, reply) => {
    const values = formValues(req.body);
    const raw = (values.al_minuto ?? '').trim();
    const n = Number(raw);
    if (!/^\d{1,5}$/.test(raw) || n < 1 || n > MAX_PER_MINUTE)
      return listPage(
        reply,
        req.ctx,
        deps,
        { values, errors: { al_minuto: req.ctx.t('campaigns.errors.perMinute') } },
        null,
        400,
      );
    await setPerMinute(deps, req.ctx.user!, n);
    return reply.redirect('/campagne?ok=ritmo', 303);
  });

  routes.get('/campagne/nuova', [...STAFF], async (req, reply) =>
    formPage(reply, req.ctx, deps, { modello: 'book', canale: 'email', collegamento: DEFAULT_LINK.book }, {}),
  );

  routes.post('/campagne/nuova', [...STAFF], async (req, reply) => {
    const ctx = req.ctx;
    const values = formValues(req.body);
    const provinces = await regionProvinces(deps.db, ctx.user!.regionCode);
    const parsed = parseCampaignForm(values, provinces);
    if (!parsed.ok) {
      const errors: FieldErrors = {};
      for (const [field, key] of Object.entries(parsed.errors)) {
        const name = FIELD_OF[field] ?? field;
        if (!errors[name]) errors[name] = ctx.t(key);
      }
      return formPage(reply, ctx, deps, values, errors, 400);
    }
    const created = await createCampaign(deps, ctx.user!, parsed.form);
    if (!created.ok) return notFound(reply, ctx);
    return reply.redirect(`/campagne/${created.id}?ok=bozza`, 303);
  });

  routes.get('/campagne/:id', [...STAFF], async (req, reply) => {
    const { id } = req.params as { id: string };
    const campaign = await campaignFor(deps.db, req.ctx.user!, id);
    if (!campaign) return notFound(reply, req.ctx);
    const q = req.query as Record<string, unknown>;
    const notice =
      q.ok === 'bozza'
        ? req.ctx.t('campaigns.page.created')
        : q.ok === 'inviata'
          ? req.ctx.t('campaigns.page.sent')
          : null;
    return detailPage(reply, req.ctx, deps, campaign, notice, null);
  });

  routes.post('/campagne/:id/invia', [...STAFF], async (req, reply) => {
    const { id } = req.params as { id: string };
    const ctx = req.ctx;
    const sent = await sendCampaign(deps, ctx.user!, id, new Date());
    if (!sent.ok) {
      if (sent.reason === 'notFound') return notFound(reply, ctx);
      const campaign = await campaignFor(deps.db, ctx.user!, id);
      if (!campaign) return notFound(reply, ctx);
      const status = sent.reason === 'alreadySent' ? 409 : 400;
      return detailPage(reply, ctx, deps, campaign, null, ctx.t(`campaigns.errors.${sent.reason}`), status);
    }
    await kick();
    return reply.redirect(`/campagne/${id}?ok=inviata`, 303);
  });
}
