import type { ComponentChildren } from 'preact';
import type { RequestContext } from '../http/context.ts';

/** Form building blocks: labels always visible, errors tied to their field, values kept. */
export type FieldErrors = Record<string, string | undefined>;
export type FormValues = Record<string, string | undefined>;

export function CsrfField({ ctx }: { ctx: RequestContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

export function ErrorSummary({ ctx, errors }: { ctx: RequestContext; errors: FieldErrors }) {
  const entries = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]));
  if (entries.length === 0) return null;
  return (
    <div class="alert alert-danger" role="alert" id="error-summary" tabindex={-1}>
      <h2 class="h5">{ctx.t('form.errorSummary')}</h2>
      <ul class="mb-0">
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${field}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

type FieldProps = {
  name: string;
  label: string;
  values: FormValues;
  errors: FieldErrors;
  hint?: string;
  required?: boolean;
};

function describedBy(name: string, hint: string | undefined, error: string | undefined): string | undefined {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldMessages({
  name,
  hint,
  error,
}: {
  name: string;
  hint?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <>
      {hint && (
        <small id={`${name}-hint`} class="form-text d-block">
          {hint}
        </small>
      )}
      {error && (
        <div id={`${name}-error`} class="sl-field-error">
          {error}
        </div>
      )}
    </>
  );
}

export function TextField(
  props: FieldProps & {
    id?: string;
    type?: string;
    autocomplete?: string;
    inputmode?: string;
    maxLength?: number;
  },
) {
  const error = props.errors[props.name];
  // Several forms on one page may share a field name: `id` keeps labels pointing at their own field.
  const id = props.id ?? props.name;
  return (
    <div class="form-group mb-4">
      <label for={id} class="active sl-label">
        {props.label}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        class={`form-control${error ? ' is-invalid' : ''}`}
        value={props.values[props.name] ?? ''}
        autocomplete={props.autocomplete}
        inputMode={props.inputmode as 'text' | 'numeric' | 'email' | 'tel' | undefined}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, error)}
      />
      <FieldMessages name={id} hint={props.hint} error={error} />
    </div>
  );
}

export function TextArea(props: FieldProps & { rows?: number; maxLength?: number }) {
  const error = props.errors[props.name];
  return (
    <div class="form-group mb-4">
      <label for={props.name} class="active sl-label">
        {props.label}
      </label>
      <textarea
        id={props.name}
        name={props.name}
        rows={props.rows ?? 5}
        class={`form-control${error ? ' is-invalid' : ''}`}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(props.name, props.hint, error)}
      >
        {props.values[props.name] ?? ''}
      </textarea>
      <FieldMessages name={props.name} hint={props.hint} error={error} />
    </div>
  );
}

export function SelectField(props: FieldProps & { options: { value: string; label: string }[] }) {
  const error = props.errors[props.name];
  const current = props.values[props.name] ?? '';
  return (
    <div class="select-wrapper mb-4">
      <label for={props.name} class="sl-label">
        {props.label}
      </label>
      <select
        id={props.name}
        name={props.name}
        class={error ? 'is-invalid' : undefined}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(props.name, props.hint, error)}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessages name={props.name} hint={props.hint} error={error} />
    </div>
  );
}

export function RadioGroup(props: FieldProps & { options: { value: string; label: string }[] }) {
  const error = props.errors[props.name];
  const current = props.values[props.name] ?? '';
  return (
    <fieldset class="mb-4" aria-describedby={describedBy(props.name, props.hint, error)}>
      <legend class="sl-label">{props.label}</legend>
      {props.options.map((o, i) => (
        <div class="form-check">
          <input
            class="form-check-input"
            type="radio"
            name={props.name}
            id={i === 0 ? props.name : `${props.name}-${o.value}`}
            value={o.value}
            checked={o.value === current}
          />
          <label class="form-check-label" for={i === 0 ? props.name : `${props.name}-${o.value}`}>
            {o.label}
          </label>
        </div>
      ))}
      <FieldMessages name={props.name} hint={props.hint} error={error} />
    </fieldset>
  );
}

export function SubmitButton({ children }: { children: ComponentChildren }) {
  return (
    <button type="submit" class="btn btn-primary">
      {children}
    </button>
  );
}

/** A notice shown after Post/Redirect/Get, driven by a query parameter. */
export function Notice({
  kind,
  children,
}: {
  kind: 'success' | 'info' | 'warning';
  children: ComponentChildren;
}) {
  return (
    <div class={`alert alert-${kind}`} role="status">
      {children}
    </div>
  );
}

export function CheckboxGroup(props: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  checked: string[];
  errors: FieldErrors;
  hint?: string;
}) {
  const error = props.errors[props.name];
  return (
    <fieldset class="mb-4" aria-describedby={describedBy(props.name, props.hint, error)}>
      <legend class="sl-label">{props.label}</legend>
      {props.options.map((o, i) => {
        const id = i === 0 ? props.name : `${props.name}-${o.value}`;
        return (
          <div class="form-check">
            <input
              class="form-check-input"
              type="checkbox"
              name={props.name}
              id={id}
              value={o.value}
              checked={props.checked.includes(o.value)}
            />
            <label class="form-check-label" for={id}>
              {o.label}
            </label>
          </div>
        );
      })}
      <FieldMessages name={props.name} hint={props.hint} error={error} />
    </fieldset>
  );
}
