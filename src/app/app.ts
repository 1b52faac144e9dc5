import { sql } from 'kysely';
import { wireAgencies } from '../agencies/wiring.ts';
import { ensureServiceCatalogue } from '../agenda/use-cases/catalogue.ts';
import { startReminderWorker } from '../agenda/use-cases/notifications.ts';
import { registerBookingRoutes } from '../agenda/web/booking-routes.tsx';
import { registerOfficeRoutes } from '../agenda/web/office-routes.tsx';
import { registerOperatorAgendaRoutes } from '../agenda/web/operator-agenda-routes.tsx';
import { registerTokenRoutes } from '../agenda/web/token-routes.tsx';
import { registerWeekRoutes } from '../agenda/web/week-routes.tsx';
import { wireAssisted } from '../assisted/wiring.ts';
import { wireBadges } from '../badges/wiring.ts';
import { wireBaseline } from '../baseline/wiring.ts';
import { wireCampaigns } from '../campaigns/wiring.ts';
import { wireCaseload } from '../caseload/wiring.ts';
import { registerCaseworkRoutes } from '../casework/web/casework-routes.tsx';
import { wireCertificates } from '../certificates/wiring.ts';
import { wireCoaching } from '../coaching/wiring.ts';
import { wireConditionality } from '../conditionality/wiring.ts';
import { wireCv } from '../cv/wiring.ts';
import { wireDossier } from '../dossier/wiring.ts';
import { wireEmployers } from '../employers/wiring.ts';
import { wireForecasts } from '../forecasts/wiring.ts';
import {
  createDemoIdentityProvider,
  DEMO_CLIENT_ID,
  DEMO_IDP_PATH,
} from '../identity/adapters/demo-identity-provider.ts';
import { EidRelyingParty } from '../identity/adapters/eid-relying-party.ts';
import { registerAccountRoutes } from '../identity/web/account-routes.tsx';
import { registerDemoIdpRoutes } from '../identity/web/demo-idp-routes.tsx';
import { registerIdentityRoutes } from '../identity/web/identity-routes.tsx';
import { wireIndicators } from '../indicators/wiring.ts';
import { registerReportRoutes } from '../insight/web/report-routes.tsx';
import { wireInterop } from '../interop/wiring.ts';
import { wireJobs } from '../jobs/wiring.ts';
import { LiveMatcher } from '../matching/use-cases/live-matcher.ts';
import { wireMessages } from '../messages/wiring.ts';
import { registerDidRoutes } from '../onboarding/web/did-routes.tsx';
import { registerDigitalCheckRoutes } from '../onboarding/web/digital-check-routes.tsx';
import { CitizenJourney, registerJourneyRoutes } from '../onboarding/web/journey-routes.tsx';
import { registerNaspiApi } from '../onboarding/web/naspi-api.ts';
import { registerNaspiRoutes } from '../onboarding/web/naspi-routes.tsx';
import { registerProfileRoutes } from '../onboarding/web/profile-routes.tsx';
import { wireOutcomes } from '../outcomes/wiring.ts';
import { wirePact } from '../pact/wiring.ts';
import { ApiRegistry } from '../platform/api/api.ts';
import { makeAuditLog } from '../platform/audit/audit.ts';
import type { Config } from '../platform/config.ts';
import { createDb } from '../platform/db/database.ts';
import { migrate } from '../platform/db/migrate.ts';
import { buildServer, LANG_COOKIE } from '../platform/http/server.ts';
import { isLang } from '../platform/i18n/i18n.ts';
import {
  DevOutboxGateway,
  HttpSmsGateway,
  makeNotifier,
  SmtpEmailGateway,
  startMessageWorkers,
} from '../platform/messaging/messaging.ts';
import { startQueue } from '../platform/queue/queue.ts';
import { buildAssetsIfMissing } from '../platform/ui/assets.ts';
import { wirePortability } from '../portability/wiring.ts';
import { wireRetention } from '../retention/wiring.ts';
import { wireSatisfaction } from '../satisfaction/wiring.ts';
import { wireSkills } from '../skills/wiring.ts';
import { wireTaxonomy } from '../taxonomy/wiring.ts';
import { wireTraining } from '../training/wiring.ts';
import { registerApiDocs, registerApiV1 } from './api-v1.tsx';
import { loadDemoRegion } from './demo/load-demo.ts';
import { registerAdminRoutes } from './web/admin-routes.tsx';
import { registerDevRoutes } from './web/dev-routes.tsx';
import { manifest, registerPublicPages } from './web/public-pages.tsx';

export type PlatformOptions = { databaseUrl: string; web: boolean; worker: boolean; poolSize?: number };

/**
 * The composition root: every service is wired here by hand, once.
 */
export async function createPlatform(config: Config, options: PlatformOptions) {
  const smsUrl = process.env.SMS_GATEWAY_URL;
  // Production never falls back to the development outbox: refuse before anything starts.
  if (options.worker && !config.demo && (!config.smtpUrl || !smsUrl)) {
    throw new Error('Production mode needs SMTP_URL and SMS_GATEWAY_URL to send messages.');
  }
  await buildAssetsIfMissing();
  const { db, pool } = createDb(options.databaseUrl, options.poolSize ?? 10);
  await migrate(pool);
  const demoAccounts = config.demo ? await loadDemoRegion(db) : [];
  const queue = await startQueue(options.databaseUrl, { supervise: options.worker });
  const notifier = makeNotifier(queue);
  const audit = makeAuditLog(db, pool);

  if (options.worker) {
    const email = config.smtpUrl
      ? new SmtpEmailGateway(config.smtpUrl, config.mailFrom)
      : new DevOutboxGateway(db, 'email');
    const sms = smsUrl
      ? new HttpSmsGateway(smsUrl, process.env.SMS_GATEWAY_KEY ?? '')
      : new DevOutboxGateway(db, 'sms');
    await startMessageWorkers(db, queue, { email, sms });
  }

  const region = await db
    .selectFrom('regions')
    .select(['region_code', 'name'])
    .where('is_national', '=', false)
    .orderBy('region_code')
    .executeTakeFirst();
  const defaultRegion = region?.region_code ?? '00';
  const regionName = region?.name ?? 'Italia';

  if (config.demo) await ensureServiceCatalogue(db, defaultRegion);

  const { app, routes } = buildServer({ config, db, audit, regionName });

  let eid: EidRelyingParty | null = null;
  if (config.demo) {
    const clientSecret = `${config.sessionSecret}:demo-idp`;
    const provider = createDemoIdentityProvider({
      publicUrl: config.publicUrl,
      clientSecret,
      cookieSecret: config.sessionSecret,
      dataDir: config.dataDir,
    });
    registerDemoIdpRoutes(app, routes, provider);
    eid = new EidRelyingParty(db, {
      issuer: `${config.publicUrl}${DEMO_IDP_PATH}`,
      clientId: DEMO_CLIENT_ID,
      clientSecret,
      redirectUri: `${config.publicUrl}/accedi/eid/callback`,
      allowHttp: true,
    });
    registerDevRoutes(routes, { db });
  } else if (config.spid.issuer && config.spid.clientSecret) {
    eid = new EidRelyingParty(db, {
      issuer: config.spid.issuer,
      clientId: config.spid.clientId,
      clientSecret: config.spid.clientSecret,
      redirectUri: `${config.publicUrl}/accedi/eid/callback`,
      allowHttp: false,
    });
  }

  const identityDeps = { db, audit, notifier, config, eid, defaultRegion };
  const caseworkDeps = { db, audit, notifier, defaultRegion };
  registerIdentityRoutes(routes, identityDeps);
  registerAccountRoutes(routes, identityDeps);
  registerCaseworkRoutes(routes, caseworkDeps);
  const onboardingDeps = { db, audit, notifier, config };
  registerProfileRoutes(routes, onboardingDeps);
  registerDidRoutes(routes, onboardingDeps);
  const agendaDeps = { db, notifier, queue, config, audit };
  registerBookingRoutes(routes, agendaDeps);
  registerTokenRoutes(routes, agendaDeps);
  if (options.worker) await startReminderWorker(agendaDeps);
  registerOperatorAgendaRoutes(routes, { db, audit });
  registerOfficeRoutes(routes, { db, audit });
  registerWeekRoutes(routes, { db, audit });
  registerJourneyRoutes(routes, onboardingDeps);
  registerPublicPages(routes, {
    db,
    defaultRegion,
    citizenPanel: (ctx) => CitizenJourney({ ctx, deps: onboardingDeps }),
  });
  registerDigitalCheckRoutes(routes, { db, audit });
  registerAdminRoutes(routes, { db, audit });
  registerNaspiRoutes(routes, { db });
  const actionDeps = { db, audit, notifier, queue, config };
  const worker = { worker: options.worker };
  await wirePact(routes, actionDeps, worker);
  await wireCoaching(routes, actionDeps, worker);
  await wireConditionality(routes, actionDeps, worker);
  await wireTaxonomy(routes, actionDeps, worker);
  await wireSkills(routes, actionDeps, worker);
  await wireTraining(routes, actionDeps, worker);
  await wireCv(routes, actionDeps, worker);
  await wireBadges(routes, actionDeps, worker);
  registerReportRoutes(routes, { db });

  const api = new ApiRegistry(app, { db, audit });
  // The in-process matching index: built from PostgreSQL now, kept current by LISTEN/NOTIFY.
  const matcher = new LiveMatcher(db);
  await matcher.start(pool);
  const employerDeps = { ...actionDeps, api, matcher, defaultRegion };
  await wireEmployers(routes, employerDeps, worker);
  await wireJobs(routes, employerDeps, worker);
  const caseworkPorts = { ...actionDeps, api, defaultRegion };
  await wireInterop(routes, caseworkPorts, worker);
  await wireCertificates(routes, caseworkPorts, worker);
  await wireMessages(routes, caseworkPorts, worker);
  await wireCaseload(routes, caseworkPorts, worker);
  await wireDossier(routes, caseworkPorts, worker);
  await wireAgencies(routes, caseworkPorts, worker);
  await wireAssisted(routes, caseworkPorts, worker);
  await wirePortability(routes, caseworkPorts, worker);
  await wireOutcomes(routes, caseworkPorts, worker);
  await wireRetention(routes, caseworkPorts, worker);
  await wireSatisfaction(routes, caseworkPorts, worker);
  await wireIndicators(routes, caseworkPorts, worker);
  await wireForecasts(routes, caseworkPorts, worker);
  await wireCampaigns(routes, caseworkPorts, worker);
  await wireBaseline(routes, caseworkPorts, worker);
  registerApiV1(api, caseworkDeps);
  registerNaspiApi(api);
  registerApiDocs(routes, api);
  app.get('/api/openapi.json', { config: { bare: true } }, async () => api.openApi(config.publicUrl));

  // In demo mode the answer names the process, so a multi-process set-up can be checked from outside.
  app.get('/healthz', { config: { bare: true } }, async () =>
    config.demo ? { status: 'ok', pid: process.pid } : { status: 'ok' },
  );
  app.get('/readyz', { config: { bare: true } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'database unavailable' });
    }
  });
  app.get('/manifest.webmanifest', { config: { bare: true } }, async (req, reply) => {
    const lang = req.cookies[LANG_COOKIE];
    return reply.type('application/manifest+json').send(manifest(isLang(lang) ? lang : 'it'));
  });

  return {
    app,
    routes,
    api,
    db,
    pool,
    queue,
    audit,
    notifier,
    demoAccounts,
    defaultRegion,
    matcher,
    close: async () => {
      await app.close();
      await matcher.stop();
      await queue.stop();
      await db.destroy();
    },
  };
}

export type Platform = Awaited<ReturnType<typeof createPlatform>>;
