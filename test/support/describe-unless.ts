/**
 * `describe`, or `describe.skip` when `skipReason` says why the suite cannot
 * run here (a store out of reach, a missing browser or interpreter). The
 * reason goes into the title and onto the console: a skipped suite is
 * otherwise only a count in the summary.
 */
export function describeUnless(
  skipReason: string | undefined,
  title: string,
  body: () => void,
): void {
  if (!skipReason) {
    describe(title, body);
    return;
  }
  console.info(`${title} skipped: ${skipReason}`);
  describe.skip(`${title} (skipped: ${skipReason})`, body);
}
