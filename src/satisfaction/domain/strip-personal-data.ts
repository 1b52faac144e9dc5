/**
 * Comments shown to managers carry no personal data: e-mail addresses, telephone numbers, fiscal
 * codes, IBANs and the respondent's own names are replaced by a placeholder. Pure and conservative:
 * a long number is treated as a telephone number even when it is something else.
 */

export type Placeholders = { email: string; phone: string; fiscalCode: string; iban: string; name: string };

export const DEFAULT_PLACEHOLDERS: Placeholders = {
  email: '[e-mail]',
  phone: '[telefono]',
  fiscalCode: '[codice fiscale]',
  iban: '[IBAN]',
  name: '[nome]',
};

const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// Omocodia replaces digits by L M N P Q R S T U V, so each digit position accepts those letters too.
const FISCAL_CODE =
  /(?<![\p{L}\p{N}])[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z](?![\p{L}\p{N}])/giu;
// Two letters, two check digits, then 11 to 30 letters or digits, in groups separated by spaces.
const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}(?![\p{L}\p{N}])/giu;
// A run of digits with spaces, dots, dashes or brackets, optionally with an international prefix.
const PHONE = /(?<![\p{L}\p{N}])(?:\+|00)?\(?\d[\d\s().-]{4,}\d(?![\p{L}\p{N}])/gu;

const digits = (s: string) => s.replace(/\D/g, '').length;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The words of the respondent's names worth removing (two letters or more). */
function nameWords(names: readonly string[]): string[] {
  const words = new Set<string>();
  for (const name of names) {
    const whole = name.trim();
    if (whole.length >= 2) words.add(whole);
    for (const part of whole.split(/[\s]+/)) if (part.length >= 2) words.add(part);
  }
  // Longest first, so "De Luca" goes before "De".
  return [...words].sort((a, b) => b.length - a.length);
}

export function stripPersonalData(
  text: string,
  names: readonly string[] = [],
  placeholders: Placeholders = DEFAULT_PLACEHOLDERS,
): string {
  let out = text.replace(EMAIL, placeholders.email);
  out = out.replace(IBAN, (m) => {
    // The pattern may run on into the words after it ("… 123456 per il"): give back the trailing
    // groups that hold no digit.
    const groups = m.split(' ');
    const rest: string[] = [];
    while (groups.length > 1 && !/\d/.test(groups[groups.length - 1]!)) rest.unshift(groups.pop()!);
    const iban = groups.join('');
    if (digits(iban) < 8 || iban.length < 15 || iban.length > 34) return m;
    return [placeholders.iban, ...rest].join(' ');
  });
  out = out.replace(FISCAL_CODE, placeholders.fiscalCode);
  out = out.replace(PHONE, (m) => {
    const n = digits(m);
    const prefixed = /^(\+|00)/.test(m);
    if (n >= 9 || (prefixed && n >= 8)) {
      // Keep a space the run of separators may have swallowed at its end.
      return m.endsWith(' ') ? `${placeholders.phone} ` : placeholders.phone;
    }
    return m;
  });
  const words = nameWords(names);
  if (words.length > 0) {
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`,
      'giu',
    );
    out = out.replace(pattern, placeholders.name);
  }
  return out;
}
