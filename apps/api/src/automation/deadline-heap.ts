interface Entry {
  at: string;
  id: string;
}

/** The earliest instant first. Entries are never updated in place: a stale one is skipped by its reader. */
export class DeadlineHeap {
  private readonly entries: Entry[] = [];

  push(at: string, id: string): void {
    const entries = this.entries;
    entries.push({ at, id });
    let index = entries.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (this.entryAt(parent).at <= this.entryAt(index).at) break;
      this.swap(parent, index);
      index = parent;
    }
  }

  peek(): Entry | undefined {
    return this.entries[0];
  }

  pop(): Entry | undefined {
    const entries = this.entries;
    const top = entries[0];
    const last = entries.pop();
    if (entries.length > 0 && last) {
      entries[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < entries.length && this.entryAt(left).at < this.entryAt(smallest).at) {
          smallest = left;
        }
        if (right < entries.length && this.entryAt(right).at < this.entryAt(smallest).at) {
          smallest = right;
        }
        if (smallest === index) break;
        this.swap(smallest, index);
        index = smallest;
      }
    }
    return top;
  }

  /** The entry at `index`, which the heap's arithmetic keeps within its entries. */
  private entryAt(index: number): Entry {
    const entry = this.entries[index];
    if (!entry) throw new RangeError(`The deadline heap has no entry ${index}`);
    return entry;
  }

  private swap(a: number, b: number): void {
    [this.entries[a], this.entries[b]] = [this.entryAt(b), this.entryAt(a)];
  }
}
