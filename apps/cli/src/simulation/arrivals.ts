import { SeededRandom } from './seeded';

/** Tickets by hour of the day (UTC): a desk's working day, quiet at night. */
const BY_HOUR = [
  0.15, 0.1, 0.1, 0.1, 0.15, 0.3, 0.6, 1.0, 1.5, 1.9, 2.0, 1.9, 1.6, 1.8, 1.9, 1.8, 1.6, 1.3, 1.0,
  0.8, 0.6, 0.45, 0.3, 0.2,
];
/** By day of the week, Sunday first: a quieter weekend. */
const BY_WEEKDAY = [0.4, 1.15, 1.1, 1.05, 1.0, 0.95, 0.45];

/**
 * When `count` tickets arrive between `start` and `end` (epoch ms), in
 * order: uniform draws kept in proportion to how busy their hour and
 * weekday are.
 */
export function arrivalTimes(
  seed: number,
  count: number,
  start: number,
  end: number,
): Float64Array {
  const random = new SeededRandom(seed, 'arrivals');
  const peak = Math.max(...BY_HOUR) * Math.max(...BY_WEEKDAY);
  const times = new Float64Array(count);
  for (let made = 0; made < count;) {
    const at = Math.round(random.between(start, end));
    const day = new Date(at);
    const busy = (BY_HOUR[day.getUTCHours()] ?? 0) * (BY_WEEKDAY[day.getUTCDay()] ?? 0);
    if (random.next() * peak < busy) {
      times[made++] = at;
    }
  }
  return times.sort();
}
