/**
 * The Matcher each web process holds: two in-process indexes (live vacancies; people), built at start
 * from PostgreSQL and kept current from the 'matching_changes' notifications that the tables'
 * triggers send at commit (migrations/0019_employers.sql). Several processes each keep their own.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Db } from '../../platform/db/database.ts';
import { loadPeople, loadVacancies } from '../adapters/facts.ts';
import { FactsCache } from '../adapters/facts-cache.ts';
import type { Matcher, RankedPerson, RankedVacancy } from '../contract.ts';
import { MatchIndex } from '../domain/index.ts';
import type { Profile } from '../domain/score.ts';

const PAGE = 20_000;

/**
 * One national index per kind (the grid covers Italy; a search keeps to the caller's Region through the
 * index's Region column). Integer keys (match_seq) map back to uuids.
 */
class Side {
  readonly index = new MatchIndex(1024);
  private readonly uuids = new Map<number, string>();
  private readonly seqOf = new Map<string, number>();
  private readonly regionIds = new Map<string, number>();

  regionId(regionCode: string): number {
    let id = this.regionIds.get(regionCode);
    if (id === undefined) {
      id = this.regionIds.size + 1;
      if (id > 255) throw new RangeError('more than 255 Regions');
      this.regionIds.set(regionCode, id);
    }
    return id;
  }

  put(key: { regionCode: string; uuid: string }, profile: Profile | null): void {
    const name = `${key.regionCode}:${key.uuid}`;
    const old = this.seqOf.get(name);
    if (old !== undefined && (profile === null || old !== profile.id)) {
      this.index.remove(old);
      this.uuids.delete(old);
      this.seqOf.delete(name);
    }
    if (profile === null) return;
    this.index.upsert(profile, this.regionId(key.regionCode));
    this.uuids.set(profile.id, key.uuid);
    this.seqOf.set(name, profile.id);
    // Many changes scatter records over the chunk pool: lay the cells out again now and then.
    if (this.index.changes > Math.max(50_000, this.index.size / 2)) this.index.compact();
  }

  uuid(seq: number): string | undefined {
    return this.uuids.get(seq);
  }

  get size(): number {
    return this.index.size;
  }
}

export class LiveMatcher implements Matcher {
  private vacancies = new Side();
  private people = new Side();
  private client: pg.PoolClient | null = null;
  private pending = Promise.resolve();
  /** The facts explanations read, dropped per record by the same notifications that move the index. */
  readonly facts: FactsCache;
  /** Called after each applied change (tests and the B3 benchmark wait on it). */
  onApplied: ((kind: 'vacancy' | 'person', regionCode: string, id: string) => void) | null = null;

  constructor(private readonly db: Db) {
    this.facts = new FactsCache(db);
  }

  get sizes(): { vacancies: number; people: number } {
    return { vacancies: this.vacancies.size, people: this.people.size };
  }

  /**
   * LISTEN first (so no change is missed), then load everything page by page; notifications received
   * meanwhile are applied after the load, in order. A lost connection is re-established (after 1 s, then
   * longer) and the indexes are loaded again, so a process never keeps serving a stale index for long.
   */
  async start(pool: pg.Pool): Promise<void> {
    this.pool = pool;
    this.pending = this.connectAndLoad();
    await this.pending;
  }

  private pool: pg.Pool | null = null;
  private retryMs = 1000;

  private async connectAndLoad(): Promise<void> {
    const pool = this.pool;
    if (!pool) return;
    const client = await pool.connect();
    this.client = client;
    client.on('error', () => {
      // The connection is gone: drop it and come back with a fresh load.
      if (this.client !== client) return;
      this.client = null;
      client.release(true);
      this.reconnectLater();
    });
    client.on('notification', (msg) => {
      if (msg.channel !== 'matching_changes' || !msg.payload) return;
      const [kind, regionCode, id] = msg.payload.split(':');
      if (kind === 'sync' && id) {
        const done = this.syncs.get(id);
        this.syncs.delete(id);
        if (done) this.pending = this.pending.then(done, done);
        return;
      }
      if (!regionCode || !id || (kind !== 'vacancy' && kind !== 'person')) return;
      // At once, not in turn: from now on nobody reads the old facts from the cache.
      this.facts.invalidate(kind, regionCode, id);
      this.pending = this.pending.then(() => this.refresh(kind, regionCode, id)).catch(() => undefined);
    });
    await client.query('LISTEN matching_changes');
    // Notifications may have been missed while disconnected: nothing cached survives a (re)load.
    this.facts.clear();
    this.vacancies = new Side();
    this.people = new Side();
    for (let after = 0; ; ) {
      const page = await loadVacancies(this.db, { all: true, afterSeq: after, limit: PAGE });
      for (const v of page) this.vacancies.put({ regionCode: v.regionCode, uuid: v.vacancyId }, v.profile);
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.profile.id ?? after;
    }
    for (let after = 0; ; ) {
      const page = await loadPeople(this.db, { all: true, afterSeq: after, limit: PAGE });
      for (const p of page) {
        this.people.put({ regionCode: p.regionCode, uuid: p.citizenId }, p.located ? p.profile : null);
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.profile.id ?? after;
    }
    this.vacancies.index.compact();
    this.people.index.compact();
    this.retryMs = 1000;
  }

  private reconnectLater(): void {
    const wait = this.retryMs;
    this.retryMs = Math.min(60_000, this.retryMs * 2);
    setTimeout(() => {
      if (this.pool)
        this.pending = this.pending.then(() => this.connectAndLoad()).catch(() => this.reconnectLater());
    }, wait).unref();
  }

  async stop(): Promise<void> {
    this.pool = null;
    await this.pending.catch(() => undefined);
    const c = this.client;
    this.client = null;
    if (!c) return;
    try {
      await c.query('UNLISTEN *');
    } finally {
      c.release();
    }
  }

  private readonly syncs = new Map<string, () => void>();

  /**
   * Resolves when every change committed before this call has been applied: a marker notification is
   * sent and, since PostgreSQL delivers notifications in commit order, everything before it comes first.
   */
  async settled(): Promise<void> {
    const pool = this.pool;
    if (!pool || !this.client) return this.pending;
    const token = randomUUID();
    const seen = new Promise<void>((resolve) => this.syncs.set(token, resolve));
    await pool.query("select pg_notify('matching_changes', $1)", [`sync:-:${token}`]);
    await seen;
  }

  private async refresh(kind: 'vacancy' | 'person', regionCode: string, id: string): Promise<void> {
    if (kind === 'vacancy') {
      const [v] = await loadVacancies(this.db, { regionCode, vacancyIds: [id] });
      this.vacancies.put({ regionCode, uuid: id }, v?.live ? v.profile : null);
    } else {
      const [p] = await loadPeople(this.db, { regionCode, citizenIds: [id] });
      this.people.put({ regionCode, uuid: id }, p?.located ? p.profile : null);
    }
    this.onApplied?.(kind, regionCode, id);
  }

  async rankVacanciesForPerson(
    regionCode: string,
    citizenId: string,
    options: { radiusKm?: number; limit: number },
  ): Promise<RankedVacancy[]> {
    const [p] = await this.facts.people(regionCode, [citizenId]);
    if (!p?.located) return [];
    const radius = options.radiusKm ?? p.profile.maxKm;
    return this.vacancies.index
      .search(p.profile, radius, options.limit, true, this.vacancies.regionId(regionCode))
      .flatMap((h) => {
        const uuid = this.vacancies.uuid(h.id);
        return uuid ? [{ vacancyId: uuid, score: h.score }] : [];
      });
  }

  async rankPeopleForVacancy(
    regionCode: string,
    vacancyId: string,
    options: { radiusKm?: number; limit: number },
  ): Promise<RankedPerson[]> {
    const [v] = await this.facts.vacancies(regionCode, [vacancyId]);
    if (!v) return [];
    const radius = options.radiusKm ?? 30;
    return this.people.index
      .search(v.profile, radius, options.limit, false, this.people.regionId(regionCode))
      .flatMap((h) => {
        const uuid = this.people.uuid(h.id);
        return uuid ? [{ citizenId: uuid, score: h.score }] : [];
      });
  }
}
