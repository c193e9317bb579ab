/** One line of a scrape: a metric's name, its labels and its value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  /** `# TYPE` of each metric family. */
  types: Map<string, string>;
  samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;

const SPECIAL_VALUES: Record<string, number> = {
  nan: NaN,
  '+inf': Infinity,
  inf: Infinity,
  '-inf': -Infinity,
};

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

/**
 * Reads Prometheus' text format (0.0.4): enough of it to check what the API
 * exposes, strictly, so a line it cannot read fails the test.
 */
export function parsePrometheusText(text: string): Scrape {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice('# TYPE '.length).split(' ');
      if (name === undefined || type === undefined) throw new Error(`Not a TYPE line: ${line}`);
      types.set(name, type);
      continue;
    }
    const [, name, labelText = '', valueText] = SAMPLE.exec(line) ?? [];
    if (name === undefined || valueText === undefined) {
      throw new Error(`Not a sample line: ${line}`);
    }

    const labels: Record<string, string> = {};
    LABEL.lastIndex = 0;
    let consumed = 0;
    for (let label = LABEL.exec(labelText); label; label = LABEL.exec(labelText)) {
      const [, key, value] = label;
      if (key === undefined || value === undefined) throw new Error(`Labels not read: ${line}`);
      labels[key] = unescape(value);
      consumed = LABEL.lastIndex;
    }
    if (consumed !== labelText.length) throw new Error(`Labels not read: ${line}`);
    // Go's ParseFloat, which Prometheus reads values with, takes NaN and Inf in any case.
    const special = SPECIAL_VALUES[valueText.toLowerCase()];
    const value = special ?? Number(valueText);
    if (Number.isNaN(value) && special === undefined) throw new Error(`Not a value: ${line}`);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

/** The value of the one sample of `name` whose labels are exactly `labels`; 0 when there is none. */
export function valueOf(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels);
  const found = scrape.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.keys(sample.labels).length === wanted.length &&
      wanted.every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} is not one sample`);
  return found[0]?.value ?? 0;
}
