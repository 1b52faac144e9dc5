/**
 * A bounded, in-process cache of the facts the matcher explains and ranks with (issue 10: the match
 * pages re-read from PostgreSQL what the process already knows). Entries are dropped as soon as the
 * 'matching_changes' notification for that person or vacancy arrives — the same signal that keeps the
 * index current — so the cache is never staler than the index itself. A load that started before a
 * change is not stored (generation counter), and ESCO labels are re-read every 10 minutes.
 */
import type { Db } from '../../platform/db/database.ts';
import { LruMap } from '../../platform/memory/bounded-maps.ts';
import { loadPeople, loadVacancies, type PersonFacts, type VacancyFacts } from './facts.ts';

/** Where explanations read facts from: straight from PostgreSQL, or through this cache. */
export interface FactsReader {
  people(regionCode: string, citizenIds: readonly string[]): Promise<PersonFacts[]>;
  vacancies(regionCode: string, vacancyIds: readonly string[]): Promise<VacancyFacts[]>;
  skillLabels(uris: readonly string[]): Promise<Map<string, { it: string | null; en: string | null }>>;
}

/** The reader without a cache (tests, scripts, and any caller without a matcher). */
export function databaseFacts(db: Db): FactsReader {
  return {
    people: (regionCode, citizenIds) => loadPeople(db, { regionCode, citizenIds }),
    vacancies: (regionCode, vacancyIds) => loadVacancies(db, { regionCode, vacancyIds }),
    skillLabels: (uris) => readLabels(db, uris),
  };
}

async function readLabels(db: Db, uris: readonly string[]) {
  if (uris.length === 0) return new Map<string, { it: string | null; en: string | null }>();
  const rows = await db
    .selectFrom('esco_skills')
    .select(['uri', 'label_it', 'label_en'])
    .where('uri', 'in', [...new Set(uris)])
    .execute();
  return new Map(rows.map((r) => [r.uri, { it: r.label_it, en: r.label_en }]));
}

const LABELS_TTL_MS = 10 * 60_000;

export class FactsCache implements FactsReader {
  private readonly peopleCache: LruMap<string, PersonFacts>;
  private readonly vacancyCache: LruMap<string, VacancyFacts>;
  private labels = new Map<string, { it: string | null; en: string | null }>();
  private labelsSince = Date.now();
  /** Bumped by every invalidation: a load that overlapped one is returned but not stored. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    capacity = { people: 20_000, vacancies: 20_000 },
  ) {
    this.peopleCache = new LruMap(capacity.people);
    this.vacancyCache = new LruMap(capacity.vacancies);
  }

  invalidate(kind: 'vacancy' | 'person', regionCode: string, id: string): void {
    this.generation++;
    (kind === 'person' ? this.peopleCache : this.vacancyCache).delete(`${regionCode}:${id}`);
  }

  clear(): void {
    this.generation++;
    this.peopleCache.clear();
    this.vacancyCache.clear();
    this.labels.clear();
  }

  get sizes(): { people: number; vacancies: number; labels: number } {
    return { people: this.peopleCache.size, vacancies: this.vacancyCache.size, labels: this.labels.size };
  }

  people(regionCode: string, citizenIds: readonly string[]): Promise<PersonFacts[]> {
    return this.through(this.peopleCache, regionCode, citizenIds, (ids) =>
      loadPeople(this.db, { regionCode, citizenIds: ids }).then((rows) =>
        rows.map((r) => [r.citizenId, r] as const),
      ),
    );
  }

  vacancies(regionCode: string, vacancyIds: readonly string[]): Promise<VacancyFacts[]> {
    return this.through(this.vacancyCache, regionCode, vacancyIds, (ids) =>
      loadVacancies(this.db, { regionCode, vacancyIds: ids }).then((rows) =>
        rows.map((r) => [r.vacancyId, r] as const),
      ),
    );
  }

  async skillLabels(uris: readonly string[]) {
    if (Date.now() - this.labelsSince > LABELS_TTL_MS) {
      this.labels = new Map();
      this.labelsSince = Date.now();
    }
    const missing = [...new Set(uris)].filter((u) => !this.labels.has(u));
    const read = missing.length > 0 ? await readLabels(this.db, missing) : new Map();
    // Bounded: ESCO has about 14,000 skills.
    for (const [uri, label] of read) if (this.labels.size < 50_000) this.labels.set(uri, label);
    const out = new Map<string, { it: string | null; en: string | null }>();
    for (const u of uris) {
      const label = this.labels.get(u) ?? read.get(u);
      if (label) out.set(u, label);
    }
    return out;
  }

  /** Cached entries in the order asked, the missing ones read in one batch (and stored if unchanged meanwhile). */
  private async through<T>(
    cache: LruMap<string, T>,
    regionCode: string,
    ids: readonly string[],
    load: (ids: string[]) => Promise<(readonly [string, T])[]>,
  ): Promise<T[]> {
    const found = new Map<string, T>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const hit = cache.get(`${regionCode}:${id}`);
      if (hit === undefined) missing.push(id);
      else found.set(id, hit);
    }
    if (missing.length > 0) {
      const generation = this.generation;
      const loaded = await load(missing);
      const store = generation === this.generation;
      for (const [id, facts] of loaded) {
        found.set(id, facts);
        if (store) cache.set(`${regionCode}:${id}`, facts);
      }
    }
    return [...new Set(ids)].flatMap((id) => {
      const f = found.get(id);
      return f === undefined ? [] : [f];
    });
  }
}
