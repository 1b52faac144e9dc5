/**
 * The attitude questionnaire, after the Dutch UWV "Werkverkenner" idea: a short self-report on how
 * a person approaches work, scored in four dimensions. It never decides alone: it adjusts the
 * service tier and opens the conversation with the operator.
 * Answers are 1 (not at all) to 5 (completely). Items marked `reverse` describe an obstacle.
 */
export const ATTITUDE_DIMENSIONS = ['motivation', 'confidence', 'search', 'obstacles'] as const;
export type AttitudeDimension = (typeof ATTITUDE_DIMENSIONS)[number];

export const ATTITUDE_ITEMS: readonly { id: string; dimension: AttitudeDimension; reverse: boolean }[] = [
  { id: 'm1', dimension: 'motivation', reverse: false },
  { id: 'm2', dimension: 'motivation', reverse: false },
  { id: 'm3', dimension: 'motivation', reverse: false },
  { id: 'm4', dimension: 'motivation', reverse: true },
  { id: 'm5', dimension: 'motivation', reverse: false },
  { id: 'c1', dimension: 'confidence', reverse: false },
  { id: 'c2', dimension: 'confidence', reverse: false },
  { id: 'c3', dimension: 'confidence', reverse: true },
  { id: 'c4', dimension: 'confidence', reverse: false },
  { id: 'c5', dimension: 'confidence', reverse: false },
  { id: 's1', dimension: 'search', reverse: false },
  { id: 's2', dimension: 'search', reverse: false },
  { id: 's3', dimension: 'search', reverse: false },
  { id: 's4', dimension: 'search', reverse: true },
  { id: 's5', dimension: 'search', reverse: false },
  { id: 'o1', dimension: 'obstacles', reverse: true },
  { id: 'o2', dimension: 'obstacles', reverse: true },
  { id: 'o3', dimension: 'obstacles', reverse: true },
  { id: 'o4', dimension: 'obstacles', reverse: true },
  { id: 'o5', dimension: 'obstacles', reverse: true },
];

export type AttitudeAnswers = Record<string, number>;

export type AttitudeScore = { score: number; dimensions: Record<AttitudeDimension, number> };

/** Each dimension 0..1 (1 = ready for work); the overall score is their mean. */
export function scoreAttitude(answers: AttitudeAnswers): AttitudeScore {
  const dimensions = {} as Record<AttitudeDimension, number>;
  for (const d of ATTITUDE_DIMENSIONS) {
    const items = ATTITUDE_ITEMS.filter((i) => i.dimension === d);
    const total = items.reduce((sum, i) => {
      const raw = answers[i.id] ?? 3;
      const value = i.reverse ? 6 - raw : raw;
      return sum + (value - 1) / 4;
    }, 0);
    dimensions[d] = total / items.length;
  }
  const score = ATTITUDE_DIMENSIONS.reduce((s, d) => s + dimensions[d], 0) / ATTITUDE_DIMENSIONS.length;
  return { score, dimensions };
}

export function isCompleteAnswerSet(answers: Record<string, unknown>): answers is AttitudeAnswers {
  return ATTITUDE_ITEMS.every((i) => {
    const v = answers[i.id];
    return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5;
  });
}
