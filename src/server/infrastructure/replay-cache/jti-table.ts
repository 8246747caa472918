/**
 * The replay cache's entries, outside V8's heap: a hash table with open addressing and linear probing
 * over two typed arrays, a 128-bit key (four 32-bit words of a SHA-256) and a number (the entry's
 * packed expiry and client) per slot, 24 bytes. 100,000 entries take 131,072 slots, 3 MB, allocated
 * as the cache fills and given back as it empties. In a Map the same entries took about 9.3 MB of
 * V8's heap (the Map's table alone 3.5 or 7 MB of large objects), which V8 lets grow to about twice
 * its live size between two full collections.
 *
 * A value is a positive number; 0 marks an empty slot. The keys are digests, so their first word is
 * as good an index as any hash of them. Deletion moves back the entries after the freed slot that
 * can take it (Knuth's Algorithm R, TAOCP 6.4): no tombstones, and every entry stays reachable from its
 * home slot without crossing an empty one, which lookups rely on to find a key that is there.
 */

/** Words of a key: the first 128 bits of the digest. */
const KEY_WORDS = 4;
/** Bytes of a key. */
export const KEY_BYTES = KEY_WORDS * 4;
const MIN_CAPACITY = 1024;
/** Most slots taken before the table grows: 100,000 entries fit in 131,072 slots. */
const MAX_LOAD = 0.8;

export class JtiTable {
  private capacity = MIN_CAPACITY;
  private keys = new Uint32Array(MIN_CAPACITY * KEY_WORDS);
  private values = new Float64Array(MIN_CAPACITY);
  private count = 0;

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** The value under `key` (its first KEY_BYTES bytes), or undefined. */
  get(key: Buffer): number | undefined {
    const at = this.find(key);
    return at >= 0 ? this.values[at] : undefined;
  }

  /** Sets the value under `key`; `value` must be positive. */
  set(key: Buffer, value: number): void {
    if (!(value > 0)) throw new RangeError(`a jti table's value must be positive: ${value}`);
    let at = this.find(key);
    if (at >= 0) {
      this.values[at] = value;
      return;
    }
    if (this.count + 1 > this.capacity * MAX_LOAD) {
      this.resize(this.capacity * 2);
      at = this.find(key);
    }
    const slot = ~at;
    for (let w = 0; w < KEY_WORDS; w++) this.keys[slot * KEY_WORDS + w] = key.readUInt32LE(w * 4);
    this.values[slot] = value;
    this.count += 1;
  }

  /**
   * Deletes every entry whose value `drop` accepts, calling `deleted` with each value deleted; returns
   * how many. Shrinks the table when few entries are left.
   */
  deleteWhere(drop: (value: number) => boolean, deleted: (value: number) => void): number {
    if (this.count === 0) return 0;
    const mask = this.capacity - 1;
    // Scanning from just after an empty slot, no run of taken slots is entered in its middle, and a
    // deletion only moves later entries of the run back into slots not yet scanned from there on.
    let start = 0;
    while (this.values[start] !== 0) start += 1;
    let removed = 0;
    let at = (start + 1) & mask;
    for (let scanned = 1; scanned < this.capacity;) {
      const value = this.values[at] as number;
      if (value !== 0 && drop(value)) {
        this.removeAt(at);
        removed += 1;
        deleted(value);
        continue; // another entry may have moved into this slot
      }
      at = (at + 1) & mask;
      scanned += 1;
    }
    let capacity = this.capacity;
    while (capacity > MIN_CAPACITY && this.count < (capacity * MAX_LOAD) / 4) capacity /= 2;
    if (capacity !== this.capacity) this.resize(capacity);
    return removed;
  }

  /**
   * Calls `each` with every entry's key and value. The key's KEY_BYTES bytes are in one buffer,
   * written again for each entry: a caller that keeps a key copies it. A buffer for each key made
   * 100,000 small ArrayBuffers for a walk over a full table, each freed only by a later collection.
   */
  forEach(each: (key: Buffer, value: number) => void): void {
    const key = Buffer.alloc(KEY_BYTES);
    for (let at = 0; at < this.capacity; at++) {
      const value = this.values[at] as number;
      if (value === 0) continue;
      for (let w = 0; w < KEY_WORDS; w++) key.writeUInt32LE(this.keys[at * KEY_WORDS + w] as number, w * 4);
      each(key, value);
    }
  }

  /** The slot holding `key`, or the one's complement of the empty slot where it would go. */
  private find(key: Buffer): number {
    if (key.length < KEY_BYTES) throw new RangeError(`a jti table's key takes ${KEY_BYTES} bytes`);
    const k0 = key.readUInt32LE(0);
    const k1 = key.readUInt32LE(4);
    const k2 = key.readUInt32LE(8);
    const k3 = key.readUInt32LE(12);
    const mask = this.capacity - 1;
    let at = k0 & mask;
    while (this.values[at] !== 0) {
      const w = at * KEY_WORDS;
      if (
        this.keys[w] === k0 &&
        this.keys[w + 1] === k1 &&
        this.keys[w + 2] === k2 &&
        this.keys[w + 3] === k3
      )
        return at;
      at = (at + 1) & mask;
    }
    return ~at;
  }

  /** Empties slot `hole`, moving back the later entries of its run that may take it (Algorithm R). */
  private removeAt(hole: number): void {
    const mask = this.capacity - 1;
    let free = hole;
    let at = hole;
    for (;;) {
      at = (at + 1) & mask;
      if (this.values[at] === 0) break;
      const home = (this.keys[at * KEY_WORDS] as number) & mask;
      // The entry at `at` stays where it is if its home lies cyclically in (free, at].
      const stays = free <= at ? home > free && home <= at : home > free || home <= at;
      if (stays) continue;
      this.keys.copyWithin(free * KEY_WORDS, at * KEY_WORDS, at * KEY_WORDS + KEY_WORDS);
      this.values[free] = this.values[at] as number;
      free = at;
    }
    this.values[free] = 0;
    this.count -= 1;
  }

  private resize(capacity: number): void {
    const { keys, values } = this;
    this.capacity = capacity;
    this.keys = new Uint32Array(capacity * KEY_WORDS);
    this.values = new Float64Array(capacity);
    const mask = capacity - 1;
    for (let from = 0; from < values.length; from++) {
      const value = values[from] as number;
      if (value === 0) continue;
      let at = (keys[from * KEY_WORDS] as number) & mask;
      while (this.values[at] !== 0) at = (at + 1) & mask;
      this.keys.set(keys.subarray(from * KEY_WORDS, from * KEY_WORDS + KEY_WORDS), at * KEY_WORDS);
      this.values[at] = value;
    }
  }
}
