/**
 * Maps for values a process keeps because making them again costs CPU (an HMAC, an Intl formatter,
 * a rendered fragment, facts read from PostgreSQL) and that must not grow without bound, whatever the
 * traffic. Two ways of forgetting:
 *
 * - `ForgetfulMap`: when full, it forgets everything at once. For values that are cheap to make
 *   again and whose keys come back soon (a page's labels, a formatter): no bookkeeping per read.
 * - `LruMap`: when full, it forgets the least recently used. For values that cost a round trip or a
 *   cipher, where the recently used ones are the ones asked for again (a page of candidates).
 *
 * Both are plain `Map`s to their callers (`get`, `has`, `delete`, `clear`, `size`); only `set` (and
 * `get`, for the LRU) differ.
 */

/** A Map that clears itself when a new key would take it past `max` entries. */
export class ForgetfulMap<K, V> extends Map<K, V> {
  constructor(readonly max: number) {
    super();
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`ForgetfulMap: max must be ≥ 1 (${max})`);
  }

  override set(key: K, value: V): this {
    if (this.size >= this.max && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}

/**
 * A Map that drops its least recently used entry when a new key would take it past `max` entries.
 * A read (`get`) or a write (`set`) makes an entry the most recently used (a Map keeps insertion
 * order: re-inserting moves a key last, so the first key is always the least recently used).
 */
export class LruMap<K, V> extends Map<K, V> {
  constructor(readonly max: number) {
    super();
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`LruMap: max must be ≥ 1 (${max})`);
  }

  override get(key: K): V | undefined {
    const value = super.get(key);
    if (value === undefined && !super.has(key)) return undefined;
    super.delete(key);
    super.set(key, value as V);
    return value;
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.max) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return this;
  }
}
