import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ROLES, type Role } from '../platform/auth/roles.ts';
import { allows } from '../platform/http/routes.ts';
import {
  createRegionObjects,
  missingObjects,
  type RegionObjects,
  regionSnapshot,
} from './testing/other-region.ts';
import { startTestPlatform, type TestPlatform, type Visitor } from './testing/test-platform.ts';

/**
 * Region isolation, route by route (issue 10, item 4): every page and action whose URL names an
 * object is asked, by people of one Region, for the object of the same kind that belongs to another
 * Region. The answer must be "not found" (404; 403 where the route refuses the role), never the
 * object, never a change to it, never a 5xx. Region '20' is made complete (office, agency, company,
 * people, one object of every kind) and attacked by the demo people of Region '10'; then a second
 * set of objects in Region '10' is attacked by the people of Region '20'.
 *
 * Public pages: an installation serves the Region it runs for (the anonymous visitor's Region is the
 * default Region, a signed-in person's is their own), so another Region's published vacancy,
 * company page, course or recruiting day is "not found" here — the national job search is the
 * national portal's, fed by the outbox, not these pages. The exception is verification: the code
 * printed on a document (/verifica/<code>) or shared with a badge (/badge/<code>) is meant to be
 * checked by anyone, anywhere (an employer of another Region reading a candidate's pact or badge),
 * and the page shows only what the holder chose to share. Those two answer 200 for any Region.
 */

type Target = (o: RegionObjects) => string;

/** Every route with a parameter: the URL to ask, built from the objects of the other Region. */
const TARGETS: Record<string, Target> = {
  // casework and onboarding (a person's record, tiers, the digital-skills check)
  '/operatore/persone/:id': (o) => `/operatore/persone/${o.users.citizen.id}?purpose=interview`,
  '/operatore/persone/:id/appuntamento': (o) => `/operatore/persone/${o.users.citizen.id}/appuntamento`,
  '/operatore/persone/:id/livello': (o) => `/operatore/persone/${o.users.citizen.id}/livello`,
  '/operatore/persone/:id/competenze-digitali': (o) =>
    `/operatore/persone/${o.users.citizen.id}/competenze-digitali`,
  '/operatore/persone/:id/competenze-digitali/inizia': (o) =>
    `/operatore/persone/${o.users.citizen.id}/competenze-digitali/inizia`,
  '/operatore/persone/:id/competenze-digitali/domanda': (o) =>
    `/operatore/persone/${o.users.citizen.id}/competenze-digitali/domanda`,
  '/operatore/persone/:id/competenze-digitali/risultato': (o) =>
    `/operatore/persone/${o.users.citizen.id}/competenze-digitali/risultato`,
  '/profilo/did/ricevuta/:code': (o) => `/profilo/did/ricevuta/${o.didCode}`,
  '/admin/utenti/:id/termina-sessioni': (o) => `/admin/utenti/${o.users.citizen.id}/termina-sessioni`,
  // agenda
  '/appuntamenti/:id/annulla': (o) => `/appuntamenti/${o.appointmentId}/annulla`,
  '/appuntamenti/:id/sposta': (o) => `/appuntamenti/${o.appointmentId}/sposta`,
  '/operatore/agenda/appuntamenti/:id/sposta': (o) =>
    `/operatore/agenda/appuntamenti/${o.appointmentId}/sposta`,
  '/operatore/agenda/appuntamenti/:id/esito': (o) =>
    `/operatore/agenda/appuntamenti/${o.appointmentId}/esito`,
  '/appuntamenti/attesa/:id/lascia': (o) => `/appuntamenti/attesa/${o.waitlistId}/lascia`,
  // pact
  '/operatore/persone/:id/patto': (o) => `/operatore/persone/${o.users.citizen.id}/patto`,
  '/operatore/patti/:id/proponi': (o) => `/operatore/patti/${o.pactId}/proponi`,
  '/operatore/patti/:id/nuova-versione': (o) => `/operatore/patti/${o.pactId}/nuova-versione`,
  '/operatore/patti/:id': (o) => `/operatore/patti/${o.pactId}`,
  '/operatore/patti/:id/codice': (o) => `/operatore/patti/${o.pactId}/codice`,
  '/operatore/patti/:id/firma': (o) => `/operatore/patti/${o.pactId}/firma`,
  '/operatore/patti/:id/sportello/codice': (o) => `/operatore/patti/${o.pactId}/sportello/codice`,
  '/operatore/patti/:id/sportello/firma': (o) => `/operatore/patti/${o.pactId}/sportello/firma`,
  '/operatore/patti/:id/versioni/:v/pdf': (o) => `/operatore/patti/${o.pactId}/versioni/${o.pactVersion}/pdf`,
  '/verifica/:code': (o) => `/verifica/${o.documentCode}`,
  // coaching
  '/operatore/persone/:id/piano': (o) => `/operatore/persone/${o.users.citizen.id}/piano`,
  '/operatore/persone/:id/piano/:action/modifica': (o) =>
    `/operatore/persone/${o.users.citizen.id}/piano/${o.planActionId}/modifica`,
  '/operatore/persone/:id/piano/:action/annulla': (o) =>
    `/operatore/persone/${o.users.citizen.id}/piano/${o.planActionId}/annulla`,
  '/piano/prove/:eid': (o) => `/piano/prove/${o.planEvidenceId}`,
  '/operatore/persone/:id/piano/prove/:eid': (o) =>
    `/operatore/persone/${o.users.citizen.id}/piano/prove/${o.planEvidenceId}`,
  '/piano/:action/link': (o) => `/piano/${o.planActionId}/link`,
  '/piano/:action/file': (o) => `/piano/${o.planActionId}/file`,
  '/piano/:action/fatto': (o) => `/piano/${o.planActionId}/fatto`,
  '/operatore/coaching/allerte/:id/chiudi': (o) => `/operatore/coaching/allerte/${o.coachAlertId}/chiudi`,
  // conditionality
  '/obblighi/:id/giustificazione': (o) => `/obblighi/${o.conditionalityEventId}/giustificazione`,
  '/operatore/condizionalita/:id': (o) => `/operatore/condizionalita/${o.conditionalityEventId}`,
  '/operatore/condizionalita/:id/decisione': (o) =>
    `/operatore/condizionalita/${o.conditionalityEventId}/decisione`,
  '/operatore/condizionalita/:id/giustificazioni/:jid': (o) =>
    `/operatore/condizionalita/${o.conditionalityEventId}/giustificazioni/${o.justificationId}`,
  '/operatore/persone/:id/condizionalita': (o) => `/operatore/persone/${o.users.citizen.id}/condizionalita`,
  // skills
  '/competenze/esperienze/:job/rimuovi': (o) => `/competenze/esperienze/${o.pastJobId}/rimuovi`,
  '/competenze/prove/:eid/rimuovi': (o) => `/competenze/prove/${o.skillEvidenceId}/rimuovi`,
  '/competenze/prove/:eid': (o) => `/competenze/prove/${o.skillEvidenceId}`,
  '/operatore/persone/:id/competenze': (o) => `/operatore/persone/${o.users.citizen.id}/competenze`,
  '/operatore/persone/:id/competenze/prove/:eid': (o) =>
    `/operatore/persone/${o.users.citizen.id}/competenze/prove/${o.skillEvidenceId}`,
  // training
  '/corsi/:id': (o) => `/corsi/${o.courseId}`,
  '/corsi/:id/iscrizione': (o) => `/corsi/${o.courseId}/iscrizione`,
  '/corsi/iscrizioni/:id/ritira': (o) => `/corsi/iscrizioni/${o.enrolmentId}/ritira`,
  '/operatore/corsi/:id/modifica': (o) => `/operatore/corsi/${o.courseId}/modifica`,
  '/operatore/corsi/:id': (o) => `/operatore/corsi/${o.courseId}`,
  '/operatore/corsi/iscrizioni/:id': (o) => `/operatore/corsi/iscrizioni/${o.enrolmentId}`,
  // badges
  '/badge/:code/badge.jwt': (o) => `/badge/${o.badgeCode}/badge.jwt`,
  '/badge/:code/badge.json': (o) => `/badge/${o.badgeCode}/badge.json`,
  '/badge/:code': (o) => `/badge/${o.badgeCode}`,
  '/operatore/badge/:id/revoca': (o) => `/operatore/badge/${o.badgeId}/revoca`,
  // the company space
  '/azienda/sedi/:id/principale': (o) => `/azienda/sedi/${o.siteId}/principale`,
  '/azienda/sedi/:id/rimuovi': (o) => `/azienda/sedi/${o.siteId}/rimuovi`,
  '/azienda/utenti/:id/ruolo': (o) => `/azienda/utenti/${o.recruiterId}/ruolo`,
  '/azienda/utenti/:id/disattiva': (o) => `/azienda/utenti/${o.recruiterId}/disattiva`,
  '/azienda/inviti/:id/revoca': (o) => `/azienda/inviti/${o.inviteId}/revoca`,
  '/aziende/:slug': (o) => `/aziende/${o.companySlug}`,
  // vacancies and moderation
  '/azienda/offerte/:id': (o) => `/azienda/offerte/${o.vacancyId}`,
  '/azienda/offerte/:id/modifica': (o) => `/azienda/offerte/${o.draftVacancyId}/modifica`,
  '/azienda/offerte/:id/invia': (o) => `/azienda/offerte/${o.draftVacancyId}/invia`,
  '/azienda/offerte/:id/chiudi': (o) => `/azienda/offerte/${o.vacancyId}/chiudi`,
  '/operatore/offerte/:id': (o) => `/operatore/offerte/${o.submittedVacancyId}`,
  '/operatore/offerte/:id/pubblica': (o) => `/operatore/offerte/${o.submittedVacancyId}/pubblica`,
  '/operatore/offerte/:id/rifiuta': (o) => `/operatore/offerte/${o.submittedVacancyId}/rifiuta`,
  // candidate search and contact requests
  '/contatti/:id/accetta': (o) => `/contatti/${o.pendingContactId}/accetta`,
  '/contatti/:id/rifiuta': (o) => `/contatti/${o.pendingContactId}/rifiuta`,
  '/contatti/:id': (o) => `/contatti/${o.contactId}`,
  '/contatti/:id/messaggi': (o) => `/contatti/${o.contactId}/messaggi`,
  '/azienda/candidati/contatti/:id': (o) => `/azienda/candidati/contatti/${o.contactId}`,
  '/azienda/candidati/contatti/:id/cv.pdf': (o) => `/azienda/candidati/contatti/${o.contactId}/cv.pdf`,
  '/azienda/candidati/contatti/:id/messaggi': (o) => `/azienda/candidati/contatti/${o.contactId}/messaggi`,
  // CPI pre-selection
  '/azienda/preselezioni/:id': (o) => `/azienda/preselezioni/${o.shortlistId}`,
  '/azienda/preselezioni/:id/valutazione': (o) => `/azienda/preselezioni/${o.shortlistId}/valutazione`,
  '/operatore/preselezioni/:id': (o) => `/operatore/preselezioni/${o.shortlistId}`,
  '/operatore/preselezioni/:id/prendi': (o) => `/operatore/preselezioni/${o.shortlistId}/prendi`,
  '/operatore/preselezioni/:id/candidati': (o) => `/operatore/preselezioni/${o.shortlistId}/candidati`,
  '/operatore/preselezioni/:id/candidati/:cid': (o) =>
    `/operatore/preselezioni/${o.shortlistId}/candidati/${o.users.citizen.id}`,
  '/operatore/preselezioni/:id/candidati/:cid/verifica': (o) =>
    `/operatore/preselezioni/${o.shortlistId}/candidati/${o.users.citizen.id}/verifica`,
  '/operatore/preselezioni/:id/consenso': (o) => `/operatore/preselezioni/${o.shortlistId}/consenso`,
  '/operatore/preselezioni/:id/invia': (o) => `/operatore/preselezioni/${o.shortlistId}/invia`,
  '/preselezioni/:id': (o) => `/preselezioni/${o.shortlistId}`,
  // recruiting days
  '/operatore/recruiting-day/:id': (o) => `/operatore/recruiting-day/${o.recruitingDayId}`,
  '/operatore/recruiting-day/:id/pubblica': (o) => `/operatore/recruiting-day/${o.recruitingDayId}/pubblica`,
  '/operatore/recruiting-day/:id/annulla': (o) => `/operatore/recruiting-day/${o.recruitingDayId}/annulla`,
  '/operatore/recruiting-day/prenotazioni/:bid/presenza': (o) =>
    `/operatore/recruiting-day/prenotazioni/${o.recruitingBookingId}/presenza`,
  '/recruiting-day/:id': (o) => `/recruiting-day/${o.recruitingDayId}`,
  '/recruiting-day/:id/prenota': (o) => `/recruiting-day/${o.recruitingDayId}/prenota`,
  '/recruiting-day/prenotazioni/:bid/annulla': (o) =>
    `/recruiting-day/prenotazioni/${o.recruitingBookingId}/annulla`,
  '/azienda/recruiting-day/:id/partecipa': (o) => `/azienda/recruiting-day/${o.recruitingDayId}/partecipa`,
  '/azienda/recruiting-day/:id': (o) => `/azienda/recruiting-day/${o.recruitingDayId}`,
  '/azienda/recruiting-day/:id/orari': (o) => `/azienda/recruiting-day/${o.recruitingDayId}/orari`,
  '/azienda/recruiting-day/prenotazioni/:bid/presenza': (o) =>
    `/azienda/recruiting-day/prenotazioni/${o.recruitingBookingId}/presenza`,
  // job search and applications
  '/offerte/:id': (o) => `/offerte/${o.vacancyId}`,
  '/offerte/:id/candidatura': (o) => `/offerte/${o.vacancyId}/candidatura`,
  '/candidature/:id/ritira': (o) => `/candidature/${o.applicationId}/ritira`,
  '/azienda/offerte/:id/candidature': (o) => `/azienda/offerte/${o.vacancyId}/candidature`,
  '/azienda/candidature/:id': (o) => `/azienda/candidature/${o.applicationId}`,
  '/azienda/candidature/:id/stato': (o) => `/azienda/candidature/${o.applicationId}/stato`,
  // messages
  '/messaggi/:id': (o) => `/messaggi/${o.threadId}`,
  '/messaggi/:id/allegati/:file': (o) => `/messaggi/${o.threadId}/allegati/${o.attachmentId}`,
  '/operatore/persone/:id/messaggi': (o) => `/operatore/persone/${o.users.citizen.id}/messaggi`,
  '/operatore/messaggi/:id': (o) => `/operatore/messaggi/${o.threadId}`,
  '/operatore/messaggi/:id/allegati/:file': (o) =>
    `/operatore/messaggi/${o.threadId}/allegati/${o.attachmentId}`,
  // certificates
  '/certificati/scarica/:code': (o) => `/certificati/scarica/${o.certificateCode}`,
  '/operatore/persone/:id/certificati': (o) =>
    `/operatore/persone/${o.users.citizen.id}/certificati?purpose=interview`,
  '/operatore/persone/:id/certificati/:code': (o) =>
    `/operatore/persone/${o.users.citizen.id}/certificati/${o.certificateCode}?purpose=interview`,
  '/verifica/:code/pdf': (o) => `/verifica/${o.certificateCode}/pdf`,
  // the national outbox's dead letters
  '/admin/outbox/:id/riprova': (o) => `/admin/outbox/${o.deadOutboxId}/riprova`,
  '/admin/outbox/:id/scarta': (o) => `/admin/outbox/${o.deadOutboxId}/scarta`,
  // caseload and dossier
  '/operatore/casi/:id': (o) => `/operatore/casi/${o.users.citizen.id}`,
  '/operatore/casi/:id/trasferisci': (o) => `/operatore/casi/${o.users.citizen.id}/trasferisci`,
  '/operatore/persone/:id/fascicolo': (o) =>
    `/operatore/persone/${o.users.citizen.id}/fascicolo?purpose=interview`,
  '/operatore/persone/:id/fascicolo/note': (o) => `/operatore/persone/${o.users.citizen.id}/fascicolo/note`,
  // accredited agencies
  '/regione/accreditamenti/:id/revoca': (o) => `/regione/accreditamenti/${o.scopeId}/revoca`,
  '/operatore/persone/:id/invio-apl': (o) => `/operatore/persone/${o.users.citizen.id}/invio-apl`,
  '/operatore/persone/:id/invio-apl/:referral/chiudi': (o) =>
    `/operatore/persone/${o.users.citizen.id}/invio-apl/${o.referralId}/chiudi`,
  '/apl/persone/:id': (o) => `/apl/persone/${o.users.citizen.id}`,
  '/apl/persone/:id/attivita': (o) => `/apl/persone/${o.users.citizen.id}/attivita`,
  // assisted mode
  '/operatore/persone/:id/assistenza': (o) => `/operatore/persone/${o.users.citizen.id}/assistenza`,
  '/operatore/persone/:id/assistenza/termina': (o) =>
    `/operatore/persone/${o.users.citizen.id}/assistenza/termina`,
  '/i-miei-dati/per-tuo-conto/:id/termina': (o) =>
    `/i-miei-dati/per-tuo-conto/${o.assistedSessionId}/termina`,
  // employment outcomes (UNILAV)
  '/operatore/esiti/importazioni/:id': (o) => `/operatore/esiti/importazioni/${o.unilavImportId}`,
  // campaigns
  '/campagne/:id': (o) => `/campagne/${o.campaignId}`,
  '/campagne/:id/invia': (o) => `/campagne/${o.campaignId}/invia`,
  // dossier portability
  '/i-miei-dati/portabilita/:doc/:file': (o) =>
    `/i-miei-dati/portabilita/${o.portabilityExportId}/fascicolo.jws`,
  '/operatore/persone/:id/portabilita': (o) =>
    `/operatore/persone/${o.users.citizen.id}/portabilita?purpose=interview`,
  '/operatore/persone/:id/portabilita/:doc/:file': (o) =>
    `/operatore/persone/${o.users.citizen.id}/portabilita/${o.portabilityExportId}/fascicolo.jws?purpose=interview`,
  '/operatore/portabilita/importazioni/:id': (o) =>
    `/operatore/portabilita/importazioni/${o.portabilityImportId}`,
};

/** Parameterised routes that name no Region-owned object, and why. */
const EXCLUDED: Record<string, string> = {
  // The demo identity provider (demo mode only, never in production): an interaction of the IdP.
  '/dev/idp/interaction/:uid': 'demo identity provider, not Region data',
  '/dev/idp/interaction/:uid/login': 'demo identity provider, not Region data',
  // Capability links sent by e-mail: the secret token is the authorisation, it is looked up by its
  // hash and carries its own Region; there is no id of another Region to put in its place.
  '/password/reimposta/:token': 'secret token from an e-mail, not an object id',
  '/appuntamento/:token': 'secret token from a reminder, not an object id',
  '/azienda/invito/:token': 'secret token from an invitation, not an object id',
  // Fixed names of the steps of the signed-in person's own forms.
  '/profilo/passo/:step': "a step of the person's own profile, not an object id",
  '/cv/sezione/:slug': "a section of the person's own CV, not an object id",
  // Shared by every Region (decision 0006): the ESCO classification is national reference data.
  '/professioni/:id': 'ESCO occupation, reference data shared by all Regions',
  // The installation's one Bitstring Status List (W3C), a number, public by design.
  '/badge/stato/:list': "the installation's public revocation list, not a Region object",
  // The signed-in citizen's own pact, by version number: no id of another Region fits in it.
  '/patto/versioni/:v/pdf': "a version of the person's own pact, not an object id",
  '/valuta/:token': 'secret token from a survey e-mail or SMS, not an object id',
  // The 2021 national report, public and the same for every Region.
  '/rapporto/tavole/:section': 'a section of the public 2021 report, not Region data',
  '/campagne/disiscriviti/:token': 'secret token from a campaign message, not an object id',
  '/c/:token': 'secret token from a campaign message (tracked link), not an object id',
};

/** Public verification pages: the answer is the same for any Region (see above). */
const VERIFIABLE_ANYWHERE = new Set(['/verifica/:code', '/verifica/:code/pdf', '/badge/:code']);

/**
 * Plausible fields for the actions, so that a refusal comes from the lookup of the object and not
 * from the form's validation.
 */
const COMMON_FIELDS: Record<string, string> = {
  reason: 'Motivo della richiesta di prova',
  message: 'Un messaggio di prova abbastanza lungo.',
  body: 'Un messaggio di prova.',
  note: 'Una nota di prova.',
  outcome: 'attended',
  role: 'recruiter',
  purpose: 'interview',
};
const FIELDS: Record<string, Record<string, string>> = {
  '/operatore/persone/:id/certificati': { kind: 'sap', lang: 'it' },
  '/operatore/corsi/iscrizioni/:id': { decisione: 'confirm' },
  '/operatore/persone/:id/fascicolo/note': {
    purpose: 'interview',
    testo: 'Nota di prova',
    visibilita: 'office',
  },
  '/operatore/recruiting-day/prenotazioni/:bid/presenza': { status: 'attended' },
  '/azienda/recruiting-day/prenotazioni/:bid/presenza': { status: 'attended' },
};

/** Actions that take a file (multipart/form-data), with the file's field: they get a small PDF. */
const MULTIPART: Record<string, string> = {
  '/obblighi/:id/giustificazione': 'document',
  '/piano/:action/file': 'file',
  '/verifica/:code': 'file',
};
const PDF = '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n';

/**
 * Pages that, for the objects as made here, send their own people on with a redirect rather than
 * a page: the digital-skills check not yet started, the pact page of a CPI operator (the person's page).
 */
const REDIRECTS_WHEN_FOUND = new Set([
  '/operatore/persone/:id/competenze-digitali/domanda',
  '/operatore/persone/:id/competenze-digitali/risultato',
  '/operatore/patti/:id',
]);

let platform: TestPlatform;
let region20: RegionObjects;
let region10: RegionObjects;

before(async () => {
  platform = await startTestPlatform();
  region20 = await createRegionObjects(platform, '20', '20');
  region10 = await createRegionObjects(platform, '10', '10');
});
after(async () => {
  await platform.stop();
});

const parameterised = () => platform.routes.routes.filter((r) => r.url.includes(':'));

async function request(
  visitor: Visitor,
  route: { method: 'GET' | 'POST'; url: string },
  url: string,
): Promise<LightMyRequestResponse> {
  if (route.method === 'GET') return platform.get(visitor, url);
  const fields = { ...COMMON_FIELDS, ...FIELDS[route.url] };
  const fileField = MULTIPART[route.url];
  if (!fileField) return platform.post(visitor, url, fields);
  const boundary = '----isolation-boundary';
  const parts = Object.entries({ _csrf: visitor.csrf, ...fields }).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="prova.pdf"\r\nContent-Type: application/pdf\r\n\r\n${PDF}\r\n`,
  );
  return platform.app.inject({
    method: 'POST',
    url,
    headers: { cookie: visitor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `${parts.join('')}--${boundary}--\r\n`,
  });
}

/** The roles to try a route with: every role it allows (an anonymous visitor for public routes). */
function rolesFor(access: (typeof platform.routes.routes)[number]['access']): (Role | null)[] {
  if (access === 'public') return [null, 'citizen'];
  return ROLES.filter((r) => allows(access, r));
}

/** A page with the ids and codes taken out, to compare an answer with the one for an unknown id. */
function normalised(res: LightMyRequestResponse): string {
  return `${res.statusCode} ${res.headers.location ?? ''} ${res.statusCode === 303 ? '' : res.body}`
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b/g, '<code>');
}

/**
 * Asks every mapped route, as every role it allows, for the objects of another Region (GET pages
 * that take a `?purpose=` are also asked without it). Accepted: 404 or 403; any other answer only
 * when it is the very answer for an id that does not exist (the purpose question, an "already gone"
 * notice); for public pages asked by a person of another Region, a page that an anonymous visitor
 * of this installation gets too (nothing more is shown to them).
 */
async function attack(
  actors: (role: Role | null) => Promise<Visitor | null>,
  objects: RegionObjects,
  options: { anonymous: boolean },
): Promise<{ tried: number; failures: string[] }> {
  const failures: string[] = [];
  const missing = missingObjects(objects.regionCode);
  let tried = 0;
  for (const route of parameterised()) {
    const target = TARGETS[route.url];
    if (!target) continue;
    const variants: [string, string][] = [[target(objects), target(missing)]];
    if (route.method === 'GET' && target(objects).includes('?'))
      variants.push([target(objects).replace(/\?.*$/, ''), target(missing).replace(/\?.*$/, '')]);
    for (const [i, [url, unknownUrl]] of variants.entries())
      for (const role of rolesFor(route.access)) {
        if (role === null && !options.anonymous) continue;
        const visitor = await actors(role);
        if (!visitor) continue;
        const res = await request(visitor, route, url);
        tried++;
        const label = `${route.method} ${route.url}${i > 0 ? ' (no purpose)' : ''} as ${role ?? 'anonymous'} → ${res.statusCode}`;
        if (res.statusCode >= 500) {
          failures.push(label);
        } else if (VERIFIABLE_ANYWHERE.has(route.url)) {
          if (route.method === 'GET' && res.statusCode !== 200) failures.push(label);
        } else if (res.statusCode === 404 || res.statusCode === 403) {
          // not found, or not for this role
        } else if (res.statusCode === 200 && route.access === 'public' && route.method === 'GET' && role) {
          const anonymous = await platform.get(platform.anonymous(), url);
          if (anonymous.statusCode !== 200) failures.push(label);
        } else if (normalised(res) !== normalised(await request(visitor, route, unknownUrl))) {
          failures.push(`${label}, not the answer for an unknown id`);
        }
      }
  }
  return { tried, failures };
}

/** Jobs (e-mails, SMS, badges…) queued so far that name one of the Region's people. */
async function jobsAbout(objects: RegionObjects): Promise<number> {
  const ids = Object.values(objects.users).map((u) => u.id);
  const { rows } = await platform.pool.query<{ n: string }>(
    `select count(*) as n from pgboss.job
      where data::text like any ($1) or data::text like $2`,
    [ids.map((id) => `%${id}%`), `%.${objects.tag}@prova.example%`],
  );
  return Number(rows[0]?.n ?? 0);
}

test('every route with a parameter is covered by the isolation map or excluded with a reason', () => {
  const missing = parameterised()
    .map((r) => r.url)
    .filter((url) => !(url in TARGETS) && !(url in EXCLUDED));
  assert.deepEqual([...new Set(missing)], [], 'add these routes to TARGETS (or, with a reason, to EXCLUDED)');
  const stale = [...Object.keys(TARGETS), ...Object.keys(EXCLUDED)].filter(
    (url) => !parameterised().some((r) => r.url === url),
  );
  assert.deepEqual(stale, [], 'these entries name routes that no longer exist');
});

test("people of Region 10 asking for Region 20's objects get 'not found' and change nothing", async () => {
  const sessions = new Map<Role | null, Visitor>();
  const actors = async (role: Role | null) => {
    if (role === null) return platform.anonymous();
    if (!sessions.has(role)) sessions.set(role, await platform.signInAs(role));
    return sessions.get(role)!;
  };
  const before = await regionSnapshot(platform.pool, '20');
  const jobsBefore = await jobsAbout(region20);
  const { tried, failures } = await attack(actors, region20, { anonymous: true });
  const afterwards = await regionSnapshot(platform.pool, '20');
  const changed = Object.keys(before).filter(
    (t) => JSON.stringify(afterwards[t]) !== JSON.stringify(before[t]),
  );
  assert.deepEqual(failures, []);
  assert.deepEqual(changed, [], 'rows of Region 20 changed');
  assert.equal(await jobsAbout(region20), jobsBefore, 'no message or job about the other Region was queued');
  assert.ok(tried >= Object.keys(TARGETS).length);
});

test("people of Region 20 asking for Region 10's objects get 'not found' and change nothing", async () => {
  const sessions = new Map<Role | null, Visitor>();
  const actors = async (role: Role | null) => {
    if (role === null) return platform.anonymous();
    // A national manager belongs to the national level ('00'): asked as a Region 10 person above.
    if (role === 'national_manager') return null;
    if (!sessions.has(role)) {
      const user = region20.users[role as keyof RegionObjects['users']];
      assert.ok(user, `Region 20 has a person with the role ${role}`);
      sessions.set(role, await platform.signInAsUser(user.id, '20'));
    }
    return sessions.get(role)!;
  };
  const before = await regionSnapshot(platform.pool, '10');
  const jobsBefore = await jobsAbout(region10);
  // An anonymous visitor belongs to no Region: this installation shows them Region 10's public pages.
  const { tried, failures } = await attack(actors, region10, { anonymous: false });
  const afterwards = await regionSnapshot(platform.pool, '10');
  const changed = Object.keys(before).filter(
    (t) => JSON.stringify(afterwards[t]) !== JSON.stringify(before[t]),
  );
  assert.deepEqual(failures, []);
  assert.deepEqual(changed, [], 'rows of Region 10 changed');
  assert.equal(await jobsAbout(region10), jobsBefore, 'no message or job about the other Region was queued');
  assert.ok(tried >= Object.keys(TARGETS).length);
});

test("the same pages answer the Region's own people: the 404s above come from the Region, not from a wrong id", async () => {
  const failures: string[] = [];
  for (const route of parameterised().filter((r) => r.method === 'GET')) {
    const target = TARGETS[route.url];
    if (!target) continue;
    let res: LightMyRequestResponse;
    let who: string;
    if (route.access === 'public') {
      // Public pages show the installation's Region (10) to an anonymous visitor.
      who = 'anonymous';
      res = await platform.get(platform.anonymous(), target(region10));
    } else {
      const role = rolesFor(route.access).find((r) => r !== null) as keyof RegionObjects['users'];
      who = `${role} of Region 20`;
      res = await platform.get(await platform.signInAsUser(region20.users[role].id, '20'), target(region20));
    }
    const found = res.statusCode === 200 || (res.statusCode === 303 && REDIRECTS_WHEN_FOUND.has(route.url));
    if (!found) failures.push(`GET ${route.url} as ${who} → ${res.statusCode}`);
  }
  assert.deepEqual(failures, []);
});

/**
 * Actions whose object an earlier action of the last test has already changed (the appointment
 * cancelled, the plan action cancelled, the contact request answered, the recruiting day cancelled):
 * they are tried on a fresh set of objects of Region 20.
 */
const NEEDS_FRESH_OBJECTS = new Set([
  '/appuntamenti/:id/sposta',
  '/operatore/agenda/appuntamenti/:id/sposta',
  '/operatore/agenda/appuntamenti/:id/esito',
  '/piano/:action/link',
  '/piano/:action/file',
  '/contatti/:id/rifiuta',
  '/operatore/recruiting-day/prenotazioni/:bid/presenza',
  '/recruiting-day/prenotazioni/:bid/annulla',
  '/azienda/recruiting-day/prenotazioni/:bid/presenza',
]);

test("the same actions reach the Region's own objects (run last: they change them)", async () => {
  const failures: string[] = [];
  let fresh = 21;
  for (const route of parameterised().filter((r) => r.method === 'POST')) {
    const target = TARGETS[route.url];
    if (!target) continue;
    const objects = NEEDS_FRESH_OBJECTS.has(route.url)
      ? await createRegionObjects(platform, '20', String(fresh++))
      : region20;
    const role = rolesFor(route.access).find((r) => r !== null) as keyof RegionObjects['users'];
    const visitor = await platform.signInAsUser(objects.users[role].id, '20');
    const res = await request(visitor, route, target(objects));
    if (res.statusCode === 404 || res.statusCode >= 500)
      failures.push(`POST ${route.url} as ${role} of Region 20 → ${res.statusCode}`);
  }
  assert.deepEqual(failures, []);
});
