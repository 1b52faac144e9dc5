/**
 * Deterministic synthetic citizens for demos and load tests. Nobody here exists: names are drawn
 * from common-name lists, fiscal codes are computed from the invented data, contacts are fictional.
 * Same seed and same `today` ⇒ same people, in the same order.
 */
import {
  ageOn,
  computeCodiceFiscale,
  foldLetters,
  omocodicVariant,
  type Sex,
  toIsoDate,
} from '../../identity/domain/codice-fiscale.ts';
import { DEMO_CITIZEN, DEMO_MUNICIPALITIES, OTHER_ITALIAN_BIRTH_PLACES } from './demo-region.ts';

export type SyntheticPerson = {
  givenName: string;
  familyName: string;
  sex: Sex;
  /** YYYY-MM-DD */
  birthDate: string;
  /** Belfiore code; Z… when born abroad. */
  birthPlaceCode: string;
  fiscalCode: string;
  email: string;
  phone: string;
  /** ISTAT code of the Umbrian municipality of residence. */
  municipalityCode: string;
};

export type SyntheticPeopleOptions = {
  count: number;
  seed: number;
  /** Reference date for ages (16–67); default: now. Part of the determinism contract. */
  today?: Date | string;
};

/** sfc32, seeded through splitmix32: fast, small, and good enough for test data. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix32 = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

// Common Italian given names (both generations: today's young adults and their parents).
// biome-ignore format: compact word lists
const ITALIAN_MALE = [
  'Marco', 'Luca', 'Giuseppe', 'Francesco', 'Alessandro', 'Andrea', 'Matteo', 'Lorenzo', 'Davide', 'Simone',
  'Federico', 'Riccardo', 'Stefano', 'Paolo', 'Giovanni', 'Antonio', 'Roberto', 'Fabio', 'Massimo', 'Daniele',
  'Emanuele', 'Gabriele', 'Mattia', 'Leonardo', 'Tommaso', 'Nicola', 'Michele', 'Alberto', 'Claudio', 'Enrico',
  'Filippo', 'Giorgio', 'Salvatore', 'Vincenzo', 'Pietro', 'Mario', 'Luigi', 'Sergio', 'Franco', 'Carlo',
  'Maurizio', 'Fabrizio', 'Alessio', 'Diego', 'Christian', 'Edoardo', 'Jacopo', 'Samuele', 'Manuel', 'Valerio',
  'Domenico', 'Raffaele', 'Angelo', 'Giacomo', 'Umberto', 'Bruno', 'Gianluca', 'Niccolò', 'Elia', 'Ettore',
];

// biome-ignore format: compact word lists
const ITALIAN_FEMALE = [
  'Giulia', 'Francesca', 'Chiara', 'Sara', 'Martina', 'Valentina', 'Alessia', 'Federica', 'Elisa', 'Silvia',
  'Laura', 'Anna', 'Maria', 'Elena', 'Giorgia', 'Sofia', 'Aurora', 'Alice', 'Beatrice', 'Ginevra',
  'Emma', 'Greta', 'Noemi', 'Camilla', 'Arianna', 'Paola', 'Roberta', 'Monica', 'Barbara', 'Cristina',
  'Simona', 'Daniela', 'Claudia', 'Lucia', 'Rita', 'Patrizia', 'Antonella', 'Stefania', 'Manuela', 'Michela',
  'Serena', 'Ilaria', 'Veronica', 'Eleonora', 'Irene', 'Marta', 'Caterina', 'Benedetta', 'Rebecca', 'Matilde',
  'Vittoria', 'Angela', 'Rosa', 'Teresa', 'Giovanna', 'Luisa', 'Carla', 'Marina', 'Debora', 'Nicoletta',
];

// Frequent Italian surnames, with a share of typically Umbrian ones.
// biome-ignore format: compact word lists
const ITALIAN_SURNAMES = [
  'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco',
  'Bruno', 'Gallo', 'Conti', 'De Luca', 'Mancini', 'Costa', 'Giordano', 'Rizzo', 'Lombardi', 'Moretti',
  'Barbieri', 'Fontana', 'Santoro', 'Mariani', 'Rinaldi', 'Caruso', 'Ferrara', 'Galli', 'Martini', 'Leone',
  'Longo', 'Gentile', 'Martinelli', 'Vitale', 'Lombardo', 'Serra', 'Coppola', 'De Santis', "D'Angelo", 'Marchetti',
  'Parisi', 'Villa', 'Conte', 'Ferraro', 'Ferri', 'Fabbri', 'Bianco', 'Marini', 'Grasso', 'Valentini',
  'Messina', 'Sala', 'De Angelis', 'Gatti', 'Pellegrini', 'Palumbo', 'Sanna', 'Farina', 'Rizzi', 'Monti',
  'Cattaneo', 'Morelli', 'Amato', 'Silvestri', 'Mazza', 'Testa', 'Grassi', 'Pellegrino', 'Carbone', 'Giuliani',
  'Benedetti', 'Barone', 'Rossetti', 'Caputo', 'Montanari', 'Guerra', 'Palmieri', 'Bernardi', 'Martino', 'Fiore',
  'De Rosa', 'Ferretti', 'Bellini', 'Basile', 'Riva', 'Donati', 'Piras', 'Vitali', 'Battaglia', 'Sartori',
  'Neri', 'Costantini', 'Milani', 'Pagano', 'Ruggiero', 'Sorrentino', "D'Amico", 'Orlando', 'Negri', 'Marras',
  'Baldelli', 'Cecchetti', 'Bartolini', 'Brunelli', 'Mencarelli', 'Cozzari', 'Pazzaglia', 'Bartoccini',
  'Fioroni', 'Ceccarelli', 'Paoletti', 'Tosti', 'Giombini', 'Proietti', 'Boccolini', 'Mariucci', 'Bistocchi',
  'Cerquaglia', 'Mancinelli', 'Angelucci', 'Fratini', 'Lupattelli', 'Pierini', 'Ercolani', 'Moscatelli',
  'Santucci', 'Peppoloni', 'Rosi', 'Ricciarelli', 'Capponi', 'Bocci', 'Sciurpa', 'Morettini', 'Menichelli',
  'Burini', 'Tofanelli', 'Ciani', 'Cruciani', 'Bucci', 'Checcarelli', 'Baldoni', 'Tardioli', 'Sabatini',
  'Mattioli', 'Belardinelli', 'Caproni', 'Franceschini', 'Pucciarini', 'Sannipoli', 'Fiorucci', 'Orsini',
  'Rossini', 'Stella', 'Bellucci', 'Guerrini',
];

type Community = {
  belfiore: string;
  /** Relative share among foreign-born residents (rough ISTAT proportions). */
  weight: number;
  male: readonly string[];
  female: readonly string[];
  surnames: readonly string[];
};

// Largest foreign communities resident in Italy, with names common in each (romanised).
// biome-ignore format: compact word lists
const COMMUNITIES: readonly Community[] = [
  {
    belfiore: 'Z129', // Romania
    weight: 30,
    male: ['Andrei', 'Ionuț', 'Mihai', 'Alexandru', 'Florin', 'Cristian', 'Gheorghe', 'Vasile'],
    female: ['Elena', 'Ioana', 'Maria', 'Andreea', 'Mihaela', 'Alina', 'Georgiana', 'Roxana'],
    surnames: ['Popescu', 'Ionescu', 'Popa', 'Stan', 'Dumitru', 'Constantin', 'Stoica', 'Munteanu', 'Ștefănescu', 'Radu'],
  },
  {
    belfiore: 'Z330', // Marocco
    weight: 12,
    male: ['Mohamed', 'Youssef', 'Hamza', 'Rachid', 'Abdelali', 'Karim', 'Said', 'Mustapha'],
    female: ['Fatima', 'Khadija', 'Salma', 'Imane', 'Nadia', 'Samira', 'Zineb', 'Hanane'],
    surnames: ['El Amrani', 'Benali', 'El Idrissi', 'Bennani', 'Alaoui', 'Tazi', 'Chakir', 'El Fassi', 'Ouali', 'Berrada'],
  },
  {
    belfiore: 'Z100', // Albania
    weight: 12,
    male: ['Arben', 'Ardit', 'Besnik', 'Ermal', 'Gentian', 'Klodian', 'Erion', 'Dritan'],
    female: ['Anila', 'Elona', 'Blerina', 'Ermira', 'Jonida', 'Valbona', 'Alketa', 'Eralda'],
    surnames: ['Hoxha', 'Shehu', 'Leka', 'Gjoka', 'Dervishi', 'Basha', 'Çela', 'Kola', 'Marku', 'Prifti'],
  },
  {
    belfiore: 'Z210', // Cina
    weight: 8,
    male: ['Wei', 'Jian', 'Hao', 'Jun', 'Ming', 'Lei', 'Tao', 'Bin'],
    female: ['Li', 'Mei', 'Xiu', 'Yan', 'Ling', 'Hui', 'Fang', 'Jing'],
    surnames: ['Hu', 'Chen', 'Zhou', 'Wang', 'Zhang', 'Lin', 'Xu', 'Huang', 'Ye', 'Zheng'],
  },
  {
    belfiore: 'Z138', // Ucraina
    weight: 7,
    male: ['Oleksandr', 'Andriy', 'Serhiy', 'Volodymyr', 'Mykola', 'Taras', 'Dmytro', 'Yuriy'],
    female: ['Olena', 'Nataliya', 'Oksana', 'Tetiana', 'Iryna', 'Halyna', 'Svitlana', 'Lyudmyla'],
    surnames: ['Kovalenko', 'Shevchenko', 'Bondarenko', 'Tkachenko', 'Melnyk', 'Kravchenko', 'Boyko', 'Kovalchuk'],
  },
  {
    belfiore: 'Z222', // India
    weight: 5,
    male: ['Gurpreet', 'Rajesh', 'Amit', 'Sandeep', 'Sukhwinder', 'Harjit'],
    female: ['Harpreet', 'Manjit', 'Priya', 'Sunita', 'Kiranjit', 'Pooja'],
    surnames: ['Singh', 'Kumar', 'Sharma', 'Gill', 'Sidhu', 'Sandhu'],
  },
  {
    belfiore: 'Z216', // Filippine
    weight: 4,
    male: ['Jose', 'Mark', 'Rommel', 'Jerome', 'Ramon', 'Arnel'],
    female: ['Maricel', 'Jocelyn', 'Rowena', 'Marites', 'Kristine', 'Analyn'],
    surnames: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Garcia', 'Mendoza', 'Dela Cruz'],
  },
  {
    belfiore: 'Z249', // Bangladesh
    weight: 4,
    male: ['Rahim', 'Shafiqul', 'Kamal', 'Jahid', 'Rasel', 'Sohel'],
    female: ['Nasrin', 'Shirin', 'Taslima', 'Farzana', 'Rupa', 'Sumaiya'],
    surnames: ['Rahman', 'Hossain', 'Islam', 'Ahmed', 'Uddin', 'Miah'],
  },
  {
    belfiore: 'Z336', // Egitto
    weight: 4,
    male: ['Ahmed', 'Mahmoud', 'Mostafa', 'Amr', 'Tarek', 'Hany'],
    female: ['Mona', 'Heba', 'Dina', 'Rania', 'Yasmin', 'Nour'],
    surnames: ['Hassan', 'Ibrahim', 'Ali', 'Abdallah', 'Salem', 'Farouk'],
  },
  {
    belfiore: 'Z140', // Moldova
    weight: 3,
    male: ['Ion', 'Vasile', 'Sergiu', 'Victor', 'Igor', 'Dumitru'],
    female: ['Natalia', 'Tatiana', 'Olga', 'Svetlana', 'Ana', 'Cristina'],
    surnames: ['Rusu', 'Ceban', 'Ciobanu', 'Lungu', 'Cojocaru', 'Turcan'],
  },
];

// Italian mobile prefixes (TIM, Vodafone, WindTre, Iliad, MVNOs).
// biome-ignore format: compact word lists
const MOBILE_PREFIXES = [
  '320', '324', '327', '328', '329', '330', '331', '333', '334', '335', '338', '339', '340', '342', '345',
  '346', '347', '348', '349', '350', '351', '366', '370', '371', '377', '380', '388', '389', '392', '393',
];

/** Share of synthetic people born abroad (foreign-born residents in Umbria are about 10%). */
const FOREIGN_BORN_SHARE = 0.1;
/** Among the Italian-born, share born inside Umbria. */
const BORN_IN_REGION_SHARE = 0.75;

function weightedPicker<T>(items: readonly T[], weight: (item: T) => number, random: () => number): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += weight(item);
    cumulative.push(total);
  }
  return () => {
    const r = random() * total;
    // Lists are short: a linear scan is fine.
    const i = cumulative.findIndex((c) => r < c);
    return items[i < 0 ? items.length - 1 : i]!;
  };
}

const DAY_MS = 24 * 3600 * 1000;

function emailLocalPart(s: string): string {
  return foldLetters(s).toLowerCase();
}

export function* syntheticPeople(options: SyntheticPeopleOptions): Generator<SyntheticPerson> {
  const { count, seed } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  const today = toIsoDate(options.today ?? new Date());
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const residence = weightedPicker(DEMO_MUNICIPALITIES, (m) => m.population, random);
  const community = weightedPicker(COMMUNITIES, (c) => c.weight, random);

  const ty = Number(today.slice(0, 4));
  const tm = Number(today.slice(5, 7));
  const td = Number(today.slice(8, 10));
  // Widest possible range; ages are re-checked below (29 February makes the ends fuzzy).
  const oldest = Date.UTC(ty - 68, tm - 1, td) + DAY_MS;
  const youngest = Date.UTC(ty - 16, tm - 1, td);
  const span = Math.floor((youngest - oldest) / DAY_MS) + 1;

  // The demo citizen account's code is reserved so that both loaders can run in any order.
  const fiscalCodes = new Set<string>([DEMO_CITIZEN.fiscalCode]);
  let produced = 0;
  while (produced < count) {
    const sex: Sex = random() < 0.5 ? 'M' : 'F';
    let givenName: string;
    let familyName: string;
    let birthPlaceCode: string;
    if (random() < FOREIGN_BORN_SHARE) {
      const c = community();
      givenName = pick(sex === 'M' ? c.male : c.female);
      familyName = pick(c.surnames);
      birthPlaceCode = c.belfiore;
    } else {
      givenName = pick(sex === 'M' ? ITALIAN_MALE : ITALIAN_FEMALE);
      familyName = pick(ITALIAN_SURNAMES);
      birthPlaceCode =
        random() < BORN_IN_REGION_SHARE ? residence().belfiore : pick(OTHER_ITALIAN_BIRTH_PLACES).belfiore;
    }
    const birthDate = new Date(oldest + Math.floor(random() * span) * DAY_MS).toISOString().slice(0, 10);
    const age = ageOn(birthDate, today);
    if (age < 16 || age > 67) continue;

    // Two invented people can share a code: use omocodia as the Agenzia delle Entrate does, or skip.
    const base = computeCodiceFiscale({ givenName, familyName, birthDate, sex, birthPlaceCode });
    let fiscalCode = base;
    for (let level = 1; level <= 7 && fiscalCodes.has(fiscalCode); level++) {
      fiscalCode = omocodicVariant(base, level);
    }
    if (fiscalCodes.has(fiscalCode)) continue;
    fiscalCodes.add(fiscalCode);

    const municipalityCode = residence().istatCode;
    const phone = `+39 ${pick(MOBILE_PREFIXES)} ${String(Math.floor(random() * 10_000_000)).padStart(7, '0')}`;
    produced++;
    yield {
      givenName,
      familyName,
      sex,
      birthDate,
      birthPlaceCode,
      fiscalCode,
      // The running number keeps addresses unique within a run and stable across re-runs.
      email: `${emailLocalPart(givenName)}.${emailLocalPart(familyName)}.${produced}@demo.sportello.example`,
      phone,
      municipalityCode,
    };
  }
}

/** Sizes of the name lists, for tests and documentation. */
export const NAME_LIST_SIZES = {
  italianMale: ITALIAN_MALE.length,
  italianFemale: ITALIAN_FEMALE.length,
  italianSurnames: ITALIAN_SURNAMES.length,
  communities: COMMUNITIES.length,
};
