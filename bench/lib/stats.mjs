/** Median and spread of repeated measurements. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const median =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return {
    median,
    min: sorted[0],
    max: sorted[sorted.length - 1],
    /** (max - min) / median, in percent: how much the rounds disagreed. */
    spreadPct:
      median === 0 ? 0 : round(((sorted[sorted.length - 1] - sorted[0]) / median) * 100, 1),
    rounds: values.length,
  };
}

/** Nearest-rank percentile of raw samples. */
export function percentile(samples, percent) {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1)];
}

export function round(value, digits = 2) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * `key` of each numerator over the same round's denominator, summarized. The
 * two of a round ran minutes apart at most: on a shared machine the median of
 * these ratios moves less than the ratio of the medians.
 */
export function roundRatios(numerators, denominators, key) {
  return summarize(numerators.map((sample, i) => sample[key] / denominators[i][key]));
}
