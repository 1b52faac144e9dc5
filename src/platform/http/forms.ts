import type { z } from 'zod';
import type { Translate } from '../i18n/i18n.ts';
import type { FieldErrors, FormValues } from '../ui/forms.tsx';

/** Longest value echoed back into a re-rendered form (the rest is cut, never a crash). */
const MAX_ECHO = 10_000;

/** Form bodies arrive as strings or arrays of strings (repeated fields); keep the first string. */
export function formValues(body: unknown): FormValues {
  const values: FormValues = {};
  if (!body || typeof body !== 'object') return values;
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (key === '_csrf' || key.length > 100) continue;
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (typeof first === 'string') values[key] = first.slice(0, MAX_ECHO);
  }
  return values;
}

export type FormResult<T> =
  | { ok: true; data: T; values: FormValues }
  | { ok: false; errors: FieldErrors; values: FormValues };

/**
 * Validate a form with a zod schema whose messages are i18n keys (e.g. 'errors.required').
 * On failure the person gets one message per field, in their language, and what they typed.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  body: unknown,
  t: Translate,
): FormResult<z.infer<S>> {
  const values = formValues(body);
  const errors: FieldErrors = {};
  // A NUL character is never typed by a person and PostgreSQL refuses it in text, whatever a field's
  // own pattern allows: every form refuses it, on the field that carries it.
  for (const [field, value] of Object.entries(values)) {
    if (value?.includes('\u0000')) errors[field] = t('errors.invalidCharacters');
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values };
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values };
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (errors[field]) continue;
    // Schema messages are i18n keys (e.g. 'errors.required', 'profile.errors.month'); zod's own are not.
    const key = /^[a-zA-Z]+\.[a-zA-Z0-9_.]+$/.test(issue.message) ? issue.message : 'errors.invalid';
    errors[field] = t(key);
  }
  return { ok: false, errors, values };
}

/** Reject control characters other than tab and newlines. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this pattern exists to reject control characters
export const NO_CONTROL_CHARS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

/** All values of a repeated field (checkbox groups), strings only, at most `max`. */
export function formArray(body: unknown, key: string, max = 50): string[] {
  if (!body || typeof body !== 'object') return [];
  const raw = (body as Record<string, unknown>)[key];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string').slice(0, max);
}
