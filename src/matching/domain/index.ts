/**
 * Columnar in-process index: typed arrays, one slot per record, partitioned by a ~33 km grid cell
 * over Italy's bounding box so a query reads only the cells within the radius.
 */
import type { Hit } from './brute-force.ts';
import { type Profile, score } from './score.ts';

const LAT0 = 35_000_000;
const LON0 = 6_000_000;
const CELL = 300_000; // 0.3° ≈ 33 km latitude
const ROWS = 40;
const COLS = 44;

function cellOf(lat: number, lon: number): number {
  const r = Math.min(ROWS - 1, Math.max(0, Math.floor((lat - LAT0) / CELL)));
  const c = Math.min(COLS - 1, Math.max(0, Math.floor((lon - LON0) / CELL)));
  return r * COLS + c;
}

export class MatchIndex {
  private n = 0;
  private cap: number;
  private ids: Int32Array;
  private skills: Int32Array;
  private langs: Int16Array;
  private eqf: Uint8Array;
  private flags: Uint8Array; // bit0 licence, bit1 consent, bit2 live, bits 3..7 contracts
  private lat: Int32Array;
  private lon: Int32Array;
  private maxKm: Uint16Array;
  private cell: Uint16Array;
  private slotOf = new Map<number, number>();
  private cells: number[][] = Array.from({ length: ROWS * COLS }, () => []);

  constructor(capacity = 1024) {
    this.cap = capacity;
    this.ids = new Int32Array(capacity);
    this.skills = new Int32Array(capacity);
    this.langs = new Int16Array(capacity);
    this.eqf = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.lat = new Int32Array(capacity);
    this.lon = new Int32Array(capacity);
    this.maxKm = new Uint16Array(capacity);
    this.cell = new Uint16Array(capacity);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g = <T extends Int32Array | Int16Array | Uint8Array | Uint16Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.ids = g(this.ids);
    this.skills = g(this.skills);
    this.langs = g(this.langs);
    this.eqf = g(this.eqf);
    this.flags = g(this.flags);
    this.lat = g(this.lat);
    this.lon = g(this.lon);
    this.maxKm = g(this.maxKm);
    this.cell = g(this.cell);
    this.cap = cap;
  }

  get size(): number {
    return this.slotOf.size;
  }

  upsert(p: Profile): void {
    let slot = this.slotOf.get(p.id);
    if (slot === undefined) {
      if (this.n === this.cap) this.grow();
      slot = this.n++;
      this.slotOf.set(p.id, slot);
    } else {
      this.detach(slot);
    }
    this.ids[slot] = p.id;
    this.skills[slot] = p.skills | 0;
    this.langs[slot] = p.langs;
    this.eqf[slot] = p.eqf;
    this.flags[slot] = (p.licence ? 1 : 0) | (p.consent ? 2 : 0) | 4 | ((p.contracts & 31) << 3);
    this.lat[slot] = p.lat;
    this.lon[slot] = p.lon;
    this.maxKm[slot] = p.maxKm;
    const c = cellOf(p.lat, p.lon);
    this.cell[slot] = c;
    this.cells[c]?.push(slot);
  }

  private detach(slot: number): void {
    const list = this.cells[this.cell[slot] ?? 0];
    if (!list) return;
    const i = list.indexOf(slot);
    if (i >= 0) list.splice(i, 1);
  }

  remove(id: number): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.detach(slot);
    this.flags[slot] = 0;
    this.slotOf.delete(id);
  }

  private profile(slot: number): Profile {
    const f = this.flags[slot] ?? 0;
    return {
      id: this.ids[slot] ?? 0,
      skills: this.skills[slot] ?? 0,
      eqf: this.eqf[slot] ?? 0,
      langs: this.langs[slot] ?? 0,
      contracts: f >>> 3,
      licence: (f & 1) !== 0,
      consent: (f & 2) !== 0,
      lat: this.lat[slot] ?? 0,
      lon: this.lon[slot] ?? 0,
      maxKm: this.maxKm[slot] ?? 0,
    };
  }

  /** Top-K; `forPerson` true = query is a person, records are vacancies. */
  search(query: Profile, radiusKm: number, k: number, forPerson: boolean): Hit[] {
    const dLat = Math.ceil((radiusKm / 111) * 1e6);
    const dLon = Math.ceil((radiusKm / (111 * Math.cos(((query.lat / 1e6) * Math.PI) / 180))) * 1e6) + 1;
    const r0 = Math.max(0, Math.floor((query.lat - dLat - LAT0) / CELL));
    const r1 = Math.min(ROWS - 1, Math.floor((query.lat + dLat - LAT0) / CELL));
    const c0 = Math.max(0, Math.floor((query.lon - dLon * 2 - LON0) / CELL));
    const c1 = Math.min(COLS - 1, Math.floor((query.lon + dLon * 2 - LON0) / CELL));
    const hits: Hit[] = [];
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const list = this.cells[r * COLS + c];
        if (!list) continue;
        for (const slot of list) {
          const f = this.flags[slot] ?? 0;
          if (!forPerson && (f & 2) === 0) continue;
          const rec = this.profile(slot);
          const s = forPerson ? score(query, rec, radiusKm) : score(rec, query, radiusKm);
          if (s >= 0) hits.push({ id: rec.id, score: s });
        }
      }
    }
    hits.sort((a, b) => b.score - a.score || a.id - b.id);
    return hits.slice(0, k);
  }

  bytesPerRecord(): number {
    const bytes =
      this.ids.byteLength +
      this.skills.byteLength +
      this.langs.byteLength +
      this.eqf.byteLength +
      this.flags.byteLength +
      this.lat.byteLength +
      this.lon.byteLength +
      this.maxKm.byteLength +
      this.cell.byteLength +
      this.n * 8;
    return this.size === 0 ? 0 : bytes / this.size;
  }
}
