import { z } from 'zod';
import type { RequestContext } from '../../platform/http/context.ts';
import { formArray, NO_CONTROL_CHARS, parseForm } from '../../platform/http/forms.ts';
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  RadioGroup,
  SubmitButton,
  TextArea,
} from '../../platform/ui/forms.tsx';
import { COMMENT_MAX, PROBLEMS, type Problem, SCORES } from '../domain/survey.ts';
import type { AnswerInput } from '../use-cases/answers.ts';

const AnswerSchema = z.object({
  score: z.enum(SCORES, { message: 'satisfaction.errors.score' }),
  comment: z
    .string()
    .trim()
    .max(COMMENT_MAX, { message: 'satisfaction.errors.commentTooLong' })
    .regex(NO_CONTROL_CHARS, { message: 'errors.invalidCharacters' })
    .optional(),
});

export type ParsedAnswer =
  | { ok: true; answer: AnswerInput }
  | { ok: false; errors: FieldErrors; values: FormValues; problems: string[] };

/** The one question, the categories and the comment, checked; errors are in the person's language. */
export function parseAnswer(body: unknown, t: (key: string) => string): ParsedAnswer {
  const parsed = parseForm(AnswerSchema, body, t);
  const problems = formArray(body, 'problems', PROBLEMS.length + 5);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const known = problems.every((p): p is Problem => (PROBLEMS as readonly string[]).includes(p));
  if (!known || new Set(problems).size !== problems.length) errors.problems = t('errors.choose');
  if (!parsed.ok || Object.keys(errors).length > 0) {
    return {
      ok: false,
      errors,
      values: parsed.values,
      problems: problems.filter((p) => (PROBLEMS as readonly string[]).includes(p)),
    };
  }
  return {
    ok: true,
    answer: {
      score: Number(parsed.data.score),
      comment: parsed.data.comment ?? '',
      problems: problems as Problem[],
    },
  };
}

/** The survey form; works without JavaScript (the categories are always there, and optional). */
export function SurveyForm(props: {
  ctx: RequestContext;
  action: string;
  about: string;
  values: FormValues;
  errors: FieldErrors;
  problems: string[];
  hidden?: Record<string, string>;
}) {
  const { t } = props.ctx;
  return (
    <>
      <ErrorSummary ctx={props.ctx} errors={props.errors} />
      <p class="lead">{t('satisfaction.form.lead', { about: props.about })}</p>
      <form method="post" action={props.action} novalidate>
        <CsrfField ctx={props.ctx} />
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <RadioGroup
          name="score"
          label={t('satisfaction.form.question')}
          hint={t('satisfaction.form.questionHint')}
          values={props.values}
          errors={props.errors}
          options={SCORES.map((s) => ({ value: s, label: t(`satisfaction.form.score${s}`) }))}
        />
        <CheckboxGroup
          name="problems"
          label={t('satisfaction.form.problems')}
          hint={t('satisfaction.form.problemsHint')}
          options={PROBLEMS.map((p) => ({ value: p, label: t(`satisfaction.problems.${p}`) }))}
          checked={props.problems}
          errors={props.errors}
        />
        <TextArea
          name="comment"
          label={t('satisfaction.form.comment')}
          hint={t('satisfaction.form.commentHint')}
          values={props.values}
          errors={props.errors}
          rows={4}
          maxLength={COMMENT_MAX}
        />
        <SubmitButton>{t('satisfaction.form.send')}</SubmitButton>
      </form>
    </>
  );
}
