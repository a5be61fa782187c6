// A FIFO with cheap shift/unshift: Array#shift is O(n) and the queue may hold thousands of calls.

export class JobQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) this.compact();
    return item;
  }

  /** Puts items back at the front, in their order. */
  unshift(...items: T[]): void {
    if (items.length === 0) return;
    if (items.length <= this.head) {
      this.head -= items.length;
      for (let i = 0; i < items.length; i++) this.items[this.head + i] = items[i];
    } else {
      this.items = [...items, ...this.toArray()];
      this.head = 0;
    }
  }

  /** Removes and returns every item. */
  drain(): T[] {
    const all = this.toArray();
    this.items = [];
    this.head = 0;
    return all;
  }

  /** Removes and returns the items matching `test`, keeping the others in order. */
  extract(test: (item: T) => boolean): T[] {
    const all = this.drain();
    const taken = all.filter(test);
    if (taken.length > 0) this.items = all.filter((item) => !test(item));
    else this.items = all;
    return taken;
  }

  private toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }

  private compact(): void {
    this.items = this.items.slice(this.head);
    this.head = 0;
  }
}
