import { CONTRACT_TYPES } from '../../employers/adapters/employer-tables.ts';
import { MATCH_LANGUAGES } from '../../matching/domain/score.ts';
import type { RequestContext } from '../../platform/http/context.ts';
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  type FormValues,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../../platform/ui/forms.tsx';
import { Layout } from '../../platform/ui/layout.tsx';
import { HOURS, PAY_PERIODS, REMOTE_MODES, VACANCY_CEFR, VACANCY_LICENCES } from '../domain/vacancy.ts';
import type { SiteOption } from '../use-cases/vacancies.ts';

/**
 * The one vacancy form (new and edit), JavaScript off: searching an ESCO occupation or skills
 * re-renders the same form with the matches to choose from and everything typed kept.
 */
export type Choice = { value: string; label: string };

export type VacancyFormProps = {
  ctx: RequestContext;
  action: string;
  title: string;
  values: FormValues;
  errors: FieldErrors;
  essential: string[];
  optional: string[];
  occupationOptions: Choice[];
  occupationSearched: boolean;
  skillOptions: Choice[];
  skillSearched: boolean;
  sites: SiteOption[];
  /** Shown when editing a published or submitted vacancy. */
  backToModeration: boolean;
  /** The submit-to-CPI button (new, draft, rejected, published edits go back anyway). */
  canSubmit: boolean;
};

export function VacancyFormPage(p: VacancyFormProps) {
  const { ctx, values, errors } = p;
  const { t } = ctx;
  const opts = (list: readonly string[], prefix: string): Choice[] =>
    list.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));
  return (
    <Layout ctx={ctx} title={p.title} wide>
      <h1>{p.title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      {p.backToModeration && (
        <div class="alert alert-warning" role="note">
          {t('vacancies.form.backToModeration')}
        </div>
      )}
      <p>{t('vacancies.form.intro')}</p>
      <form method="post" action={p.action} novalidate>
        <CsrfField ctx={ctx} />
        <fieldset class="mb-4">
          <legend class="h4">{t('vacancies.form.sectionJob')}</legend>
          <TextField
            name="title"
            label={t('vacancies.field.title')}
            values={values}
            errors={errors}
            required
            maxLength={150}
          />
          <TextArea
            name="description"
            label={t('vacancies.field.description')}
            hint={t('vacancies.form.descriptionHint')}
            values={values}
            errors={errors}
            rows={8}
            required
            maxLength={5000}
          />
          <TextField
            name="occupation_q"
            label={t('vacancies.form.occupationSearch')}
            hint={t('vacancies.form.occupationHint')}
            values={values}
            errors={errors}
            maxLength={100}
          />
          <p>
            <button type="submit" name="action" value="findOccupation" class="btn btn-outline-primary btn-sm">
              {t('vacancies.form.findOccupation')}
            </button>
          </p>
          {p.occupationSearched && p.occupationOptions.length <= 1 && (
            <p role="status">{t('vacancies.form.noOccupation')}</p>
          )}
          {p.occupationOptions.length > 1 && (
            <RadioGroup
              name="occupation_uri"
              label={t('vacancies.field.occupation')}
              values={values}
              errors={errors}
              options={p.occupationOptions}
            />
          )}
          {p.occupationOptions.length > 1 && (
            <p>
              <button type="submit" name="action" value="findSkills" class="btn btn-outline-primary btn-sm">
                {t('vacancies.form.showSkills')}
              </button>
            </p>
          )}
        </fieldset>

        <fieldset class="mb-4">
          <legend class="h4">{t('vacancies.form.sectionSkills')}</legend>
          <p>{t('vacancies.form.skillsHint')}</p>
          {p.skillOptions.length > 0 && (
            <CheckboxGroup
              name="skill_essential"
              label={t('vacancies.field.skillsEssential')}
              options={p.skillOptions}
              checked={p.essential}
              errors={errors}
            />
          )}
          {p.skillOptions.length > 0 && (
            <CheckboxGroup
              name="skill_optional"
              label={t('vacancies.field.skillsOptional')}
              options={p.skillOptions}
              checked={p.optional}
              errors={errors}
            />
          )}
          <TextField
            name="skill_q"
            label={t('vacancies.form.skillSearch')}
            values={values}
            errors={errors}
            maxLength={100}
          />
          {p.skillSearched && (
            <p role="status">{t('vacancies.form.skillsFound', { count: p.skillOptions.length })}</p>
          )}
          <p>
            <button type="submit" name="action" value="findSkills" class="btn btn-outline-primary btn-sm">
              {t('vacancies.form.findSkills')}
            </button>
          </p>
          <SelectField
            name="eqf_required"
            label={t('vacancies.field.eqf')}
            values={values}
            errors={errors}
            options={[0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
              value: String(n),
              label: t(`vacancies.eqf.${n}`),
            }))}
          />
          <TextField
            name="experience_years"
            label={t('vacancies.field.experience')}
            hint={t('vacancies.form.experienceHint')}
            inputmode="numeric"
            values={values}
            errors={errors}
            maxLength={2}
          />
          <fieldset class="mb-4">
            <legend class="sl-label">{t('vacancies.field.languages')}</legend>
            <p class="form-text">{t('vacancies.form.languagesHint')}</p>
            {MATCH_LANGUAGES.map((code) => (
              <SelectField
                name={`lang_${code}`}
                label={t(`vacancies.language.${code}`)}
                values={values}
                errors={errors}
                options={[
                  { value: '', label: t('vacancies.form.notRequired') },
                  ...VACANCY_CEFR.map((l) => ({ value: l, label: l })),
                ]}
              />
            ))}
          </fieldset>
          <SelectField
            name="driving_licence"
            label={t('vacancies.field.licence')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: t('vacancies.form.notRequired') },
              ...VACANCY_LICENCES.map((l) => ({ value: l, label: l })),
            ]}
          />
        </fieldset>

        <fieldset class="mb-4">
          <legend class="h4">{t('vacancies.form.sectionPlace')}</legend>
          <RadioGroup
            name="remote"
            label={t('vacancies.field.remote')}
            values={values}
            errors={errors}
            options={opts(REMOTE_MODES, 'vacancies.remote')}
          />
          <SelectField
            name="site_id"
            label={t('vacancies.field.site')}
            hint={t('vacancies.form.siteHint')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: t('vacancies.form.chooseSite') },
              ...p.sites.map((s) => ({
                value: s.id,
                label: `${s.address}, ${s.municipality} (${s.province})`,
              })),
              { value: 'other', label: t('vacancies.form.otherPlace') },
            ]}
          />
          <TextField
            name="municipality"
            label={t('vacancies.field.municipality')}
            hint={t('vacancies.form.municipalityHint')}
            values={values}
            errors={errors}
            maxLength={80}
          />
        </fieldset>

        <fieldset class="mb-4">
          <legend class="h4">{t('vacancies.form.sectionContract')}</legend>
          <SelectField
            name="contract_type"
            label={t('vacancies.field.contract')}
            values={values}
            errors={errors}
            options={[
              { value: '', label: t('vacancies.form.choose') },
              ...opts(CONTRACT_TYPES, 'vacancies.contract'),
            ]}
          />
          <RadioGroup
            name="hours"
            label={t('vacancies.field.hours')}
            values={values}
            errors={errors}
            options={opts(HOURS, 'vacancies.hours')}
          />
          <TextField
            name="weekly_hours"
            label={t('vacancies.field.weeklyHours')}
            inputmode="numeric"
            values={values}
            errors={errors}
            maxLength={2}
          />
          <fieldset class="mb-4">
            <legend class="sl-label">{t('vacancies.field.pay')}</legend>
            <p class="form-text">{t('vacancies.form.payHint')}</p>
            <TextField
              name="pay_min"
              label={t('vacancies.field.payMin')}
              inputmode="numeric"
              values={values}
              errors={errors}
              maxLength={7}
            />
            <TextField
              name="pay_max"
              label={t('vacancies.field.payMax')}
              inputmode="numeric"
              values={values}
              errors={errors}
              maxLength={7}
            />
            <SelectField
              name="pay_period"
              label={t('vacancies.field.payPeriod')}
              values={values}
              errors={errors}
              options={[
                { value: '', label: t('vacancies.form.choose') },
                ...opts(PAY_PERIODS, 'vacancies.payPeriod'),
              ]}
            />
          </fieldset>
          <TextField
            name="positions"
            label={t('vacancies.field.positions')}
            inputmode="numeric"
            values={values}
            errors={errors}
            maxLength={3}
          />
          <TextField
            name="start_date"
            type="date"
            label={t('vacancies.field.startDate')}
            hint={t('vacancies.form.dateHint')}
            values={values}
            errors={errors}
          />
          <TextField
            name="expires_on"
            type="date"
            label={t('vacancies.field.expiresOn')}
            hint={t('vacancies.form.expiryHint')}
            values={values}
            errors={errors}
            required
          />
          <fieldset class="mb-4">
            <legend class="sl-label">{t('vacancies.field.flags')}</legend>
            <div class="form-check">
              <input
                class="form-check-input"
                type="checkbox"
                name="reserved_l68"
                id="reserved_l68"
                value="1"
                checked={Boolean(values.reserved_l68)}
              />
              <label class="form-check-label" for="reserved_l68">
                {t('vacancies.field.reservedL68')}
              </label>
            </div>
            <div class="form-check">
              <input
                class="form-check-input"
                type="checkbox"
                name="seasonal"
                id="seasonal"
                value="1"
                checked={Boolean(values.seasonal)}
              />
              <label class="form-check-label" for="seasonal">
                {t('vacancies.field.seasonal')}
              </label>
            </div>
          </fieldset>
          <TextArea
            name="safety_info"
            label={t('vacancies.field.safety')}
            hint={t('vacancies.form.safetyHint')}
            values={values}
            errors={errors}
            rows={4}
            maxLength={2000}
          />
        </fieldset>

        <p>
          <button type="submit" name="action" value="save" class="btn btn-outline-primary me-2">
            {p.backToModeration ? t('vacancies.form.saveAndResubmit') : t('vacancies.form.saveDraft')}
          </button>
          {p.canSubmit && (
            <button type="submit" name="action" value="submit" class="btn btn-primary">
              {t('vacancies.form.submit')}
            </button>
          )}
        </p>
      </form>
      <p>
        <a href="/azienda/offerte">{t('vacancies.back')}</a>
      </p>
    </Layout>
  );
}
