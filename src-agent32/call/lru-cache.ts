// A Map that forgets its least recently used entry beyond a fixed size.
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  /** The entry at the young end: asked for again (a run of the same call), it needs no move. */
  private youngest: K | undefined;

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    if (key !== this.youngest) this.touch(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.touch(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  deleteWhere(test: (key: K) => boolean): void {
    for (const key of [...this.entries.keys()]) if (test(key)) this.entries.delete(key);
    if (this.youngest !== undefined && !this.entries.has(this.youngest)) this.youngest = undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  // Map keeps insertion order: re-inserting moves the entry to the young end.
  private touch(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.youngest = key;
  }
}
