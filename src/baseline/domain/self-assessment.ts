/**
 * The yearly self-assessment: the same questions as the 2021 questionnaire (sections 2, 3.1, 4 and
 * 7.1), so a Region's answers can be set beside the 2021 baseline. Pure: the form's schema and the
 * comparison with the baseline's counts.
 */
import { z } from 'zod';
import { INFRA_ITEMS, PARTICIPANTS, QUESTIONNAIRES, tableOf } from './report.ts';

export const EFFICIENCY_ITEMS = [
  'people_served',
  'operator_time',
  'document_flow',
  'orderly_data',
  'service_control',
  'health_safety',
] as const;
export const EFFECTIVENESS_ITEMS = ['user_relationship', 'service_quality', 'user_satisfaction'] as const;
export const FRAGILE_ITEMS = [
  'remote_rural',
  'young_remote_rural',
  'low_it_skills',
  'low_it_access',
  'non_native',
  'disability',
  'over_60',
] as const;

export type SelfAnswers = {
  s2: Record<string, 'sufficient' | 'insufficient'>;
  s3_1: Record<string, '+' | '-' | null>;
  s4: Record<string, '+' | '-' | null>;
  s7_1: Record<string, number | null>;
};

const plusMinus = z.enum(['', '+', '-'], { message: 'errors.choose' });
const suff = z.enum(['sufficient', 'insufficient'], { message: 'errors.choose' });
const score = z
  .string()
  .trim()
  .regex(/^(|[1-9]|10)$/, { message: 'baseline.self.errors.score' });

const fields: Record<string, z.ZodType> = {};
for (const i of INFRA_ITEMS) fields[`s2_${i}`] = suff;
for (const i of EFFICIENCY_ITEMS) fields[`s31_${i}`] = plusMinus;
for (const i of EFFECTIVENESS_ITEMS) fields[`s4_${i}`] = plusMinus;
for (const i of FRAGILE_ITEMS) fields[`s71_${i}`] = score;

/** Form field names: s2_<item>, s31_<item>, s4_<item>, s71_<item>. */
export const selfAssessmentSchema = z.object(fields);

export function answersOf(data: Record<string, unknown>): SelfAnswers {
  const pm = (v: unknown) => (v === '+' || v === '-' ? v : null);
  return {
    s2: Object.fromEntries(INFRA_ITEMS.map((i) => [i, data[`s2_${i}`] as 'sufficient' | 'insufficient'])),
    s3_1: Object.fromEntries(EFFICIENCY_ITEMS.map((i) => [i, pm(data[`s31_${i}`])])),
    s4: Object.fromEntries(EFFECTIVENESS_ITEMS.map((i) => [i, pm(data[`s4_${i}`])])),
    s7_1: Object.fromEntries(
      FRAGILE_ITEMS.map((i) => {
        const v = String(data[`s71_${i}`] ?? '').trim();
        return [i, v === '' ? null : Number(v)];
      }),
    ),
  };
}

/** The stored answers back into form values (to prefill the form). */
export function valuesOf(a: SelfAnswers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of INFRA_ITEMS) out[`s2_${i}`] = a.s2[i] ?? '';
  for (const i of EFFICIENCY_ITEMS) out[`s31_${i}`] = a.s3_1[i] ?? '';
  for (const i of EFFECTIVENESS_ITEMS) out[`s4_${i}`] = a.s4[i] ?? '';
  for (const i of FRAGILE_ITEMS)
    out[`s71_${i}`] = a.s7_1[i] === null || a.s7_1[i] === undefined ? '' : String(a.s7_1[i]);
  return out;
}

/** The 2021 baseline for one question, in words the page can show: "8 of 14 sufficient", "+ 10, − 4", "mean 5.9". */
export type Baseline =
  | { kind: 'suff'; sufficient: number; insufficient: number; of: number }
  | { kind: 'pm'; plus: number | null; minus: number | null }
  | { kind: 'score'; mean: number | null; answers: number };

export function baselineOf(section: 's2' | 's3_1' | 's4' | 's7_1', item: string): Baseline {
  if (section === 's2') {
    let sufficient = 0;
    let insufficient = 0;
    for (const r of QUESTIONNAIRES) {
      const a = r.answers.s2?.[item]?.answer;
      if (a === 'sufficient') sufficient++;
      if (a === 'insufficient') insufficient++;
    }
    return { kind: 'suff', sufficient, insufficient, of: PARTICIPANTS };
  }
  if (section === 's7_1') {
    const t = tableOf('target-fragili');
    const row = t?.kind === 'scores' ? t.rows.find((r) => r.item === item) : undefined;
    const scores = (row?.scores ?? []).filter((s): s is number => typeof s === 'number');
    return {
      kind: 'score',
      mean: scores.length ? Math.round((10 * scores.reduce((a, b) => a + b, 0)) / scores.length) / 10 : null,
      answers: scores.length,
    };
  }
  const t = tableOf(section === 's3_1' ? 'efficienza-cpi' : 'efficacia');
  const row = t?.kind === 'plus_minus' ? t.rows.find((r) => r.item === item) : undefined;
  return { kind: 'pm', plus: row?.plus ?? null, minus: row?.minus ?? null };
}
