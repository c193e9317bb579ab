/**
 * The oldest server the adapter works with. Stream reads carry each event's
 * real `$all` position from 22.6 on (before, the client reports a placeholder
 * all the same), and a namespace's reads wait for the message that says a
 * subscription has caught up, which servers send from 23.10 on.
 */
const OLDEST_SUPPORTED_SERVER = '23.10';

/**
 * Why the server that reported `version` (as in `24.10.4`; undefined when it
 * reports none) cannot hold the log, or undefined when it can.
 */
export function whyUnsupported(version: string | undefined): string | undefined {
  if (version === undefined) {
    return `does not report its version: the log needs EventStoreDB ${OLDEST_SUPPORTED_SERVER} or later`;
  }
  if (compareVersions(version, OLDEST_SUPPORTED_SERVER) < 0) {
    return `is EventStoreDB ${version}: the log needs ${OLDEST_SUPPORTED_SERVER} or later`;
  }
  return undefined;
}

/** The server reached cannot hold the log; the message says why. */
export class UnsupportedServerError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UnsupportedServerError';
  }
}

/** By major, then minor number; a version that does not start with them sorts first. */
function compareVersions(a: string, b: string): number {
  const [majorA, minorA] = majorMinor(a);
  const [majorB, minorB] = majorMinor(b);
  return majorA !== majorB ? majorA - majorB : minorA - minorB;
}

function majorMinor(version: string): [number, number] {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : [-1, -1];
}
