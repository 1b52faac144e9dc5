/**
 * Italian personal fiscal code (codice fiscale, DM 23/12/1976 and DPR 605/1973), pure functions.
 *
 * Layout (16 characters): SSS NNN YY M DD PPPP C
 *   SSS surname letters, NNN given-name letters, YY year, M month letter, DD day (+40 for women),
 *   PPPP Belfiore code of the birth place (Z… for a foreign state), C check character.
 * Omocodia: when two people would share a code, the Agenzia delle Entrate replaces digits, starting
 * from the rightmost, with the letters LMNPQRSTUV (0…9). Both forms stay valid identifiers.
 */

export type Sex = 'M' | 'F';

export type CodiceFiscaleInfo = {
  ok: true;
  /** The normalised code, exactly as given (omocodic letters kept). */
  value: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  /** Belfiore (cadastral) code with omocodic letters decoded, e.g. H501, or Z404 for abroad. */
  birthPlaceCode: string;
  bornAbroad: boolean;
};

export type CodiceFiscaleError = { ok: false; reason: 'format' | 'check_character' | 'date' };

export type CodiceFiscaleResult = CodiceFiscaleInfo | CodiceFiscaleError;

export type CodiceFiscaleInput = {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  /** Belfiore code: one letter and three digits, e.g. G478 (Perugia) or Z129 (Romania). */
  birthPlaceCode: string;
};

const MONTHS = 'ABCDEHLMPRST';
const OMOCODIA = 'LMNPQRSTUV';
/** 0-based indexes of the characters that are digits in a non-omocodic code. */
const DIGIT_POSITIONS = [6, 7, 9, 10, 12, 13, 14] as const;
const PATTERN = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;

// Values of characters in odd positions (1st, 3rd, …), indexed by 0-9 then A-Z; digits share the
// value of the letter with the same index (0 = A, 1 = B, …).
const ODD_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

function charIndex(c: string): number {
  const code = c.charCodeAt(0);
  return code >= 48 && code <= 57 ? code - 48 : code - 65;
}

/** The check character of the first 15 characters (already uppercase, letters or digits). */
export function checkCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const index = charIndex(first15.charAt(i));
    // Position i is 0-based: even i is an odd (1st, 3rd…) position in the official tables.
    sum += i % 2 === 0 ? (ODD_VALUES[index] ?? 0) : index;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/**
 * Whether an uppercase text has the shape of a person's codice fiscale (omocodic ones included),
 * whatever its check character: a search box can tell a fiscal code from a name with it.
 */
export function hasCodiceFiscaleShape(s: string): boolean {
  return PATTERN.test(s);
}

export function normaliseCodiceFiscale(s: string): string {
  return s.trim().replace(/\s+/g, '').toUpperCase();
}

/** Replace omocodic letters with the digits they stand for. */
function decodeOmocodia(code: string): string {
  const chars = code.split('');
  for (const p of DIGIT_POSITIONS) {
    const c = chars[p] ?? '';
    const digit = OMOCODIA.indexOf(c);
    if (digit >= 0) chars[p] = String(digit);
  }
  return chars.join('');
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Calendar date of `today` as YYYY-MM-DD; a Date is read in the server's local time zone. */
export function toIsoDate(today: Date | string): string {
  if (typeof today === 'string') return today;
  return `${today.getFullYear()}-${pad2(today.getMonth() + 1)}-${pad2(today.getDate())}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseIsoDate(s: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/**
 * Validate a personal codice fiscale and decode it. The two-digit year is placed in the most recent
 * century that does not put the birth date after `today` (a 100-year ambiguity is inherent).
 */
export function validateCodiceFiscale(s: string, today: Date | string = new Date()): CodiceFiscaleResult {
  const value = normaliseCodiceFiscale(s);
  if (!PATTERN.test(value)) return { ok: false, reason: 'format' };
  if (checkCharacter(value) !== value.charAt(15)) return { ok: false, reason: 'check_character' };

  const plain = decodeOmocodia(value);
  const yy = Number(plain.slice(6, 8));
  const month = MONTHS.indexOf(plain.charAt(8)) + 1;
  const rawDay = Number(plain.slice(9, 11));
  const sex: Sex = rawDay > 40 ? 'F' : 'M';
  const day = sex === 'F' ? rawDay - 40 : rawDay;
  if (day < 1 || day > 31) return { ok: false, reason: 'date' };

  const todayIso = toIsoDate(today);
  const todayYear = Number(todayIso.slice(0, 4));
  let year = todayYear - (todayYear % 100) + yy;
  // ISO strings compare correctly as text.
  if (`${year}-${pad2(month)}-${pad2(day)}` > todayIso) year -= 100;
  if (day > daysInMonth(year, month)) return { ok: false, reason: 'date' };

  const birthPlaceCode = plain.slice(11, 15);
  return {
    ok: true,
    value,
    birthDate: `${year}-${pad2(month)}-${pad2(day)}`,
    sex,
    birthPlaceCode,
    bornAbroad: birthPlaceCode.startsWith('Z'),
  };
}

// Letters NFD does not decompose into a base letter plus marks.
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'SS',
  Æ: 'AE',
  Œ: 'OE',
  Ø: 'O',
  Ł: 'L',
  Đ: 'D',
  Þ: 'TH',
};

/** Uppercase A-Z letters only: accents folded (È → E, Ș → S), spaces and apostrophes dropped. */
export function foldLetters(s: string): string {
  return s
    .toUpperCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßÆŒØŁĐÞ]/g, (c) => SPECIAL_LETTERS[c] ?? '')
    .replace(/[^A-Z]/g, '');
}

function split(letters: string): { consonants: string; vowels: string } {
  let consonants = '';
  let vowels = '';
  for (const c of letters) {
    if ('AEIOU'.includes(c)) vowels += c;
    else consonants += c;
  }
  return { consonants, vowels };
}

function surnamePart(familyName: string): string {
  const { consonants, vowels } = split(foldLetters(familyName));
  return `${consonants}${vowels}XXX`.slice(0, 3);
}

function givenNamePart(givenName: string): string {
  const { consonants, vowels } = split(foldLetters(givenName));
  // With four or more consonants the name takes the 1st, 3rd and 4th.
  if (consonants.length >= 4) return `${consonants[0]}${consonants[2]}${consonants[3]}`;
  return `${consonants}${vowels}XXX`.slice(0, 3);
}

/**
 * Compute the (non-omocodic) codice fiscale. Throws RangeError on an impossible date, a malformed
 * Belfiore code or a name without letters: callers pass already-validated data.
 */
export function computeCodiceFiscale(input: CodiceFiscaleInput): string {
  const date = parseIsoDate(input.birthDate);
  if (!date) throw new RangeError(`Invalid birth date: ${input.birthDate}`);
  const place = input.birthPlaceCode.toUpperCase();
  if (!/^[A-Z]\d{3}$/.test(place)) throw new RangeError(`Invalid Belfiore code: ${input.birthPlaceCode}`);
  if (foldLetters(input.familyName) === '' || foldLetters(input.givenName) === '') {
    throw new RangeError('Given name and family name need at least one letter');
  }
  const day = input.sex === 'F' ? date.day + 40 : date.day;
  const first15 =
    surnamePart(input.familyName) +
    givenNamePart(input.givenName) +
    pad2(date.year % 100) +
    MONTHS.charAt(date.month - 1) +
    pad2(day) +
    place;
  return first15 + checkCharacter(first15);
}

/**
 * The omocodic variant of `code` at `level` (1…7): the `level` rightmost digit positions replaced
 * by their letters, check character recomputed, as the Agenzia delle Entrate assigns them.
 */
export function omocodicVariant(code: string, level: number): string {
  if (!Number.isInteger(level) || level < 1 || level > DIGIT_POSITIONS.length) {
    throw new RangeError(`Omocodia level must be 1…${DIGIT_POSITIONS.length}`);
  }
  const chars = decodeOmocodia(normaliseCodiceFiscale(code)).slice(0, 15).split('');
  for (const p of DIGIT_POSITIONS.slice(DIGIT_POSITIONS.length - level)) {
    chars[p] = OMOCODIA.charAt(Number(chars[p]));
  }
  const first15 = chars.join('');
  return first15 + checkCharacter(first15);
}

/** Whole years between `birthDate` (YYYY-MM-DD) and `today`; a 29 February birthday falls on 1 March. */
export function ageOn(birthDate: string, today: Date | string = new Date()): number {
  const b = parseIsoDate(birthDate);
  const t = parseIsoDate(toIsoDate(today));
  if (!b || !t) throw new RangeError('Invalid date');
  const hadBirthday = t.month > b.month || (t.month === b.month && t.day >= b.day);
  return t.year - b.year - (hadBirthday ? 0 : 1);
}

/**
 * Partita IVA (also the codice fiscale of companies): 11 digits, the last a Luhn-style check digit.
 */
export function isValidPartitaIva(s: string): boolean {
  const v = s.trim();
  if (!/^\d{11}$/.test(v)) return false;
  return partitaIvaCheckDigit(v.slice(0, 10)) === Number(v.charAt(10));
}

/** The check digit for the first 10 digits of a partita IVA. */
export function partitaIvaCheckDigit(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = Number(first10.charAt(i));
    if (i % 2 === 0) sum += d;
    else sum += d * 2 > 9 ? d * 2 - 9 : d * 2;
  }
  return (10 - (sum % 10)) % 10;
}
