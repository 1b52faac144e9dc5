import { z } from 'zod';
import { NO_CONTROL_CHARS } from '../../platform/http/forms.ts';

/**
 * The CV (Europass sections), one JSON document per person, validated here before it is stored,
 * rendered, exported or imported. Messages are i18n keys.
 */
export const CEFR_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export type CefrLevel = (typeof CEFR_LEVELS)[number];
/** The five columns of the CEFR self-assessment grid. */
export const CEFR_SKILLS = [
  'listening',
  'reading',
  'spokenProduction',
  'spokenInteraction',
  'writing',
] as const;
export type CefrSkill = (typeof CEFR_SKILLS)[number];
/** DigComp areas, as the digital-skills check measures them (onboarding/domain/digital-check.ts). */
export const DIGCOMP_AREAS = [
  'information',
  'communication',
  'content',
  'safety',
  'problem_solving',
] as const;
export type DigcompArea = (typeof DIGCOMP_AREAS)[number];
/** EU driving licence categories (Directive 2006/126/EC), the codes Europass writes. */
export const LICENCE_CODES = [
  'AM',
  'A1',
  'A2',
  'A',
  'B1',
  'B',
  'BE',
  'C1',
  'C1E',
  'C',
  'CE',
  'D1',
  'D1E',
  'D',
  'DE',
] as const;
export const CV_SECTIONS = [
  'personal',
  'about',
  'work',
  'education',
  'languages',
  'digital',
  'skills',
  'badges',
  'licences',
] as const;
export type CvSection = (typeof CV_SECTIONS)[number];

export const LIMITS = {
  work: 30,
  education: 20,
  motherTongues: 3,
  languages: 15,
  digitalItems: 30,
  skills: 60,
  badges: 50,
} as const;

const text = (max: number) =>
  z.string().max(max, 'errors.tooLong').regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');
const required = (max: number) => text(max).refine((s) => s.trim().length > 0, 'errors.required');

export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const month = z.string().regex(MONTH, 'cv.errors.month');
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export function isRealDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
const day = z.string().refine(isRealDay, 'cv.errors.date');
const httpUrl = z
  .string()
  .max(2000, 'errors.tooLong')
  .refine((u) => {
    try {
      const p = new URL(u);
      return (p.protocol === 'https:' || p.protocol === 'http:') && !/\s/.test(u);
    } catch {
      return false;
    }
  }, 'cv.errors.url');
const escoUri = (kind: 'occupation' | 'skill') =>
  z
    .string()
    .max(300, 'errors.tooLong')
    .regex(new RegExp(`^http://data\\.europa\\.eu/esco/${kind}/[A-Za-z0-9-]+$`), 'cv.errors.escoUri');
export const LANGUAGE_CODE = /^[a-z]{2}$/;
const languageCode = z.string().regex(LANGUAGE_CODE, 'cv.errors.language');
const cefr = z.enum(CEFR_LEVELS, { message: 'cv.errors.cefr' });

export const WorkSchema = z
  .object({
    title: required(200),
    employer: text(200),
    place: text(120),
    from: month,
    to: month.nullable(),
    description: text(4000),
    occupationUri: escoUri('occupation').nullable(),
  })
  .refine((w) => w.to === null || w.to >= w.from, { message: 'cv.errors.periodOrder', path: ['to'] });
export type WorkEntry = z.infer<typeof WorkSchema>;

export const EducationSchema = z
  .object({
    title: required(200),
    organisation: text(200),
    eqf: z.number().int().min(1, 'cv.errors.eqf').max(8, 'cv.errors.eqf').nullable(),
    from: month.nullable(),
    to: month.nullable(),
  })
  .refine((e) => e.to === null || e.from === null || e.to >= e.from, {
    message: 'cv.errors.periodOrder',
    path: ['to'],
  });
export type EducationEntry = z.infer<typeof EducationSchema>;

export const LanguageSchema = z.object({
  code: languageCode,
  listening: cefr,
  reading: cefr,
  spokenProduction: cefr,
  spokenInteraction: cefr,
  writing: cefr,
});
export type LanguageEntry = z.infer<typeof LanguageSchema>;

export const CvSchema = z
  .object({
    personal: z.object({
      givenName: required(100),
      familyName: required(100),
      email: z.union([z.literal(''), z.email('cv.errors.email').max(254, 'errors.tooLong')]),
      phone: z.union([z.literal(''), z.string().regex(/^\+?[0-9]{6,15}$/, 'cv.errors.phone')]),
      city: text(100),
      birthDate: z.union([z.literal(''), day]),
    }),
    about: text(3000),
    work: z.array(WorkSchema).max(LIMITS.work, 'cv.errors.tooMany'),
    education: z.array(EducationSchema).max(LIMITS.education, 'cv.errors.tooMany'),
    languages: z.object({
      mother: z.array(languageCode).max(LIMITS.motherTongues, 'cv.errors.tooMany'),
      others: z.array(LanguageSchema).max(LIMITS.languages, 'cv.errors.tooMany'),
    }),
    digital: z.object({
      areas: z
        .array(z.object({ area: z.enum(DIGCOMP_AREAS), level: z.number().int().min(0).max(3) }))
        .max(DIGCOMP_AREAS.length),
      items: z.array(required(100)).max(LIMITS.digitalItems, 'cv.errors.tooMany'),
    }),
    skills: z
      .array(
        z.object({
          uri: escoUri('skill').nullable(),
          label: required(200),
          level: text(40).nullable(),
          validated: z.boolean(),
        }),
      )
      .max(LIMITS.skills, 'cv.errors.tooMany'),
    badges: z
      .array(z.object({ id: required(100), name: required(200), issuedAt: day, verifyUrl: httpUrl }))
      .max(LIMITS.badges, 'cv.errors.tooMany'),
    drivingLicences: z
      .array(z.enum(LICENCE_CODES, { message: 'cv.errors.licence' }))
      .max(LICENCE_CODES.length),
  })
  .superRefine((cv, ctx) => {
    const dup = (list: string[]) => list.find((v, i) => list.indexOf(v) !== i);
    const checks: [string[], (string | number)[]][] = [
      [cv.languages.mother, ['languages', 'mother']],
      [cv.languages.others.map((l) => l.code), ['languages', 'others']],
      [cv.digital.items.map((s) => s.trim().toLowerCase()), ['digital', 'items']],
      [cv.digital.areas.map((a) => a.area), ['digital', 'areas']],
      [cv.drivingLicences, ['drivingLicences']],
      [cv.badges.map((b) => b.id), ['badges']],
    ];
    for (const [list, path] of checks)
      if (dup(list) !== undefined) ctx.addIssue({ code: 'custom', message: 'cv.errors.duplicate', path });
    if (cv.languages.others.some((l) => cv.languages.mother.includes(l.code)))
      ctx.addIssue({ code: 'custom', message: 'cv.errors.motherAndOther', path: ['languages', 'others'] });
  });
export type CvDocument = z.infer<typeof CvSchema>;

export function emptyCv(givenName = '', familyName = ''): CvDocument {
  return {
    personal: { givenName, familyName, email: '', phone: '', city: '', birthDate: '' },
    about: '',
    work: [],
    education: [],
    languages: { mother: [], others: [] },
    digital: { areas: [], items: [] },
    skills: [],
    badges: [],
    drivingLicences: [],
  };
}

/** A problem found validating a CV: an i18n key, and where (section, entry number from 1, field). */
export type CvIssue = { message: string; section: CvSection; entry: number | null; field: string | null };

const SECTION_OF: Record<string, CvSection> = {
  personal: 'personal',
  about: 'about',
  work: 'work',
  education: 'education',
  languages: 'languages',
  digital: 'digital',
  skills: 'skills',
  badges: 'badges',
  drivingLicences: 'licences',
};

export function validateCv(value: unknown): { ok: true; cv: CvDocument } | { ok: false; issues: CvIssue[] } {
  const r = CvSchema.safeParse(value);
  if (r.success) return { ok: true, cv: r.data };
  const issues = r.error.issues.slice(0, 20).map((i): CvIssue => {
    const [head, ...rest] = i.path;
    const section = SECTION_OF[String(head)] ?? 'personal';
    const index = rest.find((p) => typeof p === 'number');
    const field = [...rest].reverse().find((p) => typeof p === 'string');
    return {
      message: /^[a-zA-Z]+\.[a-zA-Z0-9_.]+$/.test(i.message) ? i.message : 'errors.invalid',
      section,
      entry: typeof index === 'number' ? index + 1 : null,
      field: typeof field === 'string' ? field : null,
    };
  });
  return { ok: false, issues };
}

/** Line endings as one "\n", trailing spaces of the text cut: what is stored and exported. */
export function normaliseText(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim();
}

/** "3331234567", "333 123 4567", "+39 333…" → "+393331234567"; other international numbers kept. */
export function normalisePhone(value: string): string {
  const digits = value.replace(/[\s().-]/g, '');
  if (digits === '') return '';
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('+')) return digits;
  if (/^[03][0-9]{5,10}$/.test(digits)) return `+39${digits}`;
  return digits;
}

/** "03/2021", "3/2021", "2021-03" → "2021-03"; anything else is returned trimmed (and refused later). */
export function normaliseMonth(value: string): string {
  const m = /^\s*(\d{1,2})[/.-](\d{4})\s*$/.exec(value);
  return m ? `${m[2]}-${m[1]!.padStart(2, '0')}` : value.trim();
}

/** "31/12/1990" or "1990-12-31" → "1990-12-31". */
export function normaliseDay(value: string): string {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(value);
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : value.trim();
}

/**
 * The sections that come from the platform (digital check, assessment, badges) refreshed from
 * fresh data, everything the person wrote kept. Free skills (no ESCO URI) stay; assessed ones are
 * replaced by the current assessment.
 */
export function refreshFromPlatform(
  cv: CvDocument,
  fresh: Pick<CvDocument, 'skills' | 'badges'> & { areas: CvDocument['digital']['areas'] },
): CvDocument {
  const freeSkills = cv.skills.filter((s) => s.uri === null || !fresh.skills.some((f) => f.uri === s.uri));
  return {
    ...cv,
    digital: { areas: fresh.areas, items: cv.digital.items },
    skills: [...fresh.skills, ...freeSkills.map((s) => ({ ...s, validated: false }))].slice(0, LIMITS.skills),
    badges: fresh.badges.slice(0, LIMITS.badges),
  };
}
