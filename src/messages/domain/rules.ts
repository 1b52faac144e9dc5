/**
 * The rules of a secure message, pure: limits on text and attachments, and the templates operators
 * start from. Texts of the templates live in locales (messages.templates.<id>.subject/body), written
 * in the person's language when the operator picks one.
 */
export const MAX_BODY = 5000;
export const MAX_SUBJECT = 200;
export const MAX_FILES = 3;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export const TEMPLATE_IDS = [
  'document_request',
  'appointment_reminder',
  'pact_to_sign',
  'job_offer',
  'obligations_reminder',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export function isTemplateId(value: unknown): value is TemplateId {
  return typeof value === 'string' && (TEMPLATE_IDS as readonly string[]).includes(value);
}

export type UploadProblem = 'empty' | 'too_large' | 'wrong_type' | 'too_many';

/**
 * Whether one more file may join a message that already has `alreadyAttached`: the real type
 * (sniffed from the bytes, null when not PDF/JPEG/PNG), the size and the count. Null when fine.
 */
export function uploadProblem(file: {
  size: number;
  truncated: boolean;
  sniffedType: string | null;
  alreadyAttached: number;
}): UploadProblem | null {
  if (file.alreadyAttached >= MAX_FILES) return 'too_many';
  if (file.size === 0) return 'empty';
  if (file.truncated || file.size > MAX_FILE_BYTES) return 'too_large';
  if (file.sniffedType === null) return 'wrong_type';
  return null;
}

/** A file name safe to store and show: no path, no control characters, at most 200 characters. */
export function cleanFilename(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((c) => {
      const code = c.charCodeAt(0);
      return code >= 0x20 && code !== 0x7f;
    })
    .join('')
    .trim();
  return (clean || fallback).slice(0, 200);
}
