import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * NIST SP 800-63B style: 8 to 128 characters, any characters, no composition rules, refused when it
 * is a common password. The list is the common-passwords dictionary of @zxcvbn-ts/language-common.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

let common: Set<string> | null = null;

function commonPasswords(): Set<string> {
  if (common) return common;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@zxcvbn-ts/language-common/dist/passwords.json.js');
  const text = readFileSync(file, 'utf8');
  const match = /var passwords = "([^"]*)"/.exec(text);
  common = new Set((match?.[1] ?? '').split(','));
  // A few Italian favourites the English list lacks.
  for (const p of [
    'password1',
    'passw0rd',
    'ciao1234',
    'juventus',
    'forzainter',
    'forzamilan',
    'napoli1926',
    'francesca',
    'qwertyuiop',
    'amoremio',
    'tiamo123',
    'sportello',
  ]) {
    common.add(p);
  }
  return common;
}

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'same_as_email';

export function checkPassword(password: string, email?: string | null): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'too_short';
  if (length > PASSWORD_MAX) return 'too_long';
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'common';
  if (email && lower === email.toLowerCase()) return 'same_as_email';
  return null;
}

export function commonPasswordCount(): number {
  return commonPasswords().size;
}
