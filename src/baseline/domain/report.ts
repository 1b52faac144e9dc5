/**
 * The 2021 research report as data (issue 9 item 5): its aggregate tables (§2.4, §2.5, §2.8.1), the
 * 14 Regions' questionnaire answers (annex) and the §4.1 decision tables. Pure: the JSON files are the
 * transcription, this module types them, checks them and filters them.
 */
import decisionsJson from '../data/decisions.json' with { type: 'json' };
import questionnairesJson from '../data/questionnaires.json' with { type: 'json' };
import tablesJson from '../data/tables.json' with { type: 'json' };

export const PARTICIPANTS = 14;

export type PlusMinusRow = {
  item: string;
  label: string;
  plus: number | null;
  minus: number | null;
  remark?: string;
  added?: boolean;
};
export type ScoresRow = { item: string; label: string; scores: (number | 'x' | null)[] };
export type ReportTable =
  | {
      id: string;
      section: string;
      subsection: string;
      kind: 'plus_minus';
      note: string;
      rows: PlusMinusRow[];
    }
  | { id: string; section: string; subsection: string; kind: 'scores'; note: string; rows: ScoresRow[] };

export const REPORT_TABLES = tablesJson.tables as ReportTable[];

export const tableOf = (id: string): ReportTable | undefined => REPORT_TABLES.find((t) => t.id === id);

export const DIGITISABLE = ['yes', 'partly', 'blended', 'no'] as const;
export type Digitisable = (typeof DIGITISABLE)[number];
export const PHASES = ['information', 'engagement', 'orientation', 'search', 'monitoring', 'checks'] as const;
export type Phase = (typeof PHASES)[number];

export type DecisionRow = {
  id: string;
  table: string;
  section: string;
  name: string;
  opinion: string;
  digitisable: Digitisable;
  description: string | null;
  phase: Phase;
  /** The agenda service the platform measures for it, when there is one. */
  service: string | null;
};

export const DECISION_TABLES = decisionsJson.tables as { id: string; section: string; title: string }[];
export const DECISIONS = decisionsJson.rows as DecisionRow[];

export type SuffAnswer = { answer: 'sufficient' | 'insufficient' | null; note?: string };
export type RegionAnswers = {
  code: string;
  name: string;
  sourceLine: number;
  answers: {
    s2: Record<string, SuffAnswer> | null;
    s3_1: Record<string, string | null> | null;
    s3_2: Record<string, string | null> | null;
    s4: Record<string, string | null> | null;
    s7_1: Record<string, number | string | null> | null;
  };
};
export const QUESTIONNAIRES = questionnairesJson.regions as RegionAnswers[];

export const INFRA_ITEMS = ['infrastructure', 'platforms', 'operator_skills', 'operators_in_office'] as const;

/** §2.4 table missing from the text, rebuilt from the Regions' answers to section 2 of the questionnaire. */
export function infrastructureCounts(): { item: string; sufficient: number; insufficient: number }[] {
  return INFRA_ITEMS.map((item) => {
    let sufficient = 0;
    let insufficient = 0;
    for (const r of QUESTIONNAIRES) {
      const a = r.answers.s2?.[item]?.answer;
      if (a === 'sufficient') sufficient++;
      if (a === 'insufficient') insufficient++;
    }
    return { item, sufficient, insufficient };
  });
}

/** What the data must satisfy; an empty list means consistent. */
export function consistencyProblems(): string[] {
  const problems: string[] = [];
  if (QUESTIONNAIRES.length !== PARTICIPANTS) problems.push(`regions: ${QUESTIONNAIRES.length}`);
  for (const t of REPORT_TABLES) {
    for (const r of t.rows) {
      if (t.kind === 'plus_minus') {
        const row = r as PlusMinusRow;
        const total = (row.plus ?? 0) + (row.minus ?? 0);
        if (total > PARTICIPANTS) problems.push(`${t.id}/${row.item}: ${total} > ${PARTICIPANTS}`);
        for (const v of [row.plus, row.minus])
          if (v !== null && (!Number.isInteger(v) || v < 0)) problems.push(`${t.id}/${row.item}: ${v}`);
      } else {
        const row = r as ScoresRow;
        for (const s of row.scores)
          if (typeof s === 'number' && (s < 1 || s > 10)) problems.push(`${t.id}/${row.item}: score ${s}`);
        if (row.scores.length > PARTICIPANTS) problems.push(`${t.id}/${row.item}: columns`);
      }
    }
  }
  const ids = new Set<string>();
  for (const d of DECISIONS) {
    if (ids.has(d.id)) problems.push(`decision ${d.id} twice`);
    ids.add(d.id);
    if (!DIGITISABLE.includes(d.digitisable)) problems.push(`decision ${d.id}: ${d.digitisable}`);
    if (!PHASES.includes(d.phase)) problems.push(`decision ${d.id}: ${d.phase}`);
    if (!DECISION_TABLES.some((t) => t.id === d.table)) problems.push(`decision ${d.id}: table ${d.table}`);
  }
  for (const r of QUESTIONNAIRES)
    for (const [item, v] of Object.entries(r.answers.s7_1 ?? {}))
      if (typeof v === 'number' ? v < 1 || v > 10 : v !== null && v.toLowerCase() !== 'x')
        problems.push(`${r.code}/s7_1/${item}: ${v}`);
  for (const c of infrastructureCounts())
    if (c.sufficient + c.insufficient > PARTICIPANTS) problems.push(`infra ${c.item}`);
  return problems;
}

export type DecisionFilter = { digitisable: Digitisable | ''; phase: Phase | '' };
export type FilterResult =
  | { ok: true; filter: DecisionFilter }
  | {
      ok: false;
      values: { digitizzabile: string; fase: string };
      errors: { digitizzabile?: true; fase?: true };
    };

const text = (v: unknown): string => (typeof v === 'string' ? v.trim().slice(0, 40) : '');

/** The query string of /rapporto/decisioni: `digitizzabile` and `fase`, each empty or one known value. */
export function parseDecisionFilter(query: Record<string, unknown>): FilterResult {
  const digitizzabile = text(query.digitizzabile);
  const fase = text(query.fase);
  const errors: { digitizzabile?: true; fase?: true } = {};
  if (digitizzabile !== '' && !(DIGITISABLE as readonly string[]).includes(digitizzabile))
    errors.digitizzabile = true;
  if (fase !== '' && !(PHASES as readonly string[]).includes(fase)) errors.fase = true;
  if (errors.digitizzabile || errors.fase) return { ok: false, values: { digitizzabile, fase }, errors };
  return { ok: true, filter: { digitisable: digitizzabile as Digitisable | '', phase: fase as Phase | '' } };
}

export function filterDecisions(rows: readonly DecisionRow[], f: DecisionFilter): DecisionRow[] {
  return rows.filter(
    (r) =>
      (f.digitisable === '' || r.digitisable === f.digitisable) && (f.phase === '' || r.phase === f.phase),
  );
}
