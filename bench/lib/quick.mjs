/** `BENCH_QUICK=1`: fewer and shorter rounds, a smaller data set, for smoke runs. */
export const QUICK = process.env.BENCH_QUICK === '1';
