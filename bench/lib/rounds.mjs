import { summarize } from './stats.mjs';

/**
 * Runs every contender once per round, rotating who goes first, so that the
 * machine's drift (thermal, other load) falls on all of them alike.
 * `measure(contender, round)` returns an object of numbers; each key is summarized.
 */
export async function alternate(contenders, rounds, measure) {
  const samples = new Map(contenders.map((c) => [c, []]));
  for (let round = 0; round < rounds; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
    for (const contender of order) samples.get(contender).push(await measure(contender, round));
  }
  const result = {};
  for (const [contender, values] of samples) {
    result[contender] = {};
    for (const key of Object.keys(values[0])) {
      result[contender][key] = summarize(values.map((v) => v[key]));
    }
  }
  return result;
}
