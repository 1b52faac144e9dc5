import type { Db } from '../../platform/db/database.ts';
import { todayInRome } from './catalogue.ts';

/**
 * A small catalogue for the demo Region (not for production, not used by tests): two providers and
 * a dozen courses in Umbria whose skills are those of common target occupations of the curated ESCO
 * set, starting 2 to 10 weeks from today so that recommendations always have something to show.
 * Idempotent: nothing happens once the demo providers exist.
 */
type DemoCourse = {
  provider: 0 | 1;
  title: string;
  description: string;
  eqf: number;
  mode: 'remote' | 'in_person' | 'blended';
  municipality: string | null;
  inWeeks: number;
  weeks: number;
  hours: number;
  seats: number;
  cost: number;
  funding: 'gol' | 'garanzia_giovani' | 'fse_plus' | 'none';
  skills: string[];
};

const PROVIDERS = [
  {
    name: 'Centro di formazione professionale Umbria (demo)',
    vat: '01234560546',
    accreditation: 'UMB-FP-001',
  },
  { name: 'Accademia del lavoro digitale (demo)', vat: '09876540544', accreditation: 'UMB-FP-002' },
] as const;

const ESCO = 'http://data.europa.eu/esco/skill/';
const S = (id: string) =>
  id.includes('-') && id.length === 36 ? `${ESCO}${id}` : `urn:sportello:skill:${id}`;

// biome-ignore format: one course per line reads as a table
const COURSES: DemoCourse[] = [
  { provider: 0, title: 'Sala e servizio ai tavoli', description: 'Prendere le ordinazioni, servire al tavolo, accogliere i clienti.', eqf: 3, mode: 'in_person', municipality: '054039', inWeeks: 3, weeks: 6, hours: 120, seats: 16, cost: 0, funding: 'gol', skills: ['take-orders', 'serve-food', 'serve-customers'] },
  { provider: 0, title: 'Aiuto cuoco e sicurezza alimentare (HACCP)', description: 'Preparazione dei cibi, pulizia della cucina, HACCP.', eqf: 3, mode: 'in_person', municipality: '054018', inWeeks: 4, weeks: 8, hours: 160, seats: 14, cost: 0, funding: 'gol', skills: ['prepare-food', 'food-safety', 'kitchen-clean'] },
  { provider: 0, title: 'HACCP per alimentaristi', description: 'Il corso obbligatorio per chi lavora con gli alimenti.', eqf: 2, mode: 'remote', municipality: null, inWeeks: 2, weeks: 1, hours: 12, seats: 60, cost: 0, funding: 'fse_plus', skills: ['food-safety', '6816e28f-a48d-41c7-8492-309f50c049fc'] },
  { provider: 0, title: 'Magazzino e logistica con patentino del carrello elevatore', description: 'Stoccaggio, picking, inventario e patentino per il carrello.', eqf: 3, mode: 'blended', municipality: '055032', inWeeks: 5, weeks: 6, hours: 100, seats: 12, cost: 0, funding: 'gol', skills: ['stock-goods', 'pick-orders', 'load-unload', 'inventory', 'forklift'] },
  { provider: 0, title: 'Addetto alle pulizie professionali', description: 'Tecniche e prodotti per la pulizia di uffici e ambienti pubblici.', eqf: 2, mode: 'in_person', municipality: '054039', inWeeks: 2, weeks: 4, hours: 60, seats: 15, cost: 0, funding: 'garanzia_giovani', skills: ['clean-surfaces', 'clean-floors', 'cleaning-products', '6816e28f-a48d-41c7-8492-309f50c049fc'] },
  { provider: 0, title: 'Operatore socio-sanitario (OSS) — qualifica', description: 'La qualifica regionale di OSS: assistenza alla persona, igiene, mobilità.', eqf: 3, mode: 'in_person', municipality: '054039', inWeeks: 8, weeks: 40, hours: 1000, seats: 25, cost: 0, funding: 'fse_plus', skills: ['personal-care', 'mobility-assist', 'observe-health', '6816e28f-a48d-41c7-8492-309f50c049fc'] },
  { provider: 0, title: 'Elettricista civile', description: 'Impianti elettrici civili, verifiche e norme di sicurezza.', eqf: 3, mode: 'in_person', municipality: '054018', inWeeks: 6, weeks: 16, hours: 400, seats: 12, cost: 0, funding: 'gol', skills: ['electrical-install', 'electrical-test', 'electrical-rules', 'read-drawings'] },
  { provider: 0, title: 'Saldatura a filo e a elettrodo', description: 'Saldatura di parti metalliche e dispositivi di protezione.', eqf: 3, mode: 'in_person', municipality: '055032', inWeeks: 7, weeks: 10, hours: 200, seats: 10, cost: 0, funding: 'gol', skills: ['weld', 'weld-protection', 'read-drawings'] },
  { provider: 1, title: 'Vendita e servizio al cliente', description: 'Accoglienza, consiglio e vendita, allestimento, cassa.', eqf: 3, mode: 'blended', municipality: '054013', inWeeks: 3, weeks: 5, hours: 80, seats: 20, cost: 0, funding: 'garanzia_giovani', skills: ['serve-customers', 'sell-products', 'display-goods', 'cash-register'] },
  { provider: 1, title: "Segreteria e lavoro d'ufficio", description: 'Pratiche amministrative, archivio, videoscrittura e fogli di calcolo.', eqf: 4, mode: 'remote', municipality: null, inWeeks: 2, weeks: 8, hours: 120, seats: 30, cost: 0, funding: 'gol', skills: ['office-admin', 'filing', '81633a44-f1db-4a01-a940-804c6905e330', '1973c966-f236-40c9-b2d4-5d71a89019be', 'data-entry'] },
  { provider: 1, title: 'Operatore di call center e assistenza clienti', description: 'Telefono, gestione delle richieste e dei reclami, software CRM.', eqf: 3, mode: 'remote', municipality: null, inWeeks: 4, weeks: 4, hours: 60, seats: 25, cost: 0, funding: 'gol', skills: ['phone', 'customer-service', 'crm', 'data-entry'] },
  { provider: 1, title: 'Receptionist in hotel e uffici', description: 'Accoglienza dei visitatori, telefono, prenotazioni.', eqf: 3, mode: 'in_person', municipality: '054001', inWeeks: 5, weeks: 6, hours: 90, seats: 14, cost: 150, funding: 'none', skills: ['welcome-visitors', 'phone', 'bookings'] },
];

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export async function ensureDemoCatalogue(db: Db, regionCode: string, now = new Date()): Promise<number> {
  const today = todayInRome(now);
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('training_providers')
      .select('id')
      .where('region_code', '=', regionCode)
      .where('vat_number', '=', PROVIDERS[0].vat)
      .executeTakeFirst();
    if (existing) return 0;
    const known = new Set((await trx.selectFrom('esco_skills').select('uri').execute()).map((r) => r.uri));
    const providerIds: string[] = [];
    for (const p of PROVIDERS) {
      const row = await trx
        .insertInto('training_providers')
        .values({
          region_code: regionCode,
          name: p.name,
          vat_number: p.vat,
          accreditation_code: p.accreditation,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      providerIds.push(row.id);
    }
    for (const c of COURSES) {
      const starts = addDays(today, c.inWeeks * 7);
      const course = await trx
        .insertInto('courses')
        .values({
          region_code: regionCode,
          provider_id: providerIds[c.provider]!,
          title: c.title,
          description: c.description,
          eqf_level: c.eqf,
          mode: c.mode,
          municipality_code: c.municipality,
          starts_on: starts,
          ends_on: addDays(starts, c.weeks * 7),
          hours: c.hours,
          seats: c.seats,
          cost_eur: c.cost,
          funding: c.funding,
          search_text: `${c.title} ${PROVIDERS[c.provider].name} ${c.description}`.toLowerCase(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const skills = c.skills.map(S).filter((uri) => known.has(uri));
      if (skills.length > 0)
        await trx
          .insertInto('course_skills')
          .values(skills.map((skill_uri) => ({ region_code: regionCode, course_id: course.id, skill_uri })))
          .execute();
    }
    return COURSES.length;
  });
}
