/**
 * The Italian VAT number (partita IVA): 11 digits — 7 for the taxpayer, 3 for the tax office
 * (001–100 provincial offices, 120 and 121, 888 and 999 for special cases), and a check digit
 * computed like Luhn's: digits in odd places (1st, 3rd, … 9th) are added as they are, digits in even
 * places are doubled (minus 9 when over 9), and the check digit brings the sum to a multiple of 10.
 * Source: D.P.R. 633/1972 art. 35 and the Agenzia delle Entrate specification of the number
 * (Decreto ministeriale 23 dicembre 1976).
 */
export type PartitaIvaCheck =
  | { ok: true; value: string; office: string }
  | { ok: false; reason: 'format' | 'office' | 'checkDigit' };

const SPECIAL_OFFICES = new Set(['120', '121', '888', '999']);

export function checkDigitOf(first10: string): number {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = first10.charCodeAt(i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Validates a partita IVA as a person types it: spaces and an "IT" prefix are accepted. */
export function validatePartitaIva(input: string): PartitaIvaCheck {
  const value = input.replace(/\s+/g, '').replace(/^IT/i, '');
  if (!/^\d{11}$/.test(value) || /^0{11}$/.test(value)) return { ok: false, reason: 'format' };
  const office = value.slice(7, 10);
  const n = Number(office);
  if (!((n >= 1 && n <= 100) || SPECIAL_OFFICES.has(office))) return { ok: false, reason: 'office' };
  if (checkDigitOf(value) !== Number(value[10])) return { ok: false, reason: 'checkDigit' };
  return { ok: true, value, office };
}
