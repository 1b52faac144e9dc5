/**
 * The in-process matching index: columnar typed arrays, records grouped by a 0.05° geographic cell
 * (≈ 5.5 × 4 km in Italy) in chunks of 16 slots, so a query reads only the cells inside its radius,
 * nearest first, and stops when no farther cell can beat the current top-K (the nearness points
 * fall with distance: a cell's bound is 800 + the nearness of its nearest point).
 *
 * Per record: id, lat, lon (4 B each), skill offset (4 B) and count (1 B), EQF (1 B), contracts and
 * consent (1 B), licences (2 B), languages (4 B), Region (1 B), skill signature (4 B) = 30 B, plus
 * its skill numbers (2 B each) in one pool, plus the id → slot map (4 B per id; ids are dense sequence
 * numbers). Updates and
 * removals are O(1) (a removed slot is filled by the last record of its cell); `compact()` lays the
 * cells out contiguously again. Results are exact: the same `points` as the brute-force scorer.
 */
import type { Hit } from './brute-force.ts';
import {
  BAND,
  cosBand as cosBandImport,
  KM_PER_MICRODEGREE,
  kmWithCos as kmWithCosImport,
  languagesMet as languagesMetImport,
  type Profile,
  points as pointsImport,
} from './score.ts';

// Local bindings: the scan loop calls these millions of times, and a direct binding lets the JIT inline
// them (a loader may turn imported names into property reads through getters).
const cosBand = cosBandImport;
const kmWithCos = kmWithCosImport;
const languagesMet = languagesMetImport;
const points = pointsImport;

const LAT0 = 35_000_000;
const LON0 = 6_000_000;
const CELL = BAND; // 0.05°: a cell row is one latitude band of the distance (score.ts)
const ROWS = 260; // 35°N … 48°N
const COLS = 280; // 6°E … 20°E
const REMOTE_CELL = ROWS * COLS; // fully remote vacancies: 0 km from everyone
const NCELLS = REMOTE_CELL + 1;
const CHUNK = 16;
/** Points a record can get besides nearness (skills 400, EQF 150, languages 100, contract 100, licence 50). */
const MAX_BASE = 800;
const CONSENT = 64;

function signature(skills: readonly number[]): number {
  let x = 0;
  for (const s of skills) x |= 1 << (s & 31);
  return x;
}

function cellOf(p: Profile): number {
  if (p.remote) return REMOTE_CELL;
  const r = Math.min(ROWS - 1, Math.max(0, Math.floor((p.lat - LAT0) / CELL)));
  const c = Math.min(COLS - 1, Math.max(0, Math.floor((p.lon - LON0) / CELL)));
  return r * COLS + c;
}

export class MatchIndex {
  // Columns, one slot per record; slot = chunk × 16 + position.
  private ids: Int32Array;
  private lat: Int32Array;
  private lon: Int32Array;
  private skOff: Int32Array;
  private skCnt: Uint8Array;
  private eqf: Uint8Array;
  private cf: Uint8Array; // bits 0–5 contracts, bit 6 consent
  private lic: Uint16Array;
  private sig: Int32Array; // skill signature: bit (skill mod 32); no common bit → no common skill
  private langs: Int32Array;
  private region: Uint8Array;
  // Chunks.
  private chunkCap: number;
  private chunkNext: Int32Array;
  private chunkPrev: Int32Array;
  private chunkCell: Int32Array;
  private freeChunks: number[] = [];
  private usedChunks = 0;
  // Cells.
  private readonly cellHead = new Int32Array(NCELLS).fill(-1);
  private readonly cellTail = new Int32Array(NCELLS).fill(-1);
  private readonly cellCount = new Int32Array(NCELLS);
  // Skill pool.
  private pool: Uint16Array;
  private poolLen = 0;
  private poolGarbage = 0;
  // id → slot, direct (ids are dense sequence numbers: vacancies.match_seq, citizen_profiles.match_seq); -1 absent.
  private slotOf: Int32Array;
  private count = 0;
  // Query scratch.
  private mark = new Int32Array(1024);
  private epoch = 0;
  private order = new Int32Array(1024);

  constructor(capacityHint = 1024) {
    this.chunkCap = Math.max(4, Math.ceil(capacityHint / CHUNK) + 64);
    const slots = this.chunkCap * CHUNK;
    this.ids = new Int32Array(slots);
    this.lat = new Int32Array(slots);
    this.lon = new Int32Array(slots);
    this.skOff = new Int32Array(slots);
    this.skCnt = new Uint8Array(slots);
    this.eqf = new Uint8Array(slots);
    this.cf = new Uint8Array(slots);
    this.lic = new Uint16Array(slots);
    this.sig = new Int32Array(slots);
    this.langs = new Int32Array(slots);
    this.region = new Uint8Array(slots);
    this.chunkNext = new Int32Array(this.chunkCap);
    this.chunkPrev = new Int32Array(this.chunkCap);
    this.chunkCell = new Int32Array(this.chunkCap);
    this.pool = new Uint16Array(Math.max(1024, capacityHint * 4));
    this.slotOf = new Int32Array(Math.max(1024, capacityHint + 1)).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  // ── id → slot ──────────────────────────────────────────────────────────────────────────────
  private slot(id: number): number {
    return id < this.slotOf.length ? (this.slotOf[id] as number) : -1;
  }

  private setSlot(id: number, slot: number): void {
    if (id >= this.slotOf.length) {
      const m = new Int32Array(Math.max(id + 1, Math.ceil(this.slotOf.length * 1.5))).fill(-1);
      m.set(this.slotOf);
      this.slotOf = m;
    }
    this.slotOf[id] = slot;
  }

  // ── storage ────────────────────────────────────────────────────────────────────────────────
  private growChunks(): void {
    const cap = Math.ceil(this.chunkCap * 1.5);
    const slots = cap * CHUNK;
    const g = <T extends Int32Array | Uint8Array | Uint16Array | Uint32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.ids = g(this.ids, slots);
    this.lat = g(this.lat, slots);
    this.lon = g(this.lon, slots);
    this.skOff = g(this.skOff, slots);
    this.skCnt = g(this.skCnt, slots);
    this.eqf = g(this.eqf, slots);
    this.cf = g(this.cf, slots);
    this.lic = g(this.lic, slots);
    this.sig = g(this.sig, slots);
    this.langs = g(this.langs, slots);
    this.region = g(this.region, slots);
    this.chunkNext = g(this.chunkNext, cap);
    this.chunkPrev = g(this.chunkPrev, cap);
    this.chunkCell = g(this.chunkCell, cap);
    this.chunkCap = cap;
  }

  private newChunk(cell: number): number {
    let c = this.freeChunks.pop();
    if (c === undefined) {
      if (this.usedChunks === this.chunkCap) this.growChunks();
      c = this.usedChunks++;
    }
    this.chunkNext[c] = -1;
    this.chunkPrev[c] = this.cellTail[cell] as number;
    this.chunkCell[c] = cell;
    if (this.cellTail[cell] === -1) this.cellHead[cell] = c;
    else this.chunkNext[this.cellTail[cell] as number] = c;
    this.cellTail[cell] = c;
    return c;
  }

  private putSkills(skills: readonly number[]): number {
    const n = Math.min(255, skills.length);
    if (this.poolLen + n > this.pool.length) {
      if (this.poolGarbage * 2 > this.poolLen) this.compactPool();
      if (this.poolLen + n > this.pool.length) {
        const b = new Uint16Array(Math.ceil((this.pool.length + n) * 1.5));
        b.set(this.pool.subarray(0, this.poolLen));
        this.pool = b;
      }
    }
    const off = this.poolLen;
    let maxSkill = 0;
    for (let i = 0; i < n; i++) {
      const s = skills[i] as number;
      this.pool[off + i] = s;
      if (s > maxSkill) maxSkill = s;
    }
    if (maxSkill >= this.mark.length) {
      const m = new Int32Array(Math.max(maxSkill + 1, this.mark.length * 2));
      m.set(this.mark);
      this.mark = m;
    }
    this.poolLen += n;
    return off;
  }

  private compactPool(): void {
    const b = new Uint16Array(this.pool.length);
    let len = 0;
    for (let cell = 0; cell < NCELLS; cell++) {
      let left = this.cellCount[cell] as number;
      for (let ch = this.cellHead[cell] as number; ch !== -1 && left > 0; ch = this.chunkNext[ch] as number) {
        const end = ch * CHUNK + Math.min(CHUNK, left);
        for (let s = ch * CHUNK; s < end; s++) {
          const off = this.skOff[s] as number;
          const n = this.skCnt[s] as number;
          b.set(this.pool.subarray(off, off + n), len);
          this.skOff[s] = len;
          len += n;
        }
        left -= CHUNK;
      }
    }
    this.pool = b;
    this.poolLen = len;
    this.poolGarbage = 0;
  }

  private write(slot: number, p: Profile, region: number): void {
    this.skCnt[slot] = 0; // the old skills (if any) are garbage already; a compaction must not copy them
    this.ids[slot] = p.id;
    this.lat[slot] = p.lat;
    this.lon[slot] = p.lon;
    this.skOff[slot] = this.putSkills(p.skills);
    this.skCnt[slot] = Math.min(255, p.skills.length);
    this.eqf[slot] = p.eqf;
    this.cf[slot] = (p.contracts & 63) | (p.consent ? CONSENT : 0);
    this.lic[slot] = p.licences;
    this.sig[slot] = signature(p.skills);
    this.langs[slot] = p.langs | 0;
    this.region[slot] = region;
  }

  private move(from: number, to: number): void {
    this.ids[to] = this.ids[from] as number;
    this.lat[to] = this.lat[from] as number;
    this.lon[to] = this.lon[from] as number;
    this.skOff[to] = this.skOff[from] as number;
    this.skCnt[to] = this.skCnt[from] as number;
    this.eqf[to] = this.eqf[from] as number;
    this.cf[to] = this.cf[from] as number;
    this.lic[to] = this.lic[from] as number;
    this.sig[to] = this.sig[from] as number;
    this.langs[to] = this.langs[from] as number;
    this.region[to] = this.region[from] as number;
  }

  /** Insert or replace a record; `region` (0–255) lets a search keep to one Region. */
  upsert(p: Profile, region = 0): void {
    if (!Number.isInteger(p.id) || p.id <= 0 || p.id > 0x7fffffff) {
      throw new RangeError('record ids are positive 32-bit integers');
    }
    const cell = cellOf(p);
    const old = this.slot(p.id);
    if (old >= 0) {
      if (this.chunkCell[Math.floor(old / CHUNK)] === cell) {
        this.poolGarbage += this.skCnt[old] as number;
        this.write(old, p, region);
        return;
      }
      this.remove(p.id);
    }
    const pos = this.cellCount[cell] as number;
    const chunk = pos % CHUNK === 0 ? this.newChunk(cell) : (this.cellTail[cell] as number);
    const slot = chunk * CHUNK + (pos % CHUNK);
    this.cellCount[cell] = pos + 1;
    this.write(slot, p, region);
    this.setSlot(p.id, slot);
    this.count++;
    this.changes++;
  }

  /** Remove a record (no-op when absent); the last record of its cell takes its slot. */
  remove(id: number): void {
    const slot = this.slot(id);
    if (slot < 0) return;
    const cell = this.chunkCell[Math.floor(slot / CHUNK)] as number;
    const count = this.cellCount[cell] as number;
    const tail = this.cellTail[cell] as number;
    const last = tail * CHUNK + ((count - 1) % CHUNK);
    this.poolGarbage += this.skCnt[slot] as number;
    if (last !== slot) {
      this.move(last, slot);
      this.slotOf[this.ids[slot] as number] = slot;
    }
    this.cellCount[cell] = count - 1;
    if ((count - 1) % CHUNK === 0) {
      const prev = this.chunkPrev[tail] as number;
      this.cellTail[cell] = prev;
      if (prev === -1) this.cellHead[cell] = -1;
      else this.chunkNext[prev] = -1;
      this.freeChunks.push(tail);
    }
    this.slotOf[id] = -1;
    this.count--;
    this.changes++;
  }

  /** Changes since the last `compact()`: the live matcher compacts when they pile up. */
  changes = 0;

  /**
   * Lay every cell's records out contiguously, cells in order, with their skills in the same order, so
   * a search streams memory instead of jumping. O(n); done after a bulk load and now and then after
   * many changes.
   */
  compact(): void {
    let chunks = 0;
    let skills = 0;
    for (let cell = 0; cell < NCELLS; cell++) {
      chunks += Math.ceil((this.cellCount[cell] as number) / CHUNK);
    }
    const cap = chunks + Math.max(64, Math.ceil(chunks / 32));
    const slots = cap * CHUNK;
    const ids = new Int32Array(slots);
    const lat = new Int32Array(slots);
    const lon = new Int32Array(slots);
    const skOff = new Int32Array(slots);
    const skCnt = new Uint8Array(slots);
    const eqf = new Uint8Array(slots);
    const cf = new Uint8Array(slots);
    const lic = new Uint16Array(slots);
    const sig = new Int32Array(slots);
    const langs = new Int32Array(slots);
    const region = new Uint8Array(slots);
    for (let cell = 0; cell < NCELLS; cell++) {
      let left = this.cellCount[cell] as number;
      for (let ch = this.cellHead[cell] as number; ch !== -1 && left > 0; ch = this.chunkNext[ch] as number) {
        const end = ch * CHUNK + Math.min(CHUNK, left);
        for (let s = ch * CHUNK; s < end; s++) skills += this.skCnt[s] as number;
        left -= CHUNK;
      }
    }
    const pool = new Uint16Array(skills + Math.max(1024, Math.ceil(skills / 32)));
    const chunkNext = new Int32Array(cap);
    const chunkPrev = new Int32Array(cap);
    const chunkCell = new Int32Array(cap);
    let next = 0;
    let len = 0;
    for (let cell = 0; cell < NCELLS; cell++) {
      const n = this.cellCount[cell] as number;
      if (n === 0) continue;
      const first = next;
      let t = first * CHUNK;
      let left = n;
      for (let ch = this.cellHead[cell] as number; ch !== -1 && left > 0; ch = this.chunkNext[ch] as number) {
        const end = ch * CHUNK + Math.min(CHUNK, left);
        for (let s = ch * CHUNK; s < end; s++, t++) {
          ids[t] = this.ids[s] as number;
          lat[t] = this.lat[s] as number;
          lon[t] = this.lon[s] as number;
          const off = this.skOff[s] as number;
          const c = this.skCnt[s] as number;
          pool.set(this.pool.subarray(off, off + c), len);
          skOff[t] = len;
          len += c;
          skCnt[t] = c;
          eqf[t] = this.eqf[s] as number;
          cf[t] = this.cf[s] as number;
          lic[t] = this.lic[s] as number;
          sig[t] = this.sig[s] as number;
          langs[t] = this.langs[s] as number;
          region[t] = this.region[s] as number;
          this.slotOf[ids[t] as number] = t;
        }
        left -= CHUNK;
      }
      const used = Math.ceil(n / CHUNK);
      for (let i = 0; i < used; i++) {
        const c = first + i;
        chunkNext[c] = i + 1 < used ? c + 1 : -1;
        chunkPrev[c] = i > 0 ? c - 1 : -1;
        chunkCell[c] = cell;
      }
      this.cellHead[cell] = first;
      this.cellTail[cell] = first + used - 1;
      next += used;
    }
    this.ids = ids;
    this.lat = lat;
    this.lon = lon;
    this.skOff = skOff;
    this.skCnt = skCnt;
    this.eqf = eqf;
    this.cf = cf;
    this.lic = lic;
    this.sig = sig;
    this.langs = langs;
    this.region = region;
    this.chunkNext = chunkNext;
    this.chunkPrev = chunkPrev;
    this.chunkCell = chunkCell;
    this.chunkCap = cap;
    this.usedChunks = next;
    this.freeChunks = [];
    this.pool = pool;
    this.poolLen = len;
    this.poolGarbage = 0;
    this.changes = 0;
  }

  // ── search ─────────────────────────────────────────────────────────────────────────────────
  /**
   * Top-K by score, best first, ties by lower id. `forPerson` true: the query is a person and the
   * records are vacancies; false: the query is a vacancy and the records are people who consented.
   */
  search(q: Profile, radiusKm: number, k: number, forPerson: boolean, region = 0): Hit[] {
    if (k <= 0 || this.count === 0) return [];
    const regionCol = this.region;
    // Mark the query's skills.
    this.epoch = (this.epoch + 1) | 0;
    if (this.epoch <= 0) {
      this.mark.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    const mark = this.mark;
    for (const s of q.skills) if (s < mark.length) mark[s] = epoch;
    const qReq = q.skills.length;

    // Candidate cells with their nearness bound, nearest first.
    const anywhere = !forPerson && q.remote; // a fully remote vacancy: every person is 0 km away
    let nCells = 0;
    const push = (cell: number, bound: number) => {
      if (this.cellCount[cell] === 0) return;
      if (nCells === this.order.length) {
        const o = new Int32Array(this.order.length * 2);
        o.set(this.order);
        this.order = o;
      }
      // Sort key: higher bound first, then cell number.
      this.order[nCells++] = (1000 - bound) * 131072 + cell;
    };
    if (forPerson) push(REMOTE_CELL, 1000);
    if (anywhere) {
      for (let cell = 0; cell < REMOTE_CELL; cell++) push(cell, 1000);
    } else {
      // Records are vacancies (forPerson): the cosine is the cell row's band. Records are people: the query's.
      const qCos = cosBand(q.lat);
      const dLat = (radiusKm / KM_PER_MICRODEGREE) * 1.001;
      const r0 = Math.max(0, Math.floor((q.lat - dLat - LAT0) / CELL));
      const r1 = Math.min(ROWS - 1, Math.floor((q.lat + dLat - LAT0) / CELL));
      for (let r = r0; r <= r1; r++) {
        // Edge rows and columns also hold what lies beyond the grid: their outer side is unbounded.
        const la = r === 0 ? Number.NEGATIVE_INFINITY : LAT0 + r * CELL;
        const lb = r === ROWS - 1 ? Number.POSITIVE_INFINITY : LAT0 + (r + 1) * CELL;
        const dy = q.lat < la ? la - q.lat : q.lat > lb ? q.lat - lb : 0;
        const c = forPerson ? (r === 0 || r === ROWS - 1 ? 0.01 : cosBand(LAT0 + r * CELL)) : qCos;
        const dLon = dLat / c;
        const c0 = Math.max(0, Math.floor((q.lon - dLon - LON0) / CELL));
        const c1 = Math.min(COLS - 1, Math.floor((q.lon + dLon - LON0) / CELL));
        for (let col = c0; col <= c1; col++) {
          const lo = col === 0 ? Number.NEGATIVE_INFINITY : LON0 + col * CELL;
          const lp = col === COLS - 1 ? Number.POSITIVE_INFINITY : LON0 + (col + 1) * CELL;
          const dx = (q.lon < lo ? lo - q.lon : q.lon > lp ? q.lon - lp : 0) * c;
          // A lower bound of the distance to any point of the cell.
          const minKm = Math.sqrt(dy * dy + dx * dx) * KM_PER_MICRODEGREE * 0.999;
          if (minKm > radiusKm) continue;
          const near = 200 - Math.floor(minKm * 2);
          push(r * COLS + col, MAX_BASE + Math.max(0, near));
        }
      }
    }
    const order = this.order.subarray(0, nCells).sort();

    // Top-K heap, worst on top: lower score, or equal score and higher id.
    const hs = new Int32Array(k);
    const hi = new Int32Array(k);
    let n = 0;
    const pool = this.pool;
    const { ids, lat, lon, skOff, skCnt, eqf, cf, lic, langs, sig } = this;
    const qSig = signature(q.skills);
    const qEqf = q.eqf;
    const qLangs = q.langs | 0;
    const qCon = q.contracts;
    const qLic = q.licences;
    const qLat = q.lat;
    const qLon = q.lon;
    const dLatMax = (radiusKm / KM_PER_MICRODEGREE) * 1.001;
    const qCosAll = cosBand(qLat);

    for (let o = 0; o < nCells; o++) {
      const key = order[o] as number;
      const cell = key % 131072;
      const bound = 1000 - Math.floor(key / 131072);
      if (n === k && bound < (hs[0] as number)) break;
      const remoteCell = cell === REMOTE_CELL;
      // The most nearness points any record of this cell can get.
      const cellNear = bound - MAX_BASE;
      const row = Math.floor(cell / COLS);
      // The row's band cosine, except on the edge rows (records beyond the grid): per record there.
      const edgeRow = row === 0 || row >= ROWS - 1;
      const rowCos = cosBand(LAT0 + row * CELL);
      let left = this.cellCount[cell] as number;
      for (let ch = this.cellHead[cell] as number; ch !== -1 && left > 0; ch = this.chunkNext[ch] as number) {
        const start = ch * CHUNK;
        const end = start + Math.min(left, CHUNK);
        left -= CHUNK;
        for (let s = start; s < end; s++) {
          const flags = cf[s] as number;
          if (!forPerson && (flags & CONSENT) === 0) continue;
          if (region !== 0 && regionCol[s] !== region) continue;
          // Cheapest tests first; the distance (the costly part) only for records that could still enter.
          const eqfOk = forPerson ? qEqf >= (eqf[s] as number) : (eqf[s] as number) >= qEqf;
          const langsOk = forPerson
            ? languagesMet(qLangs, langs[s] as number)
            : languagesMet(langs[s] as number, qLangs);
          const conOk = (qCon & flags & 63) !== 0;
          const licOk = forPerson
            ? lic[s] === 0 || (qLic & (lic[s] as number)) !== 0
            : qLic === 0 || (qLic & (lic[s] as number)) !== 0;
          const full = n === k;
          // Upper bounds with the same weights as `points`: every skill met and the cell's best nearness.
          const rest =
            (eqfOk ? 150 : 0) + (langsOk ? 100 : 0) + (conOk ? 100 : 0) + (licOk ? 50 : 0) + cellNear;
          if (full && 400 + rest < (hs[0] as number)) continue;
          const off = skOff[s] as number;
          const cnt = skCnt[s] as number;
          let met = 0;
          if ((sig[s] as number) & qSig) {
            for (let j = off; j < off + cnt; j++) if (mark[pool[j] as number] === epoch) met++;
          }
          const req = forPerson ? cnt : qReq;
          if (full && (req === 0 ? 400 : Math.floor((400 * met) / req)) + rest < (hs[0] as number)) continue;
          let d = 0;
          if (!remoteCell && !anywhere) {
            const la = lat[s] as number;
            if ((la > qLat ? la - qLat : qLat - la) > dLatMax) continue; // cheap: too far north or south
            d = forPerson
              ? kmWithCos(qLat, qLon, la, lon[s] as number, edgeRow ? cosBand(la) : rowCos)
              : kmWithCos(la, lon[s] as number, qLat, qLon, qCosAll);
            if (d > radiusKm) continue;
          }
          const sc = points(req, met, eqfOk, langsOk, conOk, licOk, d);
          const id = ids[s] as number;
          if (n < k) {
            // Sift up.
            let i = n++;
            while (i > 0) {
              const p = (i - 1) >> 1;
              const ps = hs[p] as number;
              if (ps < sc || (ps === sc && (hi[p] as number) > id)) break;
              hs[i] = ps;
              hi[i] = hi[p] as number;
              i = p;
            }
            hs[i] = sc;
            hi[i] = id;
          } else if (sc > (hs[0] as number) || (sc === hs[0] && id < (hi[0] as number))) {
            // Replace the worst, sift down.
            let i = 0;
            for (;;) {
              const l = 2 * i + 1;
              if (l >= k) break;
              const r = l + 1;
              let w = l;
              if (
                r < k &&
                ((hs[r] as number) < (hs[l] as number) ||
                  (hs[r] === hs[l] && (hi[r] as number) > (hi[l] as number)))
              )
                w = r;
              const ws = hs[w] as number;
              if (ws > sc || (ws === sc && (hi[w] as number) < id)) break;
              hs[i] = ws;
              hi[i] = hi[w] as number;
              i = w;
            }
            hs[i] = sc;
            hi[i] = id;
          }
        }
      }
    }
    const out: Hit[] = [];
    for (let i = 0; i < n; i++) out.push({ id: hi[i] as number, score: hs[i] as number });
    out.sort((a, b) => b.score - a.score || a.id - b.id);
    return out;
  }

  /** Bytes held by the index's arrays divided by the records it holds. */
  bytesPerRecord(): number {
    if (this.count === 0) return 0;
    const arrays = [
      this.ids,
      this.lat,
      this.lon,
      this.skOff,
      this.skCnt,
      this.eqf,
      this.cf,
      this.lic,
      this.sig,
      this.langs,
      this.region,
      this.chunkNext,
      this.chunkPrev,
      this.chunkCell,
      this.cellHead,
      this.cellTail,
      this.cellCount,
      this.pool,
      this.slotOf,
      this.mark,
      this.order,
    ];
    return arrays.reduce((s, a) => s + a.byteLength, 0) / this.count;
  }
}
