import { z } from 'zod';
import { NO_CONTROL_CHARS } from '../../platform/http/forms.ts';

/**
 * The portable dossier (fascicolo elettronico del lavoratore, seed §1.6, §2.9), version 1: what one
 * Region knows about a person, in codes every Region reads the same way (support intensity instead
 * of a Region's tier number, EQF levels, ISO 639-1 languages with CEFR levels, ESCO URIs). It is
 * the payload of a compact JWS (ES256) signed by the issuing Region. Every string and every list has
 * a bound, and unknown fields are refused: a receiving Region stores nothing it has not validated.
 * The same zod schema validates on import and generates the published JSON Schema.
 */
export const DOSSIER_SCHEMA_ID = 'https://schemi.sportello-lavoro.it/fascicolo/1';
export const DOSSIER_VERSION = 1;
/** Where each instance publishes the JSON Schema and its key set (paths under its public URL). */
export const SCHEMA_PATH = '/schemi/fascicolo-v1.json';
export const JWKS_PATH = '/.well-known/sportello/jwks.json';
/** The JWS `typ` header: a receiving Region refuses any other token shaped like a JWS. */
export const DOSSIER_JWS_TYPE = 'fascicolo+jws';

const CONTROL = NO_CONTROL_CHARS;
const text = (max: number) => z.string().min(1).max(max).regex(CONTROL);
const optionalText = (max: number) => text(max).nullable();
const isoDate = z.iso.date();
const isoDateTime = z.iso.datetime({ offset: true });
const ESCO_URI = /^https?:\/\/data\.europa\.eu\/esco\/(skill|occupation)\/[A-Za-z0-9._-]{1,100}$/;
const escoUri = z.string().max(200).regex(ESCO_URI);

export const SUPPORT_LEVELS = ['low', 'medium', 'high'] as const;
export const LANGUAGE_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'native'] as const;

const Did = z.strictObject({
  declaredAt: isoDateTime,
  status: z.enum(['active', 'suspended', 'withdrawn']),
  events: z
    .array(
      z.strictObject({
        event: z.enum(['declared', 'suspended', 'resumed', 'withdrawn']),
        at: isoDateTime,
        reason: optionalText(500),
      }),
    )
    .max(100),
});

const WorkPeriod = z.strictObject({
  from: text(10),
  to: optionalText(10),
  occupation: text(300),
  iscoGroup: z
    .string()
    .max(4)
    .regex(/^[0-9]*$/),
  sector: z.string().max(100).regex(CONTROL),
});

export const DossierSchema = z.strictObject({
  schema: z.literal(DOSSIER_SCHEMA_ID),
  version: z.literal(DOSSIER_VERSION),
  documentId: z.uuid(),
  /** Grows with each dossier the issuer makes for the person: an older copy is refused. */
  sequence: z.number().int().min(1).max(1_000_000),
  issuedAt: isoDateTime,
  issuer: z.strictObject({
    regionCode: z.string().regex(/^[0-9]{2}$/),
    name: text(200),
    jwksUrl: z.url().max(500),
  }),
  requestedBy: z.enum(['person', 'operator']),
  /** The readable copy (PDF) issued with this document, verifiable at the issuer's /verifica/<code>. */
  readableCopy: z.strictObject({
    verificationCode: z.string().regex(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/),
  }),
  person: z.strictObject({
    fiscalCode: z.string().regex(/^[A-Z0-9]{16}$/),
    givenName: text(100),
    familyName: text(100),
    birthDate: isoDate.nullable(),
    sex: z.enum(['M', 'F']).nullable(),
  }),
  did: z.array(Did).max(20),
  profile: z.strictObject({
    support: z.strictObject({ level: z.enum(SUPPORT_LEVELS), assignedAt: isoDateTime }).nullable(),
    education: z.strictObject({ eqf: z.number().int().min(0).max(8).nullable(), title: optionalText(300) }),
    languages: z
      .array(z.strictObject({ code: z.string().regex(/^[a-z]{2,3}$/), level: z.enum(LANGUAGE_LEVELS) }))
      .max(30),
    drivingLicences: z.array(z.string().regex(/^[A-Z0-9]{1,4}$/)).max(20),
    unemployedSince: isoDate.nullable(),
    workHistory: z.array(WorkPeriod).max(50),
  }),
  skills: z
    .array(
      z.strictObject({
        uri: escoUri,
        label: text(300),
        selfLevel: z.number().int().min(0).max(4).nullable(),
        validatedLevel: z.number().int().min(0).max(4).nullable(),
      }),
    )
    .max(500),
  targetOccupations: z.array(z.strictObject({ uri: escoUri, label: text(300) })).max(20),
  pacts: z
    .array(
      z.strictObject({
        version: z.number().int().min(1).max(1000),
        status: z.enum(['draft', 'proposed', 'changes_requested', 'signed', 'superseded']),
        signedAt: isoDateTime.nullable(),
        verificationCode: z
          .string()
          .regex(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)
          .nullable(),
      }),
    )
    .max(100),
  planActions: z
    .array(
      z.strictObject({
        kind: z.enum(['apply_vacancies', 'attend_course', 'update_cv', 'attend_appointment', 'custom']),
        title: text(300),
        dueDate: isoDate,
        status: z.enum(['open', 'done', 'cancelled']),
        doneAt: isoDateTime.nullable(),
      }),
    )
    .max(500),
  courses: z
    .array(
      z.strictObject({
        title: text(300),
        provider: text(300),
        status: z.enum(['requested', 'confirmed', 'refused', 'withdrawn', 'completed', 'not_completed']),
        startsOn: isoDate,
        endsOn: isoDate,
        hours: z.number().int().min(0).max(100_000),
        eqfLevel: z.number().int().min(1).max(8).nullable(),
        skills: z.array(escoUri).max(100),
      }),
    )
    .max(200),
  badges: z
    .array(
      z.strictObject({
        name: text(300),
        kind: z.enum(['course_completed', 'competence_validated']),
        issuedAt: isoDateTime,
        verifyUrl: z.url().max(500),
        revoked: z.boolean(),
      }),
    )
    .max(200),
  employment: z
    .array(
      z.strictObject({
        startedOn: isoDate,
        source: z.enum(['operator', 'application', 'national_system', 'self_reported', 'unilav']),
      }),
    )
    .max(200),
});

export type Dossier = z.infer<typeof DossierSchema>;

/** The published JSON Schema (draft 2020-12), generated from the schema the import validates with. */
export function dossierJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(DossierSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    ...generated,
    $id: DOSSIER_SCHEMA_ID,
    title: 'Fascicolo elettronico del lavoratore (Sportello Lavoro), versione 1',
    description:
      'The payload of a compact JWS (ES256, typ "fascicolo+jws") signed by the issuing Region; its keys are published at /.well-known/sportello/jwks.json.',
  };
}

export type DossierProblem = { path: string; code: string };

/** Validates a decoded payload; the problems name the field (e.g. "person.givenName") and what is wrong. */
export function checkDossier(
  value: unknown,
): { ok: true; dossier: Dossier } | { ok: false; problems: DossierProblem[] } {
  const parsed = DossierSchema.safeParse(value);
  if (parsed.success) return { ok: true, dossier: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.slice(0, 10).map((i) => ({
      path: i.path.map(String).join('.') || '(document)',
      code: i.code === 'too_big' ? 'too_long' : i.code === 'unrecognized_keys' ? 'unknown_field' : 'invalid',
    })),
  };
}
