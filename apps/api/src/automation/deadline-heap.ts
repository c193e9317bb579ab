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
      if (entries[parent].at <= entries[index].at) break;
      [entries[parent], entries[index]] = [entries[index], entries[parent]];
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
        if (left < entries.length && entries[left].at < entries[smallest].at) smallest = left;
        if (right < entries.length && entries[right].at < entries[smallest].at) smallest = right;
        if (smallest === index) break;
        [entries[smallest], entries[index]] = [entries[index], entries[smallest]];
        index = smallest;
      }
    }
    return top;
  }
}
