import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../platform/db/database.ts';
import { supportLevelOfTier } from '../domain/codes.ts';
import { DOSSIER_SCHEMA_ID, DOSSIER_VERSION, type Dossier, JWKS_PATH } from '../domain/dossier.ts';

/**
 * Reads what the Region holds about one person (their own Region's rows only) and writes it as a
 * version 1 dossier. Long texts are cut to the schema's bounds, lists to their maximum length, so a
 * dossier is always valid; nothing is invented, missing data stays null or empty.
 */
const clip = (s: string | null | undefined, max: number): string | null => {
  if (s === null || s === undefined) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed on purpose
  const clean = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, ' ').trim();
  return clean ? clean.slice(0, max) : null;
};
const req = (s: string | null | undefined, max: number, fallback = '—') => clip(s, max) ?? fallback;
const day = (d: Date | string) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));
const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
const CODE = /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/;

export type BuildInput = {
  regionCode: string;
  regionName: string;
  publicUrl: string;
  personId: string;
  sequence: number;
  issuedAt: Date;
  requestedBy: 'person' | 'operator';
  verificationCode: string;
  documentId?: string;
};

export async function buildDossier(db: Db | Tx, input: BuildInput): Promise<Dossier | null> {
  const r = input.regionCode;
  const id = input.personId;
  const person = await db
    .selectFrom('users')
    .select(['given_name', 'family_name', 'fiscal_code', 'birth_date', 'sex'])
    .where('region_code', '=', r)
    .where('id', '=', id)
    .where('role', '=', 'citizen')
    .executeTakeFirst();
  if (!person?.fiscal_code || !/^[A-Z0-9]{16}$/.test(person.fiscal_code)) return null;

  const [profile, dids, didEvents, tier, assessment, pacts, actions, courses, badges, employment] =
    await Promise.all([
      db
        .selectFrom('citizen_profiles')
        .select([
          'education_eqf',
          'education_title',
          'languages',
          'driving_licences',
          'unemployed_since',
          'work_history',
        ])
        .where('region_code', '=', r)
        .where('user_id', '=', id)
        .executeTakeFirst(),
      db
        .selectFrom('did_declarations')
        .select(['id', 'declared_at', 'status'])
        .where('region_code', '=', r)
        .where('user_id', '=', id)
        .orderBy('declared_at')
        .limit(20)
        .execute(),
      db
        .selectFrom('did_events')
        .select(['did_id', 'event', 'at', 'reason'])
        .where('region_code', '=', r)
        .where('user_id', '=', id)
        .orderBy('at')
        .execute(),
      db
        .selectFrom('tier_assignments')
        .select(['tier', 'created_at'])
        .where('region_code', '=', r)
        .where('user_id', '=', id)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst(),
      db
        .selectFrom('skill_assessments')
        .select(['id'])
        .where('region_code', '=', r)
        .where('citizen_id', '=', id)
        .executeTakeFirst(),
      db
        .selectFrom('pact_versions as v')
        .innerJoin('pacts as p', (j) =>
          j.onRef('p.region_code', '=', 'v.region_code').onRef('p.id', '=', 'v.pact_id'),
        )
        .select(['v.version', 'v.status', 'v.signed_at', 'v.verification_code'])
        .where('v.region_code', '=', r)
        .where('p.citizen_id', '=', id)
        .orderBy('v.created_at')
        .limit(100)
        .execute(),
      db
        .selectFrom('plan_actions')
        .select(['kind', 'title', 'due_date', 'status', 'done_at'])
        .where('region_code', '=', r)
        .where('citizen_id', '=', id)
        .orderBy('created_at')
        .limit(500)
        .execute(),
      db
        .selectFrom('course_enrolments as e')
        .innerJoin('courses as c', (j) =>
          j.onRef('c.region_code', '=', 'e.region_code').onRef('c.id', '=', 'e.course_id'),
        )
        .innerJoin('training_providers as tp', (j) =>
          j.onRef('tp.region_code', '=', 'c.region_code').onRef('tp.id', '=', 'c.provider_id'),
        )
        .select([
          'c.id',
          'c.title',
          'tp.name as provider',
          'e.status',
          'c.starts_on',
          'c.ends_on',
          'c.hours',
          'c.eqf_level',
        ])
        .where('e.region_code', '=', r)
        .where('e.citizen_id', '=', id)
        .orderBy('c.starts_on')
        .limit(200)
        .execute(),
      db
        .selectFrom('badges')
        .select(['name', 'kind', 'issued_at', 'verify_url', 'revoked_at'])
        .where('region_code', '=', r)
        .where('citizen_id', '=', id)
        .orderBy('issued_at')
        .limit(200)
        .execute(),
      db
        .selectFrom('employment_outcomes')
        .select(['started_on', 'source'])
        .where('region_code', '=', r)
        .where('user_id', '=', id)
        .orderBy('started_on')
        .limit(200)
        .execute(),
    ]);

  const [skills, targets] = assessment
    ? await Promise.all([
        db
          .selectFrom('skill_assessment_skills as s')
          .leftJoin('esco_skills as e', 'e.uri', 's.skill_uri')
          .select(['s.skill_uri', 'e.label_it', 'e.label_en', 's.self_level', 's.validated_level'])
          .where('s.region_code', '=', r)
          .where('s.assessment_id', '=', assessment.id)
          .orderBy('s.skill_uri')
          .limit(500)
          .execute(),
        db
          .selectFrom('skill_assessment_targets as t')
          .leftJoin('esco_occupations as o', 'o.uri', 't.occupation_uri')
          .select(['t.occupation_uri', 'o.label_it', 'o.label_en'])
          .where('t.region_code', '=', r)
          .where('t.assessment_id', '=', assessment.id)
          .orderBy('t.position')
          .limit(20)
          .execute(),
      ])
    : [[], []];
  const courseIds = courses.map((c) => c.id);
  const courseSkills = courseIds.length
    ? await db
        .selectFrom('course_skills')
        .select(['course_id', 'skill_uri'])
        .where('region_code', '=', r)
        .where('course_id', 'in', courseIds)
        .execute()
    : [];

  const ESCO = /^https?:\/\/data\.europa\.eu\/esco\/(skill|occupation)\/[A-Za-z0-9._-]{1,100}$/;
  const support = tier ? supportLevelOfTier(tier.tier) : null;
  const level = (n: number | null) => (n !== null && n >= 0 && n <= 4 ? n : null);

  return {
    schema: DOSSIER_SCHEMA_ID,
    version: DOSSIER_VERSION,
    documentId: input.documentId ?? randomUUID(),
    sequence: input.sequence,
    issuedAt: input.issuedAt.toISOString(),
    issuer: {
      regionCode: r,
      name: req(input.regionName, 200),
      jwksUrl: `${input.publicUrl}${JWKS_PATH}`,
    },
    requestedBy: input.requestedBy,
    readableCopy: { verificationCode: input.verificationCode },
    person: {
      fiscalCode: person.fiscal_code,
      givenName: req(person.given_name, 100),
      familyName: req(person.family_name, 100),
      birthDate: person.birth_date ? day(person.birth_date) : null,
      sex: person.sex,
    },
    did: dids.map((d) => ({
      declaredAt: iso(d.declared_at),
      status: d.status,
      events: didEvents
        .filter((e) => e.did_id === d.id)
        .slice(0, 100)
        .map((e) => ({ event: e.event, at: iso(e.at), reason: clip(e.reason, 500) })),
    })),
    profile: {
      support: support && tier ? { level: support, assignedAt: iso(tier.created_at) } : null,
      education: {
        eqf: profile?.education_eqf ?? null,
        title: clip(profile?.education_title, 300),
      },
      languages: (profile?.languages ?? [])
        .filter(
          (l) =>
            /^[a-z]{2,3}$/.test(l.code) && ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native'].includes(l.level),
        )
        .slice(0, 30)
        .map((l) => ({ code: l.code, level: l.level as Dossier['profile']['languages'][number]['level'] })),
      drivingLicences: (profile?.driving_licences ?? [])
        .filter((c) => /^[A-Z0-9]{1,4}$/.test(c))
        .slice(0, 20),
      unemployedSince: profile?.unemployed_since ? day(profile.unemployed_since) : null,
      workHistory: (profile?.work_history ?? []).slice(0, 50).map((w) => ({
        from: req(w.from, 10),
        to: clip(w.to, 10),
        occupation: req(w.occupation, 300),
        iscoGroup: /^[0-9]{0,4}$/.test(w.iscoGroup ?? '') ? (w.iscoGroup ?? '') : '',
        sector: clip(w.sector, 100) ?? '',
      })),
    },
    skills: skills
      .filter((s) => ESCO.test(s.skill_uri))
      .map((s) => ({
        uri: s.skill_uri,
        label: req(s.label_it ?? s.label_en ?? s.skill_uri, 300),
        selfLevel: level(s.self_level),
        validatedLevel: level(s.validated_level),
      })),
    targetOccupations: targets
      .filter((t) => ESCO.test(t.occupation_uri))
      .map((t) => ({ uri: t.occupation_uri, label: req(t.label_it ?? t.label_en ?? t.occupation_uri, 300) })),
    pacts: pacts.map((p) => ({
      version: p.version,
      status: p.status,
      signedAt: p.signed_at ? iso(p.signed_at) : null,
      verificationCode: p.verification_code && CODE.test(p.verification_code) ? p.verification_code : null,
    })),
    planActions: actions.map((a) => ({
      kind: a.kind,
      title: req(a.title, 300),
      dueDate: day(a.due_date),
      status: a.status,
      doneAt: a.done_at ? iso(a.done_at) : null,
    })),
    courses: courses.map((c) => ({
      title: req(c.title, 300),
      provider: req(c.provider, 300),
      status: c.status,
      startsOn: day(c.starts_on),
      endsOn: day(c.ends_on),
      hours: Math.max(0, Math.min(100_000, Math.round(c.hours))),
      eqfLevel: c.eqf_level !== null && c.eqf_level >= 1 && c.eqf_level <= 8 ? c.eqf_level : null,
      skills: courseSkills
        .filter((s) => s.course_id === c.id && ESCO.test(s.skill_uri))
        .slice(0, 100)
        .map((s) => s.skill_uri),
    })),
    badges: badges
      .filter((b) => /^https?:\/\//.test(b.verify_url) && b.verify_url.length <= 500)
      .map((b) => ({
        name: req(b.name, 300),
        kind: b.kind,
        issuedAt: iso(b.issued_at),
        verifyUrl: b.verify_url,
        revoked: b.revoked_at !== null,
      })),
    employment: employment.map((e) => ({ startedOn: day(e.started_on), source: e.source })),
  };
}
