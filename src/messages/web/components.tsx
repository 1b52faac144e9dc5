import type { RequestContext } from '../../platform/http/context.ts';
import { dateTimeFormat } from '../../platform/i18n/format.ts';
import {
  CsrfField,
  type FieldErrors,
  type FormValues,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { MAX_BODY, MAX_FILE_BYTES, MAX_FILES, MAX_SUBJECT, TEMPLATE_IDS } from '../domain/rules.ts';
import type { DraftFile, Thread, threadMessages } from '../use-cases/messages.ts';

type Message = Awaited<ReturnType<typeof threadMessages>>[number];

export function fmtWhen(ctx: RequestContext, d: Date): string {
  return dateTimeFormat(ctx.lang, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Rome',
  }).format(d);
}

const kb = (size: number) => Math.max(1, Math.round(size / 1024));

/**
 * The message form, the same for a new thread and a reply. It works without JavaScript: the files
 * are added one at a time ("Allega questo file" keeps the text and shows the file in the list), an
 * operator fills the text from a template with "Usa il modello", and "Invia" sends everything.
 */
export function ComposeForm(props: {
  ctx: RequestContext;
  action: string;
  values: FormValues;
  errors: FieldErrors;
  drafts: DraftFile[];
  subject?: boolean;
  /** Operators: the templates, written in this language (the person's). */
  templateLanguage?: string | undefined;
  /** Citizens writing for the first time: the offices to choose from. */
  offices?: { value: string; label: string }[] | undefined;
  /** Citizens with a three-party pact: write to the CPI or to the agency. */
  recipients?: { value: string; label: string }[] | undefined;
  submitLabel: string;
}) {
  const { ctx, values, errors } = props;
  const { t } = ctx;
  return (
    <form method="post" action={props.action} enctype="multipart/form-data" novalidate>
      <CsrfField ctx={ctx} />
      {/* Enter in a text field sends (the first submit button is the default one), never removes a file. */}
      {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: tabindex -1 keeps it out of the tab order and screen readers get the visible "Invia" button */}
      <button type="submit" name="do" value="send" class="visually-hidden" tabindex={-1} aria-hidden="true">
        {props.submitLabel}
      </button>
      <input type="hidden" name="draft" value={values.draft ?? ''} />
      {props.offices && (
        <SelectField
          name="officeId"
          label={t('messages.compose.office')}
          hint={t('messages.compose.officeHint')}
          values={values}
          errors={errors}
          options={[{ value: '', label: t('form.choose') }, ...props.offices]}
        />
      )}
      {props.recipients && (
        <RadioGroup
          name="to"
          label={t('messages.compose.to')}
          values={values}
          errors={errors}
          options={props.recipients}
        />
      )}
      {props.templateLanguage !== undefined && (
        <fieldset class="mb-4">
          <legend class="sl-label">{t('messages.compose.templateLegend')}</legend>
          <SelectField
            name="template"
            label={t('messages.compose.template')}
            hint={t('messages.compose.templateHint', {
              language: t(`messages.languages.${props.templateLanguage}`),
            })}
            values={values}
            errors={errors}
            options={[
              { value: '', label: t('messages.compose.noTemplate') },
              ...TEMPLATE_IDS.map((id) => ({ value: id, label: t(`messages.templates.${id}.label`) })),
            ]}
          />
          <button type="submit" name="do" value="template" class="btn btn-outline-primary">
            {t('messages.compose.useTemplate')}
          </button>
        </fieldset>
      )}
      {props.subject && (
        <TextField
          name="subject"
          label={t('messages.compose.subject')}
          values={values}
          errors={errors}
          maxLength={MAX_SUBJECT}
        />
      )}
      <TextArea
        name="body"
        label={t('messages.compose.body')}
        hint={t('messages.compose.bodyHint', { max: MAX_BODY })}
        values={values}
        errors={errors}
        rows={8}
        maxLength={MAX_BODY}
      />
      <fieldset class="mb-4">
        <legend class="sl-label">{t('messages.compose.files')}</legend>
        {props.drafts.length > 0 ? (
          <ul class="list-unstyled">
            {props.drafts.map((f) => (
              <li class="mb-2">
                {t('messages.file', { name: f.filename, size: kb(f.size) })}{' '}
                <button
                  type="submit"
                  name="do"
                  value={`remove:${f.id}`}
                  class="btn btn-outline-primary btn-sm"
                >
                  {t('messages.compose.remove', { name: f.filename })}
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p class="mb-2">{t('messages.compose.noFiles')}</p>
        )}
        <label class="sl-label" for="file">
          {t('messages.compose.file')}
        </label>
        <small id="file-hint" class="form-text d-block">
          {t('messages.compose.fileHint', {
            max: MAX_FILES,
            mb: Math.floor(MAX_FILE_BYTES / 1048576),
          })}
        </small>
        <input
          type="file"
          id="file"
          name="file"
          accept="application/pdf,image/jpeg,image/png"
          aria-describedby={errors.file ? 'file-hint file-error' : 'file-hint'}
        />
        <p>
          <button type="submit" name="do" value="attach" class="btn btn-outline-primary mt-2">
            {t('messages.compose.attach')}
          </button>
        </p>
        {errors.file && (
          <div id="file-error" class="sl-field-error">
            {errors.file}
          </div>
        )}
      </fieldset>
      <button type="submit" name="do" value="send" class="btn btn-primary">
        {props.submitLabel}
      </button>
    </form>
  );
}

/** The messages of a thread, oldest first, with who wrote each and whether the other side read it. */
export function MessageList(props: {
  ctx: RequestContext;
  thread: Thread;
  messages: Message[];
  /** The side looking at the thread. */
  side: 'citizen' | 'staff';
  fileHref: (attachmentId: string) => string;
}) {
  const { ctx, thread } = props;
  const { t } = ctx;
  const otherRead = props.side === 'citizen' ? thread.staff_read_at : thread.citizen_read_at;
  return (
    <ol class="list-unstyled">
      {props.messages.map((m) => {
        const author =
          m.author_side === 'citizen'
            ? props.side === 'citizen'
              ? t('messages.you')
              : `${m.given_name} ${m.family_name}`
            : `${m.given_name} ${m.family_name}, ${m.agency_name ?? m.office_name ?? ''}`;
        const mine = m.author_side === props.side;
        return (
          <li class="card mb-3">
            <div class="card-body">
              <h3 class="h5">{t('messages.from', { author, when: fmtWhen(ctx, m.created_at) })}</h3>
              <div class="sl-outbox-body mb-2">{m.body}</div>
              {m.attachments.length > 0 && (
                <ul class="mb-2">
                  {m.attachments.map((f) => (
                    <li>
                      <a href={props.fileHref(f.id)}>
                        {t('messages.file', { name: f.filename, size: kb(f.size) })}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
              {mine && (
                <p class="small mb-0">
                  {otherRead && otherRead.getTime() >= m.created_at.getTime()
                    ? t(props.side === 'citizen' ? 'messages.readByOffice' : 'messages.readByPerson', {
                        when: fmtWhen(ctx, otherRead),
                      })
                    : t('messages.notReadYet')}
                </p>
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
