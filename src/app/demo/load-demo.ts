/**
 * Loads the demo Region (Umbria) and its demo accounts, and bulk-loads synthetic citizens.
 * Both are idempotent so they can run at every start-up of a demo instance.
 */
import { hash } from '@node-rs/argon2';
import { sql } from 'kysely';
import { ageOn, toIsoDate } from '../../identity/domain/codice-fiscale.ts';
import type { Db } from '../../platform/db/database.ts';
import type { NewUser, Role } from '../../platform/db/schema.ts';
import { ensureCuratedEsco } from '../../taxonomy/use-cases/curated.ts';
import {
  DEMO_AGENCY,
  DEMO_CITIZEN,
  DEMO_COMPANY,
  DEMO_MUNICIPALITIES,
  DEMO_OFFICES,
  DEMO_REGION,
  NATIONAL_REGION,
} from './demo-region.ts';
import { type SyntheticPerson, syntheticPeople } from './synthetic-people.ts';

/** Published in the README and the start-up banner: demo instances only. */
export const DEMO_PASSWORD = 'Demo-Sportello-2026!';

/** OWASP-recommended argon2id parameters (19 MiB, 2 passes, 1 lane). */
export const DEMO_ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export type DemoAccount = { role: Role; email: string; password: string; note: string };
export type DemoAccounts = DemoAccount[];

// Distinct from the migration lock (727274): serialises concurrent first starts.
const DEMO_LOAD_LOCK = 727275;

type AccountSpec = {
  role: Role;
  email: string;
  givenName: string;
  familyName: string;
  phone: string;
  regionCode: string;
  note: string;
};

const ACCOUNTS: readonly AccountSpec[] = [
  {
    role: 'citizen',
    email: 'cittadino@demo.sportello.example',
    givenName: DEMO_CITIZEN.givenName,
    familyName: DEMO_CITIZEN.familyName,
    phone: '+39 333 0000001',
    regionCode: DEMO_REGION.code,
    note: `Citizen ${DEMO_CITIZEN.givenName} ${DEMO_CITIZEN.familyName}, fiscal code ${DEMO_CITIZEN.fiscalCode}; SMS code in /dev/outbox`,
  },
  {
    role: 'employer',
    email: 'datore@demo.sportello.example',
    givenName: 'Paolo',
    familyName: 'Mariani',
    phone: '+39 333 0000002',
    regionCode: DEMO_REGION.code,
    note: `Employer for ${DEMO_COMPANY.name} (P.IVA ${DEMO_COMPANY.vatNumber})`,
  },
  {
    role: 'cpi_operator',
    email: 'operatore.cpi@demo.sportello.example',
    givenName: 'Chiara',
    familyName: 'Baldelli',
    phone: '+39 333 0000003',
    regionCode: DEMO_REGION.code,
    note: 'Operator at CPI Perugia; SMS code in /dev/outbox',
  },
  {
    role: 'apl_operator',
    email: 'operatore.apl@demo.sportello.example',
    givenName: 'Stefano',
    familyName: 'Cecchetti',
    phone: '+39 333 0000004',
    regionCode: DEMO_REGION.code,
    note: `Operator at the accredited agency ${DEMO_AGENCY.name}; SMS code in /dev/outbox`,
  },
  {
    role: 'regional_manager',
    email: 'responsabile.regionale@demo.sportello.example',
    givenName: 'Laura',
    familyName: 'Bartolini',
    phone: '+39 333 0000005',
    regionCode: DEMO_REGION.code,
    note: `Regional manager, ${DEMO_REGION.name}; SMS code in /dev/outbox`,
  },
  {
    role: 'national_manager',
    email: 'responsabile.nazionale@demo.sportello.example',
    givenName: 'Roberto',
    familyName: 'Esposito',
    phone: '+39 333 0000006',
    regionCode: NATIONAL_REGION.code,
    note: 'National manager (aggregate figures across Regions); SMS code in /dev/outbox',
  },
  {
    role: 'admin',
    email: 'admin@demo.sportello.example',
    givenName: 'Marta',
    familyName: 'Fioroni',
    phone: '+39 333 0000007',
    regionCode: DEMO_REGION.code,
    note: `Administrator, ${DEMO_REGION.name}; SMS code in /dev/outbox`,
  },
];

/** The demo accounts, without touching the database (for the banner and README). */
export function demoAccounts(): DemoAccounts {
  return ACCOUNTS.map((a) => ({ role: a.role, email: a.email, password: DEMO_PASSWORD, note: a.note }));
}

async function regionHasOffices(db: Db, regionCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('offices')
    .select('id')
    .where('region_code', '=', regionCode)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The municipalities' population for a demo database loaded before it was stored (migration 0038). */
async function fillPopulation(db: Db): Promise<void> {
  await sql`
    update municipalities m set population = d.population
      from unnest(${DEMO_MUNICIPALITIES.map((x) => x.istatCode)}::text[],
                  ${DEMO_MUNICIPALITIES.map((x) => x.population)}::int[]) as d(code, population)
     where m.istat_code = d.code and m.population is null`.execute(db);
}

async function ensureRegions(db: Db): Promise<void> {
  await db
    .insertInto('regions')
    .values([
      { region_code: NATIONAL_REGION.code, name: NATIONAL_REGION.name, is_national: true },
      { region_code: DEMO_REGION.code, name: DEMO_REGION.name, is_national: false },
    ])
    .onConflict((oc) => oc.column('region_code').doNothing())
    .execute();
}

/**
 * Insert the demo Region with its municipalities, CPI offices, agency (with accreditation), company
 * and one account per role. Does nothing if Region 10 already has offices. Returns the accounts.
 */
export async function loadDemoRegion(db: Db): Promise<DemoAccounts> {
  const accounts = demoAccounts();
  // The curated ESCO occupations and skills (shared by all Regions); one count query once loaded.
  await ensureCuratedEsco(db);
  if (await regionHasOffices(db, DEMO_REGION.code)) {
    await fillPopulation(db);
    return accounts;
  }

  // Hash before the transaction: ~7 argon2 hashes should not hold the lock. One salt each.
  const hashes = await Promise.all(ACCOUNTS.map(() => hash(DEMO_PASSWORD, DEMO_ARGON2_OPTIONS)));

  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${DEMO_LOAD_LOCK})`.execute(trx);
    // Another process may have loaded the Region while we were hashing.
    if (await regionHasOffices(trx, DEMO_REGION.code)) return;

    await ensureRegions(trx);
    await trx
      .insertInto('municipalities')
      .values(
        DEMO_MUNICIPALITIES.map((m) => ({
          istat_code: m.istatCode,
          region_code: DEMO_REGION.code,
          name: m.name,
          province: m.province,
          belfiore: m.belfiore,
          latitude: m.latitude,
          longitude: m.longitude,
          population: m.population,
        })),
      )
      .onConflict((oc) => oc.column('istat_code').doNothing())
      .execute();

    const officeIds = new Map<string, string>();
    for (const o of DEMO_OFFICES) {
      const { id } = await trx
        .insertInto('offices')
        .values({
          region_code: DEMO_REGION.code,
          name: o.name,
          address: o.address,
          municipality_code: o.municipalityCode,
          hours: o.hours,
          email: o.email,
          phone: o.phone,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      officeIds.set(o.key, id);
    }

    const agency = await trx
      .insertInto('agencies')
      .values({
        region_code: DEMO_REGION.code,
        name: DEMO_AGENCY.name,
        vat_number: DEMO_AGENCY.vatNumber,
        address: DEMO_AGENCY.address,
        municipality_code: DEMO_AGENCY.municipalityCode,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('accreditations')
      .values({
        region_code: DEMO_REGION.code,
        agency_id: agency.id,
        services: [...DEMO_AGENCY.accreditation.services],
        valid_from: DEMO_AGENCY.accreditation.validFrom,
        valid_to: DEMO_AGENCY.accreditation.validTo,
      })
      .execute();

    const company = await trx
      .insertInto('companies')
      .values({
        region_code: DEMO_REGION.code,
        name: DEMO_COMPANY.name,
        vat_number: DEMO_COMPANY.vatNumber,
        fiscal_code: DEMO_COMPANY.fiscalCode,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const now = new Date();
    const users: NewUser[] = ACCOUNTS.map((a, i) => ({
      region_code: a.regionCode,
      role: a.role,
      email: a.email,
      email_verified_at: now,
      phone: a.phone,
      password_hash: hashes[i] ?? null,
      given_name: a.givenName,
      family_name: a.familyName,
      // Every demo account signs in with password + SMS code (captured in /dev/outbox).
      sms_second_factor: true,
      office_id: a.role === 'cpi_operator' ? (officeIds.get('perugia') ?? null) : null,
      agency_id: a.role === 'apl_operator' ? agency.id : null,
      company_id: a.role === 'employer' ? company.id : null,
      company_role: a.role === 'employer' ? ('admin' as const) : null,
      ...(a.role === 'citizen'
        ? {
            fiscal_code: DEMO_CITIZEN.fiscalCode,
            birth_date: DEMO_CITIZEN.birthDate,
            sex: DEMO_CITIZEN.sex,
            birth_place_code: DEMO_CITIZEN.birthPlaceCode,
          }
        : {}),
    }));
    // No `on conflict`: synthetic people never use these emails or the demo citizen's fiscal code,
    // so a conflict is a real problem and should fail loudly.
    await trx.insertInto('users').values(users).execute();
  });
  return accounts;
}

export type LoadSyntheticOptions = {
  count: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Reference date for ages and is_minor; default now. Birth dates are drawn relative to it, so
   * re-runs are only exactly idempotent with the same date: pin it when seeding across days.
   */
  today?: Date | string;
  /** Rows per INSERT statement; default 2,000. */
  batchSize?: number;
};

async function insertBatch(trx: Db, people: SyntheticPerson[], today: string): Promise<number> {
  const col = <T>(f: (p: SyntheticPerson) => T): T[] => people.map(f);
  // One statement with one array parameter per column (unnest) instead of 13 × 2,000 bind
  // parameters: far less to parse and plan, no 65,535-parameter limit.
  const result = await sql`
    insert into users
      (region_code, role, given_name, family_name, sex, birth_date, birth_place_code,
       fiscal_code, email, phone, is_minor)
    select ${DEMO_REGION.code}, 'citizen', t.*
    from unnest(
      ${col((p) => p.givenName)}::text[],
      ${col((p) => p.familyName)}::text[],
      ${col((p) => p.sex)}::text[],
      ${col((p) => p.birthDate)}::date[],
      ${col((p) => p.birthPlaceCode)}::text[],
      ${col((p) => p.fiscalCode)}::text[],
      ${col((p) => p.email)}::text[],
      ${col((p) => p.phone)}::text[],
      ${col((p) => ageOn(p.birthDate, today) < 18)}::boolean[]
    ) as t
    on conflict do nothing`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Insert `count` synthetic citizens of Region 10 (SPID users: no password) in one transaction.
 * Re-running with the same seed and date inserts nothing new (conflicts on fiscal code or email
 * are skipped). Returns how many rows were actually inserted.
 */
export async function loadSyntheticCitizens(
  db: Db,
  options: LoadSyntheticOptions,
): Promise<{ generated: number; inserted: number }> {
  const { count, seed, onProgress } = options;
  const batchSize = options.batchSize ?? 2000;
  const today = toIsoDate(options.today ?? new Date());
  let generated = 0;
  let inserted = 0;
  await ensureRegions(db);
  await db.transaction().execute(async (trx) => {
    let batch: SyntheticPerson[] = [];
    const flush = async () => {
      inserted += await insertBatch(trx, batch, today);
      generated += batch.length;
      batch = [];
      onProgress?.(generated, count);
    };
    for (const person of syntheticPeople({ count, seed, today })) {
      batch.push(person);
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length > 0) await flush();
  });
  return { generated, inserted };
}
