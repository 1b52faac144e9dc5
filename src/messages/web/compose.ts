import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import { readMultipart, sniffUploadType } from '../../platform/http/uploads.ts';
import type { FieldErrors, FormValues } from '../../platform/ui/forms.tsx';
import {
  cleanFilename,
  isTemplateId,
  MAX_BODY,
  MAX_FILE_BYTES,
  MAX_SUBJECT,
  type TemplateId,
  uploadProblem,
} from '../domain/rules.ts';
import {
  addDraftFile,
  draftFiles,
  isUuid,
  type MessagesDeps,
  removeDraftFile,
} from '../use-cases/messages.ts';

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'errors.required')
    .max(max, 'errors.tooLong')
    .regex(NO_CONTROL_CHARS, 'errors.invalidCharacters');

const schemaFor = (subject: boolean) =>
  z.object({
    body: text(MAX_BODY),
    template: z.string().optional(),
    ...(subject ? { subject: text(MAX_SUBJECT) } : {}),
  });

export type Composed = {
  body: string;
  subject: string;
  template: TemplateId | null;
  draftId: string;
  fields: Record<string, string>;
};

/** What to do with a posted message form: show it again (with errors or a template) or send it. */
export type ComposeOutcome =
  | { kind: 'render'; values: FormValues; errors: FieldErrors; status: number }
  | { kind: 'send'; message: Composed; values: FormValues };

/**
 * One handler for every message form. The buttons: "send" (default), "attach" (keep one more
 * file on the draft), "template" (fill the text from a template, operators only) and
 * "remove:<file id>". A valid file is kept on the draft even when the text has an error, so it is
 * not lost; the typed text always comes back.
 */
export async function handleCompose(
  deps: MessagesDeps,
  req: FastifyRequest,
  opts: {
    subject: boolean;
    /** Operators: fill the subject and text from a template in the person's language. */
    template?: (id: TemplateId) => { subject: string; body: string };
    /** More fields to check before sending (recipient, office); returns errors by field. */
    extra?: (fields: Record<string, string>) => FieldErrors;
  },
): Promise<ComposeOutcome> {
  const user = req.ctx.user!;
  const t = req.ctx.t;
  const { fields, files } = await readMultipart(req.body);
  const draftId = isUuid(fields.draft) ? fields.draft : randomUUID();
  const values: FormValues = { ...fields, draft: draftId };
  delete values._csrf;
  delete values.do;
  const action = fields.do ?? 'send';
  const errors: FieldErrors = {};

  if (action.startsWith('remove:')) {
    await removeDraftFile(deps.db, user, draftId, action.slice('remove:'.length));
    return { kind: 'render', values, errors, status: 200 };
  }

  const file = files.find((f) => f.field === 'file' && (f.data.length > 0 || f.filename !== ''));
  if (file) {
    const already = (await draftFiles(deps.db, user, draftId)).length;
    const type = sniffUploadType(file.data);
    const problem = uploadProblem({
      size: file.data.length,
      truncated: file.truncated,
      sniffedType: type,
      alreadyAttached: already,
    });
    if (problem || !type) {
      errors.file = t(`messages.errors.${problem ?? 'wrong_type'}`, {
        mb: Math.floor(MAX_FILE_BYTES / 1048576),
      });
    } else {
      const added = await addDraftFile(deps.db, user, draftId, {
        filename: cleanFilename(file.filename, t('messages.defaultFilename')),
        contentType: type,
        content: file.data,
      });
      if (added === 'too_many') errors.file = t('messages.errors.too_many');
    }
  }

  if (action === 'template' && opts.template) {
    if (!isTemplateId(fields.template)) {
      errors.template = t('errors.choose');
      return { kind: 'render', values, errors, status: 400 };
    }
    const filled = opts.template(fields.template);
    values.body = filled.body;
    if (opts.subject) values.subject = filled.subject;
    return { kind: 'render', values, errors, status: errors.file ? 400 : 200 };
  }

  if (action === 'attach') {
    if (!file) errors.file = t('messages.errors.no_file');
    return { kind: 'render', values, errors, status: errors.file ? 400 : 200 };
  }
  // Only the "send" button sends; anything else shows the form again.
  if (action !== 'send') return { kind: 'render', values, errors, status: errors.file ? 400 : 200 };

  const form = parseForm(schemaFor(opts.subject), fields, t);
  const all: FieldErrors = { ...(form.ok ? {} : form.errors), ...errors, ...(opts.extra?.(fields) ?? {}) };
  if (Object.values(all).some(Boolean) || !form.ok)
    return { kind: 'render', values, errors: all, status: 400 };
  const template = isTemplateId(fields.template) ? fields.template : null;
  return {
    kind: 'send',
    values,
    message: {
      body: form.data.body,
      subject: 'subject' in form.data ? String(form.data.subject) : '',
      template,
      draftId,
      fields,
    },
  };
}

/** A fresh form: a new draft id. */
export function freshValues(extra: FormValues = {}): FormValues {
  return { draft: randomUUID(), ...extra };
}
