/**
 * The curated demo Region shipped with Sportello Lavoro: Umbria (ISTAT region code 10).
 * Municipal data is real (public ISTAT/Agenzia delle Entrate codes); offices, agency, company and
 * every contact detail are fictional (".example" domains, 000-numbers) so that nothing reaches a
 * real office or person.
 */

export type DemoRegion = { code: string; name: string; isNational?: boolean };

export const DEMO_REGION = { code: '10', name: 'Umbria' } as const satisfies DemoRegion;

/** Pseudo-region for national-level staff (the Ministry / ANPAL level). */
export const NATIONAL_REGION = {
  code: '00',
  name: 'Livello nazionale',
  isNational: true,
} as const satisfies DemoRegion;

export type DemoMunicipality = {
  /** Six-digit ISTAT code. */
  istatCode: string;
  name: string;
  /** Province abbreviation (sigla). */
  province: string;
  /** Belfiore (cadastral) code, used in the codice fiscale. */
  belfiore: string;
  latitude: number;
  longitude: number;
  /** Resident population (2018), used to weight where synthetic people live. */
  population: number;
};

/**
 * 22 Umbrian municipalities. Source: ISTAT via the comuni-2018 data set (italy_cities.json for
 * codes, province, Belfiore code and population; italy_geo.json for coordinates, rounded to 5
 * decimals). ISTAT codes left-padded to six digits.
 */
// biome-ignore format: one municipality per line reads as a table
export const DEMO_MUNICIPALITIES: readonly DemoMunicipality[] = [
  { istatCode: '054039', name: 'Perugia', province: 'PG', belfiore: 'G478', latitude: 43.10676, longitude: 12.38825, population: 162986 },
  { istatCode: '055032', name: 'Terni', province: 'TR', belfiore: 'L117', latitude: 42.56071, longitude: 12.64669, population: 109382 },
  { istatCode: '054018', name: 'Foligno', province: 'PG', belfiore: 'D653', latitude: 42.9557, longitude: 12.70359, population: 56266 },
  { istatCode: '054013', name: 'Città di Castello', province: 'PG', belfiore: 'C745', latitude: 43.45738, longitude: 12.23815, population: 40016 },
  { istatCode: '054051', name: 'Spoleto', province: 'PG', belfiore: 'I921', latitude: 42.73448, longitude: 12.7383, population: 38123 },
  { istatCode: '054024', name: 'Gubbio', province: 'PG', belfiore: 'E256', latitude: 43.35352, longitude: 12.57876, population: 32355 },
  { istatCode: '054001', name: 'Assisi', province: 'PG', belfiore: 'A475', latitude: 43.07083, longitude: 12.6154, population: 27721 },
  { istatCode: '054002', name: 'Bastia Umbra', province: 'PG', belfiore: 'A710', latitude: 43.06651, longitude: 12.54926, population: 21965 },
  { istatCode: '054015', name: 'Corciano', province: 'PG', belfiore: 'C990', latitude: 43.12855, longitude: 12.2864, population: 20485 },
  { istatCode: '055023', name: 'Orvieto', province: 'TR', belfiore: 'G148', latitude: 42.71818, longitude: 12.10831, population: 21048 },
  { istatCode: '055022', name: 'Narni', province: 'TR', belfiore: 'F844', latitude: 42.51926, longitude: 12.51529, population: 19870 },
  { istatCode: '054052', name: 'Todi', province: 'PG', belfiore: 'L188', latitude: 42.78225, longitude: 12.4069, population: 17022 },
  { istatCode: '054056', name: 'Umbertide', province: 'PG', belfiore: 'D786', latitude: 43.30646, longitude: 12.32693, population: 16628 },
  { istatCode: '054027', name: 'Marsciano', province: 'PG', belfiore: 'E975', latitude: 42.9102, longitude: 12.33954, population: 18817 },
  { istatCode: '054026', name: 'Magione', province: 'PG', belfiore: 'E805', latitude: 43.14261, longitude: 12.20541, population: 14668 },
  { istatCode: '054009', name: 'Castiglione del Lago', province: 'PG', belfiore: 'C309', latitude: 43.12728, longitude: 12.05358, population: 15565 },
  { istatCode: '054023', name: 'Gualdo Tadino', province: 'PG', belfiore: 'E230', latitude: 43.23095, longitude: 12.78483, population: 15484 },
  { istatCode: '055004', name: 'Amelia', province: 'TR', belfiore: 'A262', latitude: 42.5589, longitude: 12.41192, population: 11790 },
  { istatCode: '054035', name: 'Norcia', province: 'PG', belfiore: 'F935', latitude: 42.79236, longitude: 13.09285, population: 4899 },
  { istatCode: '054050', name: 'Spello', province: 'PG', belfiore: 'I888', latitude: 42.99251, longitude: 12.67126, population: 8690 },
  { istatCode: '054017', name: 'Deruta', province: 'PG', belfiore: 'D279', latitude: 42.98224, longitude: 12.4199, population: 9502 },
  { istatCode: '054053', name: 'Torgiano', province: 'PG', belfiore: 'L216', latitude: 43.02573, longitude: 12.43398, population: 6576 },
];

export type BirthPlace = { belfiore: string; name: string; province: string };

/**
 * Italian municipalities outside Umbria used as birth places of test identities (not loaded into the
 * municipalities table). Source: ISTAT via the comuni-2018 data set (italy_cities.json, cod_fisco).
 */
export const OTHER_ITALIAN_BIRTH_PLACES: readonly BirthPlace[] = [
  { belfiore: 'H501', name: 'Roma', province: 'RM' },
  { belfiore: 'F205', name: 'Milano', province: 'MI' },
  { belfiore: 'F839', name: 'Napoli', province: 'NA' },
  { belfiore: 'L219', name: 'Torino', province: 'TO' },
  { belfiore: 'G273', name: 'Palermo', province: 'PA' },
  { belfiore: 'D612', name: 'Firenze', province: 'FI' },
  { belfiore: 'A662', name: 'Bari', province: 'BA' },
  { belfiore: 'C351', name: 'Catania', province: 'CT' },
  { belfiore: 'A390', name: 'Arezzo', province: 'AR' },
  { belfiore: 'M082', name: 'Viterbo', province: 'VT' },
  { belfiore: 'H282', name: 'Rieti', province: 'RI' },
  { belfiore: 'A271', name: 'Ancona', province: 'AN' },
];

export type ForeignState = { belfiore: string; name: string; iso2: string };

/**
 * Foreign states used as birth places (Belfiore "Z" codes). Source: Agenzia delle Entrate / ISTAT
 * table of foreign-state codes ("codici catastali degli Stati esteri", as used by ANPR). Chosen
 * among the largest foreign communities resident in Italy, plus the USA.
 */
export const FOREIGN_STATES: readonly ForeignState[] = [
  { belfiore: 'Z129', name: 'Romania', iso2: 'RO' },
  { belfiore: 'Z100', name: 'Albania', iso2: 'AL' },
  { belfiore: 'Z330', name: 'Marocco', iso2: 'MA' },
  { belfiore: 'Z210', name: 'Cina', iso2: 'CN' },
  { belfiore: 'Z138', name: 'Ucraina', iso2: 'UA' },
  { belfiore: 'Z222', name: 'India', iso2: 'IN' },
  { belfiore: 'Z216', name: 'Filippine', iso2: 'PH' },
  { belfiore: 'Z249', name: 'Bangladesh', iso2: 'BD' },
  { belfiore: 'Z336', name: 'Egitto', iso2: 'EG' },
  { belfiore: 'Z140', name: 'Moldova', iso2: 'MD' },
  { belfiore: 'Z404', name: "Stati Uniti d'America", iso2: 'US' },
];

export type DemoOffice = {
  /** Stable key used by the loader and tests (offices get a random uuid in the database). */
  key: 'perugia' | 'terni' | 'foligno';
  name: string;
  address: string;
  municipalityCode: string;
  hours: string;
  email: string;
  phone: string;
};

/** Centri per l'Impiego. Plausible addresses; email and phone are fictional. */
export const DEMO_OFFICES: readonly DemoOffice[] = [
  {
    key: 'perugia',
    name: 'CPI Perugia',
    address: 'Via Palermo 106, 06124 Perugia PG',
    municipalityCode: '054039',
    hours: 'Lun–Ven 8:30–12:30; Mar e Gio 15:00–17:00',
    email: 'cpi.perugia@sportello.example',
    phone: '+39 075 0000100',
  },
  {
    key: 'terni',
    name: 'CPI Terni',
    address: 'Corso del Popolo 30, 05100 Terni TR',
    municipalityCode: '055032',
    hours: 'Lun–Ven 8:30–12:30; Mar e Gio 15:00–17:00',
    email: 'cpi.terni@sportello.example',
    phone: '+39 0744 000200',
  },
  {
    key: 'foligno',
    name: 'CPI Foligno',
    address: 'Via Mazzini 50, 06034 Foligno PG',
    municipalityCode: '054018',
    hours: 'Lun–Ven 8:30–12:30; Gio 15:00–17:00',
    email: 'cpi.foligno@sportello.example',
    phone: '+39 0742 000300',
  },
];

/** An accredited private employment agency (APL). Fictitious; the partita IVA passes the check digit. */
export const DEMO_AGENCY = {
  name: 'Lavoro Insieme Servizi S.r.l.',
  vatNumber: '03876120548',
  address: 'Via Settevalli 320, 06129 Perugia PG',
  municipalityCode: '054039',
  accreditation: {
    services: ['accoglienza', 'orientamento', 'accompagnamento'],
    validFrom: '2026-01-01',
    validTo: '2027-12-31',
  },
} as const;

/** The employer's company. Fictitious; for companies the codice fiscale is the partita IVA. */
export const DEMO_COMPANY = {
  name: 'Tessiture del Chiascio S.r.l.',
  vatNumber: '04152630549',
  fiscalCode: '04152630549',
} as const;

/** The demo citizen account holder (computed code checked in the unit tests). */
export const DEMO_CITIZEN = {
  givenName: 'Giulia',
  familyName: 'Conti',
  birthDate: '1994-05-14',
  sex: 'F',
  birthPlaceCode: 'G478',
  fiscalCode: 'CNTGLI94E54G478J',
} as const;
