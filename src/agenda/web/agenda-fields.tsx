import type { RequestContext } from '../../platform/http/context.ts';
import { type FieldErrors, type FormValues, RadioGroup, TextField } from '../../platform/ui/forms.tsx';

/** The fields the agenda's forms share: a time, a date and the mode of an appointment. */
type AgendaFieldProps = {
  ctx: RequestContext;
  name: string;
  label: string;
  values: FormValues;
  errors: FieldErrors;
};

/** A time of day written as 09:00. */
export function TimeField({ ctx, ...props }: AgendaFieldProps) {
  return <TextField {...props} hint={ctx.t('agendaOp.timeHint')} maxLength={5} inputmode="numeric" />;
}

/** A date written as 2026-12-01. */
export function DateField({ ctx, ...props }: AgendaFieldProps) {
  return <TextField {...props} hint={ctx.t('agendaOp.dateHint')} maxLength={10} inputmode="numeric" />;
}

/** In person, remote, or both. */
export function ModeField({ ctx, values, errors }: Omit<AgendaFieldProps, 'name' | 'label'>) {
  const { t } = ctx;
  return (
    <RadioGroup
      name="mode"
      label={t('agendaOp.mode')}
      values={values}
      errors={errors}
      options={['in_person', 'remote', 'both'].map((m) => ({ value: m, label: t(`agendaOp.modes.${m}`) }))}
    />
  );
}
