import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The digital-skills check (report §1.4, §3.7: "test di difficoltà crescente"): an adaptive test
 * over the five DigComp 2.2 areas. Pure: no I/O except loading the item bank once at start-up.
 *
 * THE ADAPTIVE RULE
 * - Each area is a ladder of difficulties 1 → 2 → 3. Every area starts at difficulty 1.
 * - A correct answer moves that area up one step; a correct answer at difficulty 3 closes the area.
 *   A wrong answer closes the area at once (no retry: it keeps the check short, ≤ 15 items, and
 *   the result is only advice, never a penalty; an operator can run the check again with the person).
 * - An area's level is the highest difficulty answered correctly (0 if none). Because the ladder
 *   stops at the first wrong answer, it is also the number of correct answers in that area.
 * - Order: rising difficulty across the whole check. The next item is for the open area with the
 *   lowest pending difficulty, ties broken by the DigComp order of the areas. So the person first
 *   meets the five everyday questions, then the intermediate ones, then the advanced ones.
 * - The check stops when every area is closed: at least 5 items (all wrong at difficulty 1), at most
 *   5 × 3 = 15 (MAX_ITEMS), roughly 30–40 seconds per item, so within 10 minutes.
 * - Overall level = median of the five area levels (an odd count: the middle value, no rounding).
 *   The median is monotone in every area level and is not moved by a single outlier area.
 * - Which item is shown for (area, difficulty) depends only on the attempt's seed, never on the
 *   answers, so two attempts with the same seed present the same item at the same step.
 *
 * Monotonicity (tested with fast-check): model a person as the set of items they would answer
 * correctly. If person B answers correctly every item that A answers correctly (e.g. B is A with one
 * wrong answer flipped to correct), then with the same seed every area level and the overall
 * level of B are ≥ those of A.
 */

export const AREAS = ['information', 'communication', 'content', 'safety', 'problem_solving'] as const;
export type Area = (typeof AREAS)[number];
export type Level = 0 | 1 | 2 | 3;
export type Difficulty = 1 | 2 | 3;
export const MAX_DIFFICULTY = 3;
export const MAX_ITEMS = AREAS.length * MAX_DIFFICULTY;

const ID = /^[a-z0-9-]{1,40}$/;
const OPTION_ID = /^[a-z]$/;
const Text = z.string().trim().min(1).max(600);
const DifficultySchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

const ItemSchema = z
  .object({
    id: z.string().regex(ID),
    area: z.enum(AREAS),
    difficulty: DifficultySchema,
    prompt: z.object({ it: Text, en: Text }),
    options: z
      .array(z.object({ id: z.string().regex(OPTION_ID), it: Text, en: Text }))
      .min(2)
      .max(6),
    correct: z.string().regex(OPTION_ID),
  })
  .refine((i) => i.options.some((o) => o.id === i.correct), 'the correct option is not among the options')
  .refine((i) => new Set(i.options.map((o) => o.id)).size === i.options.length, 'duplicate option ids');

export type Item = z.infer<typeof ItemSchema>;
export type ItemBank = { readonly items: readonly Item[]; readonly byId: ReadonlyMap<string, Item> };

/** Validate an item bank: well-formed items, unique ids, at least one item per area and difficulty. */
export function loadItemBank(raw: unknown): ItemBank {
  const items = z.array(ItemSchema).parse(raw);
  const byId = new Map<string, Item>();
  for (const item of items) {
    if (byId.has(item.id)) throw new Error(`digital check: item ${item.id} is defined twice`);
    byId.set(item.id, item);
  }
  for (const area of AREAS) {
    for (const d of [1, 2, 3] as const) {
      if (!items.some((i) => i.area === area && i.difficulty === d)) {
        throw new Error(`digital check: no item for area ${area} at difficulty ${d}`);
      }
    }
  }
  return { items, byId };
}

export const ITEM_BANK: ItemBank = loadItemBank(
  JSON.parse(readFileSync(new URL('../data/digital-items.json', import.meta.url), 'utf8')),
);

const AnswerSchema = z.object({
  itemId: z.string().regex(ID),
  area: z.enum(AREAS),
  difficulty: DifficultySchema,
  optionId: z.string().regex(OPTION_ID),
  correct: z.boolean(),
});
export type Answer = z.infer<typeof AnswerSchema>;

/** What is stored (jsonb): the seed and every answer with its area, difficulty and outcome, so the
 * result can be recomputed even if the item bank changes later. */
export const CheckStateSchema = z.object({
  version: z.literal(1),
  seed: z.number().int().min(0).max(0x7fffffff),
  answers: z.array(AnswerSchema).max(MAX_ITEMS),
});
export type CheckState = z.infer<typeof CheckStateSchema>;

export function newState(seed: number): CheckState {
  return { version: 1, seed: Math.abs(Math.trunc(seed)) % 0x80000000, answers: [] };
}

type AreaProgress = { level: Level; pending: Difficulty | null };

function progress(state: CheckState): Record<Area, AreaProgress> {
  const out = Object.fromEntries(AREAS.map((a) => [a, { level: 0, pending: 1 }])) as Record<
    Area,
    AreaProgress
  >;
  for (const a of state.answers) {
    const p = out[a.area];
    if (p.pending === null) continue;
    if (a.correct) {
      p.level = Math.max(p.level, a.difficulty) as Level;
      p.pending = a.difficulty >= MAX_DIFFICULTY ? null : ((a.difficulty + 1) as Difficulty);
    } else {
      p.pending = null;
    }
  }
  return out;
}

/** FNV-1a: a small, stable hash to pick an item from the seed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function pick(bank: ItemBank, seed: number, area: Area, difficulty: Difficulty): Item {
  const candidates = bank.items
    .filter((i) => i.area === area && i.difficulty === difficulty)
    .sort((x, y) => (x.id < y.id ? -1 : 1));
  const item = candidates[hash(`${seed}:${area}:${difficulty}`) % candidates.length];
  if (!item) throw new Error(`digital check: no item for ${area} at difficulty ${difficulty}`);
  return item;
}

/** The next item to present, or null when every area's level is determined. */
export function nextItem(state: CheckState, bank: ItemBank = ITEM_BANK): Item | null {
  if (state.answers.length >= MAX_ITEMS) return null;
  const p = progress(state);
  let best: { area: Area; difficulty: Difficulty } | null = null;
  for (const area of AREAS) {
    const pending = p[area].pending;
    if (pending !== null && (best === null || pending < best.difficulty))
      best = { area, difficulty: pending };
  }
  return best ? pick(bank, state.seed, best.area, best.difficulty) : null;
}

export type AnswerOutcome =
  | { ok: true; state: CheckState; correct: boolean }
  | { ok: false; reason: 'finished' | 'unexpected_item' | 'unknown_option' };

/** Record an answer. Only the expected next item is accepted, with one of its own options. */
export function answer(
  state: CheckState,
  itemId: string,
  optionId: string,
  bank: ItemBank = ITEM_BANK,
): AnswerOutcome {
  const expected = nextItem(state, bank);
  if (!expected) return { ok: false, reason: 'finished' };
  if (expected.id !== itemId) return { ok: false, reason: 'unexpected_item' };
  if (!expected.options.some((o) => o.id === optionId)) return { ok: false, reason: 'unknown_option' };
  const correct = optionId === expected.correct;
  return {
    ok: true,
    correct,
    state: {
      ...state,
      answers: [
        ...state.answers,
        { itemId, area: expected.area, difficulty: expected.difficulty, optionId, correct },
      ],
    },
  };
}

export type CheckResult = {
  /** True when every area is determined; otherwise the levels are lower bounds so far. */
  finished: boolean;
  overall: Level;
  areas: Record<Area, Level>;
  answered: number;
};

export function medianLevel(levels: readonly Level[]): Level {
  if (levels.length === 0) return 0;
  const sorted = [...levels].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const value = Number.isInteger(mid)
    ? Math.round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2)
    : (sorted[Math.floor(mid)] ?? 0);
  return value as Level;
}

export function result(state: CheckState, bank: ItemBank = ITEM_BANK): CheckResult {
  const p = progress(state);
  const areas = Object.fromEntries(AREAS.map((a) => [a, p[a].level])) as Record<Area, Level>;
  return {
    finished: nextItem(state, bank) === null,
    overall: medianLevel(AREAS.map((a) => areas[a])),
    areas,
    answered: state.answers.length,
  };
}

/** The item's texts in the person's language: Italian, otherwise English. */
export function itemText(item: Item, lang: string) {
  const l = lang === 'it' ? 'it' : 'en';
  return {
    lang: l,
    prompt: item.prompt[l],
    options: item.options.map((o) => ({ id: o.id, label: o[l] })),
  };
}
