import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';

/**
 * The demo company's public profile and a few published vacancies (not for production), on occupations
 * of the curated ESCO set with their essential skills, in Umbrian towns, expiring 4 to 10 weeks from
 * today, so job search, matching and candidate search have something to show. Idempotent: nothing
 * happens once the demo company has any vacancy.
 */
type DemoVacancy = {
  occupation: string; // English label in the curated set
  title: string;
  description: string;
  municipality: string | null; // null: fully remote
  contract:
    | 'indeterminato'
    | 'determinato'
    | 'apprendistato'
    | 'somministrazione'
    | 'tirocinio'
    | 'stagionale';
  hours: 'full_time' | 'part_time';
  eqf: number;
  pay: [number, number, 'hour' | 'month' | 'year'] | null;
  inWeeks: number;
  seasonal?: boolean;
  l68?: boolean;
  licence?: 'B' | 'C';
  languages?: [string, 'A2' | 'B1' | 'B2' | 'C1'][];
};

// biome-ignore format: one vacancy per line reads as a table
const VACANCIES: DemoVacancy[] = [
  { occupation: 'textile machine operator', title: 'Operatore/operatrice di telai', description: 'Conduzione di telai per tessuti d\u2019arredamento, controllo della qualità e piccola manutenzione. Formazione in azienda.', municipality: '054039', contract: 'indeterminato', hours: 'full_time', eqf: 3, pay: [1450, 1700, 'month'], inWeeks: 8, languages: [['it', 'B1']] },
  { occupation: 'sewing machine operator', title: 'Cucitrice industriale', description: 'Confezione di tende e biancheria per la casa su macchine lineari e tagliacuci. Turno centrale.', municipality: '054018', contract: 'determinato', hours: 'full_time', eqf: 2, pay: [1350, 1500, 'month'], inWeeks: 6 },
  { occupation: 'warehouse worker', title: 'Magazziniere con patentino del carrello', description: 'Ricevimento merci, stoccaggio, preparazione degli ordini e inventario del magazzino tessuti.', municipality: '054039', contract: 'somministrazione', hours: 'full_time', eqf: 3, pay: [9.5, 11, 'hour'], inWeeks: 4, licence: 'B' },
  { occupation: 'shop assistant', title: 'Addetto/a alle vendite nello spaccio aziendale', description: 'Accoglienza dei clienti, consiglio sui tessuti, allestimento e cassa. Anche il sabato.', municipality: '054001', contract: 'determinato', hours: 'part_time', eqf: 3, pay: [900, 1000, 'month'], inWeeks: 5, languages: [['en', 'A2']] },
  { occupation: 'waiter/waitress', title: 'Cameriere/a per la stagione estiva', description: 'Servizio ai tavoli nella mensa aziendale e negli eventi estivi della fondazione.', municipality: '054051', contract: 'stagionale', hours: 'full_time', eqf: 2, pay: [1300, 1400, 'month'], inWeeks: 10, seasonal: true },
  { occupation: 'industrial machinery mechanic', title: 'Manutentore meccanico', description: 'Manutenzione preventiva e guasti su telai e orditoi; lettura di schemi; reperibilità a turno.', municipality: '055032', contract: 'indeterminato', hours: 'full_time', eqf: 4, pay: [1700, 2100, 'month'], inWeeks: 8, licence: 'B' },
  { occupation: 'receptionist', title: 'Receptionist e centralino', description: 'Accoglienza dei visitatori, centralino, prenotazione delle sale e posta. Posto riservato al collocamento mirato.', municipality: '054039', contract: 'indeterminato', hours: 'part_time', eqf: 4, pay: [1000, 1150, 'month'], inWeeks: 7, l68: true, languages: [['en', 'B1']] },
  { occupation: 'shop manager', title: 'Responsabile del negozio online (da remoto)', description: 'Gestione del catalogo online, degli ordini e dell\u2019assistenza ai clienti, da casa.', municipality: null, contract: 'determinato', hours: 'full_time', eqf: 5, pay: [24000, 28000, 'year'], inWeeks: 6, languages: [['en', 'B2']] },
];

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function ensureDemoVacancies(db: Db, regionCode: string, now = new Date()): Promise<number> {
  const today = dateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(now);
  return db.transaction().execute(async (trx) => {
    const company = await trx
      .selectFrom('companies')
      .select('id')
      .where('region_code', '=', regionCode)
      .orderBy('created_at')
      .executeTakeFirst();
    const employer = company
      ? await trx
          .selectFrom('users')
          .select('id')
          .where('region_code', '=', regionCode)
          .where('company_id', '=', company.id)
          .executeTakeFirst()
      : undefined;
    if (!company || !employer) return 0;
    // The demo company's public profile (sector, size, page address, head office), when still empty.
    await trx
      .updateTable('companies')
      .set({
        ateco_section: 'C',
        ateco_code: '13.20',
        size_band: 'small',
        description:
          'Tessitura di tessuti per l\u2019arredamento e la casa, fondata in Umbria; forma in azienda chi entra.',
        public_slug: 'tessiture-del-chiascio',
      })
      .where('region_code', '=', regionCode)
      .where('id', '=', company.id)
      .where('public_slug', 'is', null)
      .execute();
    const hq = await trx
      .selectFrom('company_sites')
      .select('id')
      .where('region_code', '=', regionCode)
      .where('company_id', '=', company.id)
      .executeTakeFirst();
    if (!hq) {
      await trx
        .insertInto('company_sites')
        .values({
          region_code: regionCode,
          company_id: company.id,
          municipality_code: '054039',
          address: 'Via dei Tessitori 12',
          headquarters: true,
        })
        .execute();
    }
    const any = await trx
      .selectFrom('vacancies')
      .select('id')
      .where('region_code', '=', regionCode)
      .where('company_id', '=', company.id)
      .executeTakeFirst();
    if (any) return 0;
    let made = 0;
    for (const v of VACANCIES) {
      const occupation = await trx
        .selectFrom('esco_occupations')
        .select(['uri', 'isco_code'])
        .where('label_en', '=', v.occupation)
        .executeTakeFirst();
      const row = await trx
        .insertInto('vacancies')
        .values({
          region_code: regionCode,
          company_id: company.id,
          title: v.title,
          description: v.description,
          occupation_uri: occupation?.uri ?? null,
          eqf_required: v.eqf,
          municipality_code: v.municipality,
          remote: v.municipality ? 'no' : 'full',
          contract_type: v.contract,
          hours: v.hours,
          pay_min: v.pay ? Math.round(v.pay[0]) : null,
          pay_max: v.pay ? Math.round(v.pay[1]) : null,
          pay_period: v.pay ? v.pay[2] : null,
          expires_on: addDays(today, v.inWeeks * 7),
          reserved_l68: v.l68 ?? false,
          seasonal: v.seasonal ?? false,
          driving_licence: v.licence ?? null,
          safety_info:
            'Dispositivi di protezione forniti dall\u2019azienda; formazione sulla sicurezza (D.Lgs. 81/2008) il primo giorno.',
          status: 'published',
          published_at: now,
          created_by: employer.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (occupation) {
        await sql`insert into vacancy_skills (region_code, vacancy_id, skill_uri, essential)
          select ${regionCode}, ${row.id}::uuid, skill_uri, relation = 'essential'
            from esco_occupation_skills where occupation_uri = ${occupation.uri}
          on conflict do nothing`.execute(trx);
      }
      for (const [language, level] of v.languages ?? []) {
        await trx
          .insertInto('vacancy_languages')
          .values({ region_code: regionCode, vacancy_id: row.id, language, level })
          .execute();
      }
      await trx
        .insertInto('vacancy_events')
        .values({ region_code: regionCode, vacancy_id: row.id, event: 'published', reason: 'demo' })
        .execute();
      made++;
    }
    return made;
  });
}
