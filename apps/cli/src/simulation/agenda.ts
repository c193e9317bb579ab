/** Something due at an instant; `order` breaks ties, so the order never depends on the heap's layout. */
export interface Due {
  at: number;
  order: number;
}

/** A binary min-heap: the earliest due first. */
export class Agenda<T extends Due> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!earlier(this.itemAt(i), this.itemAt(parent))) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    for (let i = 0; ;) {
      let first = i;
      for (const child of [2 * i + 1, 2 * i + 2]) {
        if (child < items.length && earlier(this.itemAt(child), this.itemAt(first))) first = child;
      }
      if (first === i) return top;
      this.swap(i, first);
      i = first;
    }
  }

  /** The item at `index`, which the heap's arithmetic keeps within its items. */
  private itemAt(index: number): T {
    const item = this.items[index];
    if (item === undefined) throw new RangeError(`The agenda has no item ${index}`);
    return item;
  }

  private swap(a: number, b: number): void {
    [this.items[a], this.items[b]] = [this.itemAt(b), this.itemAt(a)];
  }
}

function earlier(a: Due, b: Due): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
