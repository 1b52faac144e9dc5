import { sql } from 'kysely';
import { recordActivity } from '../../coaching/use-cases/activity.ts';
import type { AuditLog } from '../../platform/audit/audit.ts';
import { actorOf } from '../../platform/audit/audit.ts';
import type { SessionUser } from '../../platform/auth/session.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Translate } from '../../platform/i18n/i18n.ts';
import {
  CEFR_LEVELS,
  type CvDocument,
  type CvIssue,
  DIGCOMP_AREAS,
  EducationSchema,
  emptyCv,
  LanguageSchema,
  LICENCE_CODES,
  LIMITS,
  normalisePhone,
  refreshFromPlatform,
  validateCv,
  WorkSchema,
} from '../domain/cv.ts';
import type { CvSources } from './sources.ts';

/** `publicUrl` resolves badge verification links that are stored as paths. */
export type CvUseCaseDeps = { db: Db; audit: AuditLog; sources: CvSources; publicUrl: string };
export type StoredCv = {
  id: string;
  cv: CvDocument;
  version: number;
  updatedAt: Date;
  source: 'platform' | 'import';
};

/** The person's CV, or null when they have not made one yet. Always the signed-in person's own. */
export async function getCv(db: Db, user: SessionUser): Promise<StoredCv | null> {
  const row = await db
    .selectFrom('cvs')
    .select(['id', 'document', 'version', 'updated_at', 'source'])
    .where('region_code', '=', user.regionCode)
    .where('citizen_id', '=', user.id)
    .executeTakeFirst();
  if (!row) return null;
  const checked = validateCv(row.document);
  // A stored document is always valid (it is validated before writing); if the rules tightened
  // since, the person still sees what they wrote and fixes it section by section.
  const cv = checked.ok ? checked.cv : (row.document as CvDocument);
  return { id: row.id, cv, version: row.version, updatedAt: row.updated_at, source: row.source };
}

const isoDay = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function absoluteUrl(url: string, base: string): string | null {
  try {
    const u = new URL(url, base);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href.slice(0, 2000) : null;
  } catch {
    return null;
  }
}

/** The sections the platform itself knows: the digital check, the assessment, the badges. */
export async function platformSections(
  deps: CvUseCaseDeps,
  regionCode: string,
  citizenId: string,
  lang: string,
): Promise<{
  areas: CvDocument['digital']['areas'];
  skills: CvDocument['skills'];
  badges: CvDocument['badges'];
}> {
  const check = await deps.db
    .selectFrom('digital_check_attempts')
    .select('area_levels')
    .where('region_code', '=', regionCode)
    .where('user_id', '=', citizenId)
    .where('finished_at', 'is not', null)
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const levels = check?.area_levels ?? {};
  const areas = DIGCOMP_AREAS.filter((a) => Number.isInteger(levels[a])).map((a) => ({
    area: a,
    level: Math.max(0, Math.min(3, levels[a] as number)),
  }));
  const assessed = await deps.sources.assessedSkills(deps.db, regionCode, citizenId);
  const seen = new Set<string>();
  const skills = assessed
    .filter(
      (s) =>
        /^http:\/\/data\.europa\.eu\/esco\/skill\/[A-Za-z0-9-]+$/.test(s.uri) &&
        !seen.has(s.uri) &&
        seen.add(s.uri),
    )
    .map((s) => ({
      uri: s.uri,
      label: ((lang === 'en' ? s.labelEn : s.labelIt) || s.labelIt || s.labelEn || s.uri).slice(0, 200),
      level: s.level === null || s.level === undefined ? null : String(s.level).slice(0, 40),
      validated: s.validated,
    }))
    .slice(0, LIMITS.skills);
  const badges = (await deps.sources.badgesOf(deps.db, regionCode, citizenId))
    .filter((b) => !b.revoked)
    .flatMap((b) => {
      const verifyUrl = absoluteUrl(b.verifyUrl, deps.publicUrl);
      if (!verifyUrl || !b.id || !b.name.trim()) return [];
      return [
        {
          id: b.id.slice(0, 100),
          name: b.name.trim().slice(0, 200),
          issuedAt: isoDay(b.issuedAt),
          verifyUrl,
        },
      ];
    })
    .slice(0, LIMITS.badges);
  return { areas, skills, badges };
}

/** A CV made from what the person already told the platform: nothing is typed twice. */
export async function prefillCv(
  deps: CvUseCaseDeps,
  regionCode: string,
  citizenId: string,
  lang: string,
  t: Translate,
): Promise<CvDocument> {
  const person = await deps.db
    .selectFrom('users')
    .leftJoin('citizen_profiles as p', (j) =>
      j.onRef('p.region_code', '=', 'users.region_code').onRef('p.user_id', '=', 'users.id'),
    )
    .leftJoin('municipalities as m', 'm.istat_code', 'p.domicile_code')
    .select([
      'users.given_name',
      'users.family_name',
      'users.birth_date',
      sql<string | null>`coalesce(p.email, users.email)`.as('email'),
      sql<string | null>`coalesce(p.mobile, users.phone)`.as('phone'),
      'm.name as city',
      'p.education_eqf',
      'p.education_title',
      'p.work_history',
      'p.languages',
      'p.driving_licences',
    ])
    .where('users.region_code', '=', regionCode)
    .where('users.id', '=', citizenId)
    .executeTakeFirstOrThrow();

  const cv = emptyCv(person.given_name.slice(0, 100), person.family_name.slice(0, 100));
  const email = person.email ?? '';
  const phone = normalisePhone(person.phone ?? '');
  cv.personal = {
    ...cv.personal,
    email: validateCv({ ...cv, personal: { ...cv.personal, email } }).ok ? email : '',
    phone: /^\+?[0-9]{6,15}$/.test(phone) ? phone : '',
    city: (person.city ?? '').slice(0, 100),
    birthDate: person.birth_date ? isoDay(person.birth_date) : '',
  };

  const history = person.work_history ?? [];
  const titles = [...new Set(history.map((w) => w.occupation.trim().toLowerCase()))];
  const occupations = titles.length
    ? await deps.db
        .selectFrom('esco_occupations')
        .select(['uri', sql<string>`lower(label_it)`.as('it'), sql<string>`lower(label_en)`.as('en')])
        .where((eb) =>
          eb.or([eb(sql`lower(label_it)`, 'in', titles), eb(sql`lower(label_en)`, 'in', titles)]),
        )
        .execute()
    : [];
  cv.work = history
    .map((w) => {
      const key = w.occupation.trim().toLowerCase();
      const esco = occupations.find((o) => o.it === key || o.en === key);
      return {
        title: w.occupation.trim(),
        employer: '',
        place: '',
        from: w.from,
        to: w.to,
        description: '',
        occupationUri: esco?.uri ?? null,
      };
    })
    .filter((w) => WorkSchema.safeParse(w).success)
    .sort((a, b) => b.from.localeCompare(a.from))
    .slice(0, LIMITS.work);

  const eqf = person.education_eqf && person.education_eqf >= 1 ? person.education_eqf : null;
  const title = person.education_title?.trim() || (eqf ? t(`profile.eqfLevels.${eqf}`) : '');
  const education = { title: title.slice(0, 200), organisation: '', eqf, from: null, to: null };
  if (title && EducationSchema.safeParse(education).success) cv.education = [education];

  for (const l of person.languages ?? []) {
    if (!/^[a-z]{2}$/.test(l.code)) continue;
    if (l.level === 'native') {
      if (cv.languages.mother.length < LIMITS.motherTongues && !cv.languages.mother.includes(l.code))
        cv.languages.mother.push(l.code);
    } else if ((CEFR_LEVELS as readonly string[]).includes(l.level)) {
      const entry = {
        code: l.code,
        listening: l.level,
        reading: l.level,
        spokenProduction: l.level,
        spokenInteraction: l.level,
        writing: l.level,
      };
      if (LanguageSchema.safeParse(entry).success && !cv.languages.others.some((o) => o.code === l.code))
        cv.languages.others.push(LanguageSchema.parse(entry));
    }
  }
  cv.languages.others = cv.languages.others
    .filter((o) => !cv.languages.mother.includes(o.code))
    .slice(0, LIMITS.languages);
  cv.drivingLicences = (person.driving_licences ?? []).filter((c): c is (typeof LICENCE_CODES)[number] =>
    (LICENCE_CODES as readonly string[]).includes(c),
  );
  const fresh = await platformSections(deps, regionCode, citizenId, lang);
  return refreshFromPlatform(cv, fresh);
}

export type SaveResult = { ok: true; id: string } | { ok: false; issues: CvIssue[] };

/**
 * Validate and store the person's CV (one per person), bump its version and, in the same
 * transaction, record the 'cv_updated' activity that advances an "update the CV" action.
 */
export async function saveCv(
  deps: CvUseCaseDeps,
  user: SessionUser,
  document: unknown,
  source: 'platform' | 'import' = 'platform',
  now = new Date(),
): Promise<SaveResult> {
  const r = await store(deps, user, document, source, now, null);
  if (r === 'stale') throw new Error('unreachable: no expected version');
  return r;
}

/** Writes the CV; with `expectedVersion`, only over that version ('stale' when someone saved in between). */
async function store(
  deps: CvUseCaseDeps,
  user: SessionUser,
  document: unknown,
  source: 'platform' | 'import',
  now: Date,
  expectedVersion: number | null,
): Promise<SaveResult | 'stale'> {
  const checked = validateCv(document);
  if (!checked.ok) return { ok: false, issues: checked.issues };
  const json = JSON.stringify(checked.cv);
  const id = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('cvs')
      .values({ region_code: user.regionCode, citizen_id: user.id, document: json, source, updated_at: now })
      .onConflict((oc) => {
        const update = oc.columns(['region_code', 'citizen_id']).doUpdateSet({
          document: json,
          source,
          version: sql<number>`cvs.version + 1`,
          updated_at: now,
        });
        return expectedVersion === null ? update : update.where('cvs.version', '=', expectedVersion);
      })
      .returning('id')
      .executeTakeFirst();
    if (!row) return null;
    await recordActivity(trx, {
      regionCode: user.regionCode,
      citizenId: user.id,
      kind: 'cv_updated',
      at: now,
      ref: row.id,
    });
    if (source === 'import')
      await deps.audit.record(
        {
          regionCode: user.regionCode,
          action: 'cv.imported',
          outcome: 'ok',
          actor: actorOf(user),
          subjectId: user.id,
          objectType: 'cv',
          objectId: row.id,
        },
        trx,
      );
    return row.id;
  });
  return id === null ? 'stale' : { ok: true, id };
}

/** Change one part of the CV: read, apply, validate, store. Null when the person has no CV yet. */
export async function updateCv(
  deps: CvUseCaseDeps,
  user: SessionUser,
  change: (cv: CvDocument) => CvDocument,
): Promise<SaveResult | null> {
  // Optimistic: two saves at once (two tabs) never lose one another's entry; the later one re-applies.
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getCv(deps.db, user);
    if (!current) return null;
    const r = await store(
      deps,
      user,
      change(structuredClone(current.cv)),
      current.source,
      new Date(),
      current.version,
    );
    if (r !== 'stale') return r;
  }
  throw new Error('CV changed too many times while saving');
}

/** "Crea il CV dai tuoi dati": a new CV from the platform's data, or the platform's sections refreshed. */
export async function createOrRefresh(
  deps: CvUseCaseDeps,
  user: SessionUser,
  lang: string,
  t: Translate,
): Promise<'created' | 'refreshed'> {
  const current = await getCv(deps.db, user);
  if (!current) {
    const cv = await prefillCv(deps, user.regionCode, user.id, lang, t);
    const r = await saveCv(deps, user, cv);
    if (!r.ok) throw new Error(`prefilled CV invalid: ${JSON.stringify(r.issues)}`);
    return 'created';
  }
  const fresh = await platformSections(deps, user.regionCode, user.id, lang);
  const r = await saveCv(deps, user, refreshFromPlatform(current.cv, fresh));
  if (!r.ok) throw new Error(`refreshed CV invalid: ${JSON.stringify(r.issues)}`);
  return 'refreshed';
}

/**
 * An imported Europass CV becomes the person's CV to review. What only the platform can attest is
 * never taken from a file: the digital-check levels are the check's, a skill is "validated" only if
 * the person's assessment validated it, and only the person's own, unrevoked badges are kept.
 */
export async function importCv(
  deps: CvUseCaseDeps,
  user: SessionUser,
  imported: CvDocument,
  lang: string,
): Promise<SaveResult> {
  const fresh = await platformSections(deps, user.regionCode, user.id, lang);
  const trusted: CvDocument = {
    ...imported,
    digital: { areas: fresh.areas, items: imported.digital.items },
    skills: imported.skills.map((s) => ({
      ...s,
      validated: s.validated && fresh.skills.some((f) => f.uri === s.uri && f.validated),
    })),
    badges: imported.badges.flatMap((b) => fresh.badges.filter((f) => f.id === b.id)),
  };
  return saveCv(deps, user, trusted, 'import');
}
